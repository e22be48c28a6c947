package io.hepaloop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.app.Codecs;
import io.hepaloop.bus.Addresses;
import io.hepaloop.bus.HepaEvent;
import io.hepaloop.control.LoopSnapshot;
import io.hepaloop.core.Quality;
import io.hepaloop.device.LinkState;
import io.hepaloop.device.Sample;
import io.hepaloop.device.SampleBatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Points written through the bus and the service equal the points queried, with tags and fields as
 * documented.
 */
class TelemetryServiceIT {
  static LocalInfluxd influxd;
  @TempDir Path dataDir;

  @BeforeAll
  static void startInfluxd() {
    influxd = LocalInfluxd.launch();
  }

  @AfterAll
  static void stopInfluxd() {
    influxd.close();
  }

  @Test
  void everythingPublishedOnTheBusIsStoredAsDocumented() throws Exception {
    Vertx vertx = Vertx.vertx();
    Codecs.register(vertx);
    InfluxConfig cfg = InfluxConfig.local(influxd.url(), "written_equals_queried");
    TelemetryService svc =
        TelemetryService.start(
                vertx,
                new TelemetryService.Config(
                    cfg,
                    false,
                    dataDir,
                    List.of("r1", "r2"),
                    1.3,
                    TelemetryWriter.Options.defaults().withBatch(500, Duration.ofMillis(100))),
                new TelemetryMetrics(new SimpleMeterRegistry()))
            .await();
    svc.setRun("r1", "run-7", 1e7);
    Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
    int produced = 0;
    for (int i = 0; i < 50; i++) {
      Instant t = t0.plusMillis(i * 1000L);
      for (String r : List.of("r1", "r2")) {
        List<Sample> s = new ArrayList<>();
        s.add(new Sample(r, "temperature", 37.0 + i * 0.001, "°C", t, Quality.GOOD));
        s.add(new Sample(r, "flow", 1.0, "mL/min", t, Quality.GOOD));
        s.add(new Sample(r, "do_inlet", 248.0, "mmHg", t, Quality.GOOD));
        s.add(
            new Sample(
                r,
                "do_outlet",
                i == 10 ? 5.0 : 50.0,
                "mmHg",
                t,
                i == 10 ? Quality.BAD : Quality.GOOD));
        produced += s.size();
        vertx.eventBus().publish(Addresses.samples(r), new SampleBatch(r, s));
      }
      vertx
          .eventBus()
          .publish(
              Addresses.control("r1"),
              new LoopSnapshot(
                  "r1",
                  "temperature",
                  t,
                  "AUTO",
                  37.0,
                  36.99,
                  Quality.GOOD,
                  40.0,
                  1,
                  39,
                  0,
                  0.0,
                  false,
                  false,
                  null));
    }
    // the link re-publishes the last value as stale (device time kept): it must not overwrite the
    // good point
    Instant last = t0.plusMillis(49 * 1000L);
    vertx
        .eventBus()
        .publish(
            Addresses.samples("r2"),
            new SampleBatch(
                "r2",
                List.of(new Sample("r2", "temperature", 37.049, "°C", last, Quality.BAD, true))));
    produced++;
    vertx
        .eventBus()
        .publish(
            Addresses.link("r1"), new LinkState("r1", LinkState.State.CONNECTED, t0, "connected"));
    vertx
        .eventBus()
        .publish(
            Addresses.EVENTS,
            new HepaEvent(
                t0.plusSeconds(5), "r1", "operator", "alice", "info", "Setpoint 37.0 °C"));
    int expected = produced;
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> svc.writer().submitted() >= expected + 50 + 2);
    assertThat(svc.writer().flush(Duration.ofSeconds(20))).isTrue();

    try (InfluxQueries q = new InfluxQueries(influxd.url(), cfg.database())) {
      assertThat(q.count("SELECT count(quality) FROM sample")).isEqualTo(produced);
      assertThat(
              q.count(
                  "SELECT count(quality) FROM sample WHERE reactor='r1' AND run='run-7' AND \"group\"='thermal' AND signal='temperature'"))
          .isEqualTo(50);
      assertThat(q.count("SELECT count(quality) FROM sample WHERE reactor='r2' AND run='none'"))
          .isEqualTo(201);
      List<List<Object>> r2temp =
          q.rows(
              "SELECT value, quality, stale FROM sample WHERE reactor='r2' AND signal='temperature'");
      assertThat(r2temp.get(49).subList(1, 4)).containsExactly(37.049, "GOOD", false);
      assertThat(r2temp.get(50).subList(1, 4)).containsExactly(null, "BAD", true);
      // the one bad outlet pO2 is stored with its quality and never as value
      assertThat(q.count("SELECT count(value) FROM sample WHERE signal='do_outlet'")).isEqualTo(98);
      assertThat(
              q.rows(
                  "SELECT suspect_value, quality FROM sample WHERE signal='do_outlet' AND quality='BAD'"))
          .hasSize(2)
          .allSatisfy(row -> assertThat(row.get(1)).isEqualTo(5.0));
      List<List<Object>> temps =
          q.rows("SELECT value FROM sample WHERE reactor='r1' AND signal='temperature'");
      assertThat(((Number) temps.get(0).get(0)).longValue()).isEqualTo(LineBuilder.epochNanos(t0));
      assertThat((Double) temps.get(49).get(1)).isEqualTo(37.049);
      assertThat(
              q.count(
                  "SELECT count(output) FROM loop WHERE reactor='r1' AND loop='temperature' AND mode='AUTO'"))
          .isEqualTo(50);
      assertThat(q.rows("SELECT state, connected FROM link WHERE reactor='r1'")).hasSize(1);
      assertThat(q.rows("SELECT text, title FROM events WHERE type='operator'").get(0).get(1))
          .isEqualTo("Setpoint 37.0 °C");
      // OUR: Q=1, α=1.3, 248→50 mmHg = 257.4 nmol/min; 25.74 per 10^6 of 10^7 cells on r1 (run
      // known), none per cell on r2
      List<List<Object>> our =
          q.rows(
              "SELECT our_nmol_per_min, our_per_1e6_cells_nmol_per_min FROM our WHERE reactor='r1' AND quality='GOOD'");
      assertThat(our)
          .isNotEmpty()
          .allSatisfy(
              row -> {
                assertThat((Double) row.get(1))
                    .isEqualTo(257.4, org.assertj.core.api.Assertions.within(1e-6));
                assertThat((Double) row.get(2))
                    .isEqualTo(25.74, org.assertj.core.api.Assertions.within(1e-6));
              });
      assertThat(q.count("SELECT count(quality) FROM our WHERE quality='BAD'"))
          .isGreaterThanOrEqualTo(2);
      assertThat(
              q.count("SELECT count(our_per_1e6_cells_nmol_per_min) FROM our WHERE reactor='r2'"))
          .isZero();
      // retention policies and continuous queries exist
      assertThat(q.series("SHOW RETENTION POLICIES").get(0).getValues())
          .extracting(r -> r.get(0))
          .contains("raw", "rollup_1m");
    }
    svc.stop().await();
    vertx.close().await();
  }

  @Test
  void theSchemaSetupIsIdempotent() {
    InfluxHttp http =
        new InfluxHttp(InfluxConfig.local(influxd.url(), "idempotent"), Duration.ofSeconds(5));
    InfluxSchemaSetup.ensure(http);
    InfluxSchemaSetup.ensure(http);
    assertThat(http.query("SHOW CONTINUOUS QUERIES").toString())
        .contains("cq_sample_1m", "cq_loop_1m", "cq_our_1m");
  }

  @Test
  void badInputIsQuarantinedAndTheWriterKeepsGoing() throws Exception {
    List<HepaEvent> events = new CopyOnWriteArrayList<>();
    InfluxConfig cfg = InfluxConfig.local(influxd.url(), "bad_input");
    try (TelemetryWriter w =
        new TelemetryWriter(
                new InfluxHttp(cfg, Duration.ofSeconds(5)),
                dataDir.resolve("spool"),
                TelemetryWriter.Options.defaults().withBatch(100, Duration.ofMillis(50)),
                TelemetryMetrics.standalone(),
                events::add)
            .start()) {
      long t = LineBuilder.epochNanos(Instant.now().minusSeconds(30));
      for (int i = 0; i < 300; i++) {
        w.submit("m,reactor=r1 value=" + i + ".0,seq=" + i + "i " + (t + i));
        if (i == 50) {
          w.submit(
              TelemetrySchema.sample(
                  new Sample(
                      "r1",
                      "flow",
                      Double.NaN,
                      "mL/min",
                      Instant.ofEpochSecond(0, t + i),
                      Quality.BAD),
                  "none"));
          w.submit(
              "m,reactor=r1 value=\"not a number\",seq=-1i "
                  + (t + i + 1_000_000)); // a string where a float was
        }
        if (i == 150) {
          w.submit("m,reactor=r1 value=1.0 this is not line protocol");
        }
      }
      assertThat(w.flush(Duration.ofSeconds(20))).isTrue();
      assertThat(w.quarantined()).isEqualTo(2);
      assertThat(w.delivered()).isEqualTo(301);
      try (InfluxQueries q = new InfluxQueries(influxd.url(), cfg.database())) {
        assertThat(q.count("SELECT count(seq) FROM m")).isEqualTo(300);
        assertThat(q.rows("SELECT quality, value, suspect_value FROM sample"))
            .hasSize(1)
            .allSatisfy(r -> assertThat(r.subList(1, 4)).containsExactly("BAD", null, null));
      }
      assertThat(Files.readString(dataDir.resolve("spool/quarantine.lp")))
          .contains("not a number", "this is not line protocol", "HTTP 400");
      // the first refusal is told at once; the second, within the minute, only counted
      assertThat(events)
          .filteredOn(e -> e.message().contains("refused a telemetry point"))
          .hasSize(1);
    }
  }
}
