package io.hepaloop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.app.Codecs;
import io.hepaloop.cli.HepaLoop;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hepaloop export} of a run stored by the writer: wide CSV with qualities, and line protocol
 * that re-imports to the same points.
 */
class RunExportIT {
  static LocalInfluxd influxd;
  @TempDir static Path dir;

  @BeforeAll
  static void fill() throws Exception {
    influxd =
        LocalInfluxd.launchIn(
            dir.resolve("data").resolve("influxd")); // where demo and serve keep theirs
    Vertx vertx = Vertx.vertx();
    Codecs.register(vertx);
    TelemetryService svc =
        TelemetryService.start(
                vertx,
                new TelemetryService.Config(
                    InfluxConfig.local(influxd.url(), "hepaloop"),
                    false,
                    dir.resolve("data"),
                    List.of("r1", "r2"),
                    1.3,
                    TelemetryWriter.Options.defaults()),
                TelemetryMetrics.standalone())
            .await();
    svc.setRun("r1", "run-1", 2e7);
    long published = ShortRun.publish(vertx, List.of("r1", "r2"), 5);
    await().atMost(Duration.ofSeconds(30)).until(() -> svc.writer().submitted() >= published);
    assertThat(svc.writer().flush(Duration.ofSeconds(30))).isTrue();
    svc.stop().await();
    vertx.close().await();
  }

  @AfterAll
  static void stop() {
    influxd.close();
  }

  @Test
  void theCsvHasOneRowPerInstantAndAValueAndQualityColumnPerSignal() throws Exception {
    Path csv = dir.resolve("run-1.csv");
    int rc =
        HepaLoop.commandLine()
            .execute(
                "export",
                "--run",
                "run-1",
                "--format",
                "csv",
                "--url",
                influxd.url(),
                "--db",
                "hepaloop",
                "--window-minutes",
                "1",
                "-o",
                csv.toString());
    assertThat(rc).isZero();
    List<String> lines = Files.readAllLines(csv);
    List<String> header = Arrays.asList(lines.get(0).split(","));
    assertThat(header)
        .startsWith("time", "reactor")
        .contains(
            "temperature",
            "temperature_quality",
            "do_outlet",
            "do_outlet_quality",
            "pump",
            "pump_quality",
            "temperature_setpoint",
            "temperature_output",
            "temperature_mode",
            "oxygen_setpoint");
    // 5 minutes at 1 s on r1 only (r2 has no run): one row per instant, plus the two link instants
    // have no sample row
    assertThat(lines).hasSize(1 + 300);
    assertThat(lines.subList(1, lines.size()))
        .allSatisfy(l -> assertThat(l.split(",", -1)).hasSize(header.size()).contains("r1"));
    int outlet = header.indexOf("do_outlet");
    String[] bad =
        lines.get(1).split(",", -1); // s = 0 is a Bad (NaN) outlet sample: empty value, quality BAD
    assertThat(bad[outlet]).isEmpty();
    assertThat(bad[outlet + 1]).isEqualTo("BAD");
    String[] good = lines.get(2).split(",", -1);
    assertThat(good[outlet + 1]).isEqualTo("GOOD");
    assertThat(Double.parseDouble(good[outlet])).isBetween(34.0, 36.0);
    assertThat(good[header.indexOf("temperature_mode")]).isEqualTo("AUTO");
  }

  @Test
  void aRunOfAStoppedPrivateInfluxdIsExportedFromItsDataDirectory() throws Exception {
    Path viaUrl = dir.resolve("via-url.csv");
    assertThat(
            HepaLoop.commandLine()
                .execute(
                    "export",
                    "--run",
                    "run-1",
                    "--url",
                    influxd.url(),
                    "--db",
                    "hepaloop",
                    "-o",
                    viaUrl.toString()))
        .isZero();
    influxd.stop(); // as after a demo: nothing answers any more
    try {
      Path viaDir = dir.resolve("via-data-dir.csv");
      int rc =
          HepaLoop.commandLine()
              .execute(
                  "export",
                  "--run",
                  "run-1",
                  "--data-dir",
                  dir.resolve("data").toString(),
                  "-o",
                  viaDir.toString());
      assertThat(rc).isZero();
      assertThat(Files.readAllLines(viaDir)).hasSize(1 + 300).isEqualTo(Files.readAllLines(viaUrl));
      assertThat(
              HepaLoop.commandLine()
                  .execute(
                      "export",
                      "--run",
                      "run-1",
                      "--data-dir",
                      dir.resolve("nothing-here").toString()))
          .as("a directory without InfluxDB data")
          .isEqualTo(1);
    } finally {
      influxd.start();
    }
  }

  @Test
  void lineProtocolExportReimportsToTheSamePoints() throws Exception {
    Path lp = dir.resolve("run-1.lp");
    assertThat(
            HepaLoop.commandLine()
                .execute(
                    "export",
                    "--run",
                    "run-1",
                    "--format",
                    "lp",
                    "--url",
                    influxd.url(),
                    "--db",
                    "hepaloop",
                    "--window-minutes",
                    "2",
                    "-o",
                    lp.toString()))
        .isZero();
    InfluxHttp copy =
        new InfluxHttp(InfluxConfig.local(influxd.url(), "reimport"), Duration.ofSeconds(10));
    copy.query("CREATE DATABASE reimport");
    InfluxHttp.WriteOutcome w = copy.write(null, Files.readAllBytes(lp));
    assertThat(w.ok()).as(w.body()).isTrue();
    try (InfluxQueries orig = new InfluxQueries(influxd.url(), "hepaloop");
        InfluxQueries re = new InfluxQueries(influxd.url(), "reimport")) {
      for (String q :
          List.of(
              "SELECT count(quality) FROM sample WHERE run='run-1'",
              "SELECT count(value) FROM sample WHERE run='run-1'",
              "SELECT count(mode_code) FROM loop WHERE run='run-1'",
              "SELECT count(our_nmol_per_min) FROM our WHERE run='run-1'",
              "SELECT count(text) FROM events WHERE run='run-1'",
              "SELECT count(state) FROM link WHERE run='run-1'")) {
        assertThat(re.count(q)).as(q).isEqualTo(orig.count(q)).isPositive();
      }
      assertThat(re.rows("SELECT sum(mode_code) FROM loop"))
          .isEqualTo(orig.rows("SELECT sum(mode_code) FROM loop WHERE run='run-1'"));
    }
  }
}
