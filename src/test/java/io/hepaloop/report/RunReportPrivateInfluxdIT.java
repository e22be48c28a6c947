package io.hepaloop.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.cli.HepaLoop;
import io.hepaloop.control.LoopSnapshot;
import io.hepaloop.core.Quality;
import io.hepaloop.store.Store;
import io.hepaloop.telemetry.InfluxConfig;
import io.hepaloop.telemetry.InfluxHttp;
import io.hepaloop.telemetry.InfluxSchemaSetup;
import io.hepaloop.telemetry.LocalInfluxd;
import io.hepaloop.telemetry.TelemetrySchema;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Without {@code --influx}, {@code run report} reads the private influxd of the data directory,
 * like {@code export --data-dir}: it starts it for the report and stops it after, or, while a
 * HepaLoop runs on the directory, reads the one it runs.
 */
class RunReportPrivateInfluxdIT {
  static final String RUN = "r1-20260501-000000";
  static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
  static final Instant END = T0.plus(Duration.ofHours(1));
  @TempDir static Path dir;

  @BeforeAll
  static void fill() {
    try (LocalInfluxd influxd = LocalInfluxd.launchIn(dir.resolve("influxd"))) {
      InfluxHttp http =
          new InfluxHttp(InfluxConfig.local(influxd.url(), "hepaloop"), Duration.ofSeconds(30));
      InfluxSchemaSetup.ensure(http);
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < 360; i++) {
        Instant t = T0.plusSeconds(i * 10L);
        double pv = i < 90 ? 1.5 : 1.05; // a quarter out of the 0.2 band
        lines.add(
            TelemetrySchema.loop(
                new LoopSnapshot(
                    "r1",
                    "flow",
                    t,
                    "AUTO",
                    1.0,
                    pv,
                    Quality.GOOD,
                    50,
                    0,
                    0,
                    0,
                    0,
                    false,
                    false,
                    null),
                RUN));
      }
      InfluxHttp.WriteOutcome w =
          http.write(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
      assertThat(w.ok()).as(w.body()).isTrue();
    }
    try (Store store = Store.open(dir)) {
      new ReportRows(store).run(RUN, "r1", T0, END, "COMPLETE");
    }
  }

  private static String[] report() {
    CommandLine cli = HepaLoop.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute("run", "report", RUN, "--data-dir", dir.toString());
    assertThat(exit).as(err.toString()).isZero();
    return new String[] {out.toString(), err.toString()};
  }

  @Test
  void startsTheDirectorysPrivateInfluxdForTheReportAndStopsItAfter() {
    String[] r = report();
    assertThat(r[0])
        .contains("| flow | ± 0.2 | deviation alarm flow\\_deviation limit | 360 | 75.0 % |");
    assertThat(r[1]).doesNotContain("unavailable");
    // stopped after: the directory is free again
    try (LocalInfluxd again = LocalInfluxd.launchIn(dir.resolve("influxd"))) {
      assertThat(again.isRunning()).isTrue();
    }
  }

  @Test
  void whileAHepaLoopRunsOnTheDirectoryReadsTheInfluxdItRuns() {
    try (LocalInfluxd running = LocalInfluxd.launchIn(dir.resolve("influxd"))) {
      String[] r = report();
      assertThat(r[0]).contains("| 360 | 75.0 % |");
      assertThat(r[1]).doesNotContain("unavailable");
      assertThat(running.isRunning()).isTrue(); // not stopped by the report
    }
  }
}
