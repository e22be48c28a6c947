package io.hepaloop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * InfluxDB stopped mid-run and restarted: every sample produced is stored, in order. The outage
 * lasts {@code -Dhepaloop.outage.seconds} (default 10 to keep the suite fast; the figure is
 * 60: {@code mvn -o verify -Dit.test=TelemetryOutageIT -Dhepaloop.outage.seconds=60}).
 */
class TelemetryOutageIT {
  private static final int OUTAGE_S = Integer.getInteger("hepaloop.outage.seconds", 10);
  private static final int RATE_PER_S = 2000;
  @TempDir Path dataDir;
  LocalInfluxd influxd;
  ScheduledExecutorService producer;

  @BeforeEach
  void start() {
    influxd = LocalInfluxd.launch();
    producer = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterEach
  void stop() {
    producer.shutdownNow();
    influxd.close();
  }

  @Test
  void everySampleProducedDuringAnOutageIsStoredInOrderAfterInfluxdReturns() throws Exception {
    InfluxConfig cfg = InfluxConfig.local(influxd.url(), "outage");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<String> events = new CopyOnWriteArrayList<>();
    TelemetryWriter w =
        new TelemetryWriter(
                new InfluxHttp(cfg, Duration.ofSeconds(2)),
                dataDir.resolve("spool"),
                TelemetryWriter.Options.defaults().withBatch(1000, Duration.ofMillis(100)),
                new TelemetryMetrics(registry),
                e -> events.add(e.message()))
            .start();
    AtomicLong seq = new AtomicLong();
    long t0 = LineBuilder.epochNanos(Instant.now());
    // 2,000 samples/s in 20 ms bursts of 40, each with its sequence number and a strictly
    // increasing time
    producer.scheduleAtFixedRate(
        () -> {
          for (int k = 0; k < RATE_PER_S / 50; k++) {
            long i = seq.getAndIncrement();
            w.submit("seqcheck,reactor=r" + (i % 4) + " seq=" + i + "i " + (t0 + i * 1000));
          }
        },
        0,
        20,
        TimeUnit.MILLISECONDS);

    await().atMost(Duration.ofSeconds(20)).until(() -> w.delivered() > RATE_PER_S);
    influxd.stop();
    long atStop = seq.get();
    await()
        .atMost(Duration.ofSeconds(15))
        .alias("the writer notices the outage")
        .until(w::influxDown);
    // the outage lasts OUTAGE_S while samples keep coming; the writer must not think the server is
    // back
    await()
        .during(Duration.ofSeconds(OUTAGE_S))
        .atMost(Duration.ofSeconds(OUTAGE_S + 5))
        .until(w::influxDown);
    assertThat(w.spoolPendingPoints())
        .as("points held in the spool")
        .isGreaterThan((long) RATE_PER_S * OUTAGE_S / 2);
    influxd.start();
    // samples keep coming while the writer finds the server back and replays the spool
    await()
        .atMost(Duration.ofSeconds(30))
        .alias("the writer notices the server is back")
        .until(() -> !w.influxDown());
    producer.shutdown();
    assertThat(producer.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    long produced = seq.get();
    assertThat(w.flush(Duration.ofSeconds(60))).as("backlog delivered").isTrue();
    w.close();

    try (InfluxQueries q = new InfluxQueries(influxd.url(), cfg.database())) {
      assertThat(produced - atStop)
          .as("samples produced during the outage")
          .isGreaterThan((long) RATE_PER_S * OUTAGE_S / 2);
      assertThat(q.count("SELECT count(seq) FROM seqcheck")).isEqualTo(produced);
      // order: time order equals production order, no gap, no duplicate
      List<List<Object>> rows = q.rows("SELECT seq FROM seqcheck");
      for (int i = 0; i < rows.size(); i++) {
        assertThat(((Number) rows.get(i).get(1)).longValue()).isEqualTo(i);
      }
    }
    assertThat(registry.get("hepaloop.telemetry.points.dropped").counter().count()).isZero();
    assertThat(
            registry
                .get("hepaloop.telemetry.writes.failed")
                .tag("reason", "unreachable")
                .counter()
                .count())
        .isPositive();
    assertThat(events)
        .anyMatch(m -> m.contains("held in the spool"))
        .anyMatch(m -> m.contains("is back"));
  }
}
