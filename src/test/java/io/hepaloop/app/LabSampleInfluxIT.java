package io.hepaloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hepaloop.lab.LabAnalytes;
import io.hepaloop.lab.LabCorrection;
import io.hepaloop.lab.LabEntry;
import io.hepaloop.lab.LabSample;
import io.hepaloop.lab.LabSamples;
import io.hepaloop.lab.TestRuns;
import io.hepaloop.store.Store;
import io.hepaloop.telemetry.InfluxConfig;
import io.hepaloop.telemetry.LineBuilder;
import io.hepaloop.telemetry.LocalInfluxd;
import io.hepaloop.telemetry.TelemetryMetrics;
import io.hepaloop.telemetry.TelemetryService;
import io.hepaloop.telemetry.TelemetryWriter;
import io.hepaloop.time.ManualClock;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lab result reaches a real influxd through the telemetry writer at its SAMPLE time (not the time
 * it was measured or entered), tagged with reactor, run and analyte; a correction replaces the
 * point at the same time while the database keeps both revisions. Read back with influxdb-java, a
 * client independent of the writer.
 */
class LabSampleInfluxIT {
  static final String RUN = "R1-20261201-000000";

  @TempDir Path dir;
  LocalInfluxd influxd;
  Vertx vertx;
  TelemetryService telemetry;
  Store store;
  InfluxDB influx;

  @BeforeEach
  void start() {
    influxd = LocalInfluxd.launchIn(dir.resolve("influxd"));
    vertx = Vertx.vertx();
    Codecs.register(vertx);
    telemetry =
        TelemetryService.start(
                vertx,
                new TelemetryService.Config(
                    InfluxConfig.local(influxd.url(), "hepaloop"),
                    false,
                    dir.resolve("data"),
                    List.of("R1"),
                    1.3,
                    TelemetryWriter.Options.defaults()),
                TelemetryMetrics.standalone())
            .await();
    store = Store.open(dir.resolve("data"));
    influx = InfluxDBFactory.connect(influxd.url());
  }

  @AfterEach
  void stop() {
    if (influx != null) {
      influx.close();
    }
    if (telemetry != null) {
      telemetry.stop().await();
    }
    if (vertx != null) {
      vertx.close().await();
    }
    if (store != null) {
      store.close();
    }
    if (influxd != null) {
      influxd.close();
    }
  }

  @Test
  void aLabResultLandsAtItsSampleTimeAndACorrectionReplacesItThere() {
    // real time: InfluxDB drops points older than its retention policy
    Instant created = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
    TestRuns.insert(store, RUN, "R1", created, null);
    ManualClock clock = new ManualClock(Instant.now());
    LabSamples lab =
        new LabSamples(
            store, clock, LabAnalytes.defaults(), new LabSampleLines(telemetry.writer()));
    Instant sampled = created.plus(Duration.ofHours(20)).plusMillis(250);
    Instant measured = sampled.plus(Duration.ofHours(18));

    LabSample first =
        lab.enter(
                RUN,
                new LabEntry("glucose", 90.08, "mg/dL", sampled, measured, "GOD-POD", null, false),
                "olga")
            .sample();
    assertThat(telemetry.writer().flush(Duration.ofSeconds(60))).isTrue();
    List<List<Object>> rows = rows("");
    assertThat(rows).hasSize(1);
    assertThat(((Number) rows.get(0).get(0)).longValue()).isEqualTo(sampled.toEpochMilli());
    assertThat(rows("AND time = " + LineBuilder.epochNanos(sampled))).as("exact ns").hasSize(1);
    assertThat(((Number) rows.get(0).get(1)).doubleValue()).isCloseTo(5.0, within(1e-9));
    assertThat(((Number) rows.get(0).get(2)).doubleValue()).isEqualTo(90.08);
    assertThat(rows.get(0).get(3)).isEqualTo("mg/dL");
    assertThat(rows.get(0).get(4)).isEqualTo(false);

    lab.correct(
        RUN,
        first.sampleId(),
        new LabCorrection(4.2, "mmol/L", "wrong tube", null, null, null, null, null),
        "eve");
    assertThat(telemetry.writer().flush(Duration.ofSeconds(60))).isTrue();
    rows = rows("");
    assertThat(rows).as("the correction replaces the point at the sample time").hasSize(1);
    assertThat(((Number) rows.get(0).get(0)).longValue()).isEqualTo(sampled.toEpochMilli());
    assertThat(((Number) rows.get(0).get(1)).doubleValue()).isEqualTo(4.2);
    assertThat(rows.get(0).get(3)).isEqualTo("mmol/L");
    assertThat(((Number) rows.get(0).get(5)).longValue()).isEqualTo(2);
    assertThat(lab.allRevisions(RUN)).extracting(LabSample::value).containsExactly(90.08, 4.2);
  }

  /** The glucose points of the run (time in ms: influxdb-java reads times as doubles). */
  private List<List<Object>> rows(String andWhere) {
    String q =
        "SELECT value_canonical, value, unit, below_detection_limit, revision FROM lab_sample"
            + " WHERE reactor = 'R1' AND run = '"
            + RUN
            + "' AND analyte = 'glucose' "
            + andWhere;
    QueryResult r = influx.query(new Query(q, "hepaloop"), TimeUnit.MILLISECONDS);
    QueryResult.Result res = r.getResults().get(0);
    if (res.hasError()) {
      throw new IllegalStateException(res.getError() + " for " + q);
    }
    return res.getSeries() == null ? List.of() : res.getSeries().get(0).getValues();
  }
}
