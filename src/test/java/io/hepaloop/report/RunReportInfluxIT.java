package io.hepaloop.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.cli.HepaLoop;
import io.hepaloop.control.LoopSnapshot;
import io.hepaloop.core.Quality;
import io.hepaloop.device.Sample;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.report.RunReport.LoopBand;
import io.hepaloop.report.RunReport.TimePoint;
import io.hepaloop.store.Store;
import io.hepaloop.telemetry.InfluxConfig;
import io.hepaloop.telemetry.InfluxHttp;
import io.hepaloop.telemetry.InfluxSchemaSetup;
import io.hepaloop.telemetry.LocalInfluxd;
import io.hepaloop.telemetry.OxygenUptake;
import io.hepaloop.telemetry.TelemetrySchema;
import io.hepaloop.time.ManualClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The report's telemetry figures from a real influxd: points written in the writer's schema ({@link
 * TelemetrySchema}) for a two-hour run, with points of another reactor and outside the run's window
 * that must not count; time in band and the OUR trend checked against what was written.
 */
class RunReportInfluxIT {
  static final String RUN = "r1-20260501-000000";

  /** Two hours, within the raw retention of 30 days: three hours ago, on a whole minute. */
  static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));

  static final Instant END = T0.plus(Duration.ofHours(2));
  static final int LOOP_STEP_S = 10;

  static LocalInfluxd influxd;
  static InfluxHttp http;
  @TempDir static Path dir;
  static DeviceProfile profile;

  @BeforeAll
  static void fill() {
    profile = ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));
    influxd = LocalInfluxd.launch();
    http = new InfluxHttp(InfluxConfig.local(influxd.url(), "hepaloop"), Duration.ofSeconds(30));
    InfluxSchemaSetup.ensure(http);
    List<String> lines = new ArrayList<>();
    int n = (int) (Duration.between(T0, END).toSeconds() / LOOP_STEP_S); // 720 per loop
    for (int i = 0; i < n; i++) {
      Instant t = T0.plusSeconds((long) i * LOOP_STEP_S);
      // flow: a quarter of the run 0.5 mL/min off (out of the 0.2 band), then 0.05 off (in)
      double flow = i < n / 4 ? 1.5 : 1.05;
      // temperature: half at 37.1 (in the 0.18 °C band), half at 37.5 (out)
      double temperature = i % 2 == 0 ? 37.1 : 37.5;
      lines.add(TelemetrySchema.loop(loop("r1", "flow", t, 1.0, flow, Quality.GOOD), RUN));
      lines.add(
          TelemetrySchema.loop(loop("r1", "temperature", t, 37.0, temperature, Quality.GOOD), RUN));
      lines.add(TelemetrySchema.sample(sample("r1", "flow", t, flow), RUN));
      lines.add(TelemetrySchema.sample(sample("r1", "temperature", t, temperature), RUN));
      // the other reactor, far out of band all the time: must not count
      lines.add(TelemetrySchema.loop(loop("r2", "flow", t, 1.0, 3.0, Quality.GOOD), "other"));
    }
    // a Bad PV (not a good sample: neither counted in nor out of band)
    lines.add(
        TelemetrySchema.loop(loop("r1", "flow", T0.plusSeconds(5), 1.0, 9.0, Quality.BAD), RUN));
    // before and after the run, out of band: must not count
    for (int i = 1; i <= 30; i++) {
      lines.add(
          TelemetrySchema.loop(
              loop("r1", "flow", T0.minusSeconds(i * 10L), 1.0, 2.0, Quality.GOOD), "none"));
      lines.add(
          TelemetrySchema.loop(
              loop("r1", "flow", END.plusSeconds(i * 10L), 1.0, 2.0, Quality.GOOD), "none"));
    }
    // OUR per 10^6 cells: 10 in the first hour, 20 in the second, one point a minute
    for (int m = 0; m < 120; m++) {
      double our = m < 60 ? 10 : 20;
      lines.add(
          TelemetrySchema.our(
              "r1",
              RUN,
              T0.plusSeconds(m * 60L),
              new OxygenUptake.Result(our * 20, our, Quality.GOOD)));
    }
    lines.add(
        TelemetrySchema.our(
            "r1", RUN, END.plusSeconds(30), new OxygenUptake.Result(1e4, 500, Quality.GOOD)));
    for (int from = 0; from < lines.size(); from += 5000) {
      String batch = String.join("\n", lines.subList(from, Math.min(lines.size(), from + 5000)));
      InfluxHttp.WriteOutcome w = http.write(batch.getBytes(StandardCharsets.UTF_8));
      assertThat(w.ok()).as(w.body()).isTrue();
    }
    try (Store store = Store.open(dir)) {
      ReportRows rows = new ReportRows(store);
      rows.run(RUN, "r1", T0, END, "COMPLETE");
      rows.sample("s1", 1, RUN, "albumin", 12, "ug/mL", 12, "ug/mL", T0.plusSeconds(600), null);
    }
  }

  @AfterAll
  static void stop() {
    if (influxd != null) {
      influxd.close();
    }
  }

  private static LoopSnapshot loop(
      String reactor, String loopId, Instant t, double sp, double pv, Quality q) {
    return new LoopSnapshot(
        reactor, loopId, t, "AUTO", sp, pv, q, 50, 0, 0, 0, 0, false, false, null);
  }

  private static Sample sample(String reactor, String signal, Instant t, double v) {
    return new Sample(reactor, signal, v, "", t, Quality.GOOD, false);
  }

  private RunReport gather(boolean wide) {
    try (Store store = Store.open(dir)) {
      return new RunReportGatherer(
              store, new ReportTelemetry(http), r -> profile, new ManualClock(Instant.now()))
          .gather(RUN, wide);
    }
  }

  @Test
  void timeInBandCountsTheRunsGoodSamplesOnly() {
    RunReport r = gather(false);
    assertThat(r.unavailable()).isEmpty();
    Map<String, LoopBand> bands =
        r.loops().stream().collect(Collectors.toMap(LoopBand::loopId, b -> b));
    LoopBand flow = bands.get("flow");
    assertThat(flow.bandAbs()).isEqualTo(0.2); // the flow_deviation alarm's limit
    assertThat(flow.samples()).isEqualTo(720);
    assertThat(flow.fractionInBand()).isEqualTo(0.75);
    LoopBand temperature = bands.get("temperature");
    assertThat(temperature.bandAbs()).isCloseTo(0.18, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(temperature.samples()).isEqualTo(720);
    assertThat(temperature.fractionInBand()).isEqualTo(0.5);
    assertThat(bands.get("oxygen").samples()).isZero(); // no data: no figure, not 0 %
    assertThat(bands.get("oxygen").fractionInBand()).isNaN();
  }

  @Test
  void theOurTrendHasTheRunsBucketMeansOnly() {
    RunReport r = gather(false);
    List<TimePoint> our = r.ourPer1e6Cells();
    assertThat(our).hasSize(120); // 30 s buckets for two hours, one point a minute
    assertThat(our.get(0)).isEqualTo(new TimePoint(T0, 10.0));
    assertThat(our.get(119).value()).isEqualTo(20.0);
    assertThat(our.stream().mapToDouble(TimePoint::value).average().orElseThrow()).isEqualTo(15.0);
    assertThat(r.loopTrends())
        .extracting(RunReport.LoopTrend::loopId)
        .containsExactly("flow", "temperature");
  }

  @Test
  void theWideCsvHasSignalsOurAndLabPerBucket() {
    RunReport r = gather(true);
    String csv = CsvReport.render(r);
    List<String> lines = csv.lines().toList();
    assertThat(lines.get(0))
        .isEqualTo(
            "bucket_start,flow,temperature,our_per_1e6_cells_nmol_per_min,lab_albumin_ug/mL");
    assertThat(lines).contains(T0 + ",1.5,37.1,10.0,");
    assertThat(lines).contains(T0.plusSeconds(600) + ",1.5,37.1,10.0,12.0");
    assertThat(lines).hasSize(1 + 720); // every 10 s sample instant; OUR and lab fall on them
  }

  @Test
  void theCommandLineReportStatesTheFigures() throws Exception {
    CommandLine cli = HepaLoop.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit =
        cli.execute("run", "report", RUN, "--data-dir", dir.toString(), "--influx", influxd.url());
    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("| flow | ± 0.2 | deviation alarm flow\\_deviation limit | 720 | 75.0 % |")
        .contains("| temperature | ± 0.18 |")
        .contains("| 720 | 50.0 % |")
        .contains("first 10, last 20, min 10, max 20, mean 15 (120 buckets)")
        .doesNotContain("Unavailable");
    Path html = dir.resolve("report.html");
    assertThat(
            cli.execute(
                "run",
                "report",
                RUN,
                "--data-dir",
                dir.toString(),
                "--influx",
                influxd.url(),
                "--format",
                "html",
                "--out",
                html.toString()))
        .isZero();
    assertThat(Files.readString(html)).contains("aria-label=\"OUR per 10^6 cells\"");
  }
}
