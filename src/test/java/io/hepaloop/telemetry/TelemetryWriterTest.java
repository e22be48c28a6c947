package io.hepaloop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.bus.HepaEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer without InfluxDB: everything goes to the spool, the bound is announced, then enforced;
 * and its supervision: a batcher or sender that fails is resumed, counted and raised.
 */
class TelemetryWriterTest {
  @TempDir Path dir;

  private static String line(int i) {
    return "m,reactor=r1 seq=" + i + "i " + (1_700_000_000_000_000_000L + i);
  }

  @Test
  void withoutInfluxdEverythingIsKeptInTheSpoolAndSurvivesARestart() {
    TelemetryWriter w =
        new TelemetryWriter(
                null,
                dir,
                TelemetryWriter.Options.defaults().withBatch(100, Duration.ofMillis(20)),
                TelemetryMetrics.standalone(),
                null)
            .start();
    for (int i = 0; i < 1000; i++) {
      w.submit(line(i));
    }
    assertThat(w.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(w.spooled()).isEqualTo(1000);
    w.close();
    TelemetryWriter again =
        new TelemetryWriter(
            null, dir, TelemetryWriter.Options.defaults(), TelemetryMetrics.standalone(), null);
    assertThat(again.spoolPendingPoints()).isEqualTo(1000);
    again.close();
  }

  @Test
  void nearingTheSpoolBoundRaisesAnEventAndBeyondItDropsAreCountedAndRaised() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<HepaEvent> events = new CopyOnWriteArrayList<>();
    TelemetryWriter w =
        new TelemetryWriter(
                null,
                dir,
                TelemetryWriter.Options.defaults()
                    .withBatch(50, Duration.ofMillis(10))
                    .withSpool(20_000, 1 << 20)
                    .withMaxQueued(500),
                new TelemetryMetrics(registry),
                events::add)
            .start();
    int i = 0;
    while (events.stream().noneMatch(e -> e.severity().equals("warning")) && i < 100_000) {
      w.submit(line(i++));
      if (i % 50 == 0) {
        w.flush(Duration.ofMillis(200));
      }
    }
    assertThat(events).anySatisfy(e -> assertThat(e.message()).contains("spool is", "% full"));
    assertThat(registry.get("hepaloop.telemetry.spool.fill.ratio").gauge().value())
        .isGreaterThanOrEqualTo(0.8);
    // keep going: the spool fills, the memory queue fills, then points are dropped — counted,
    // raised, never silent
    for (int k = 0; k < 5000; k++) {
      w.submit(line(i++));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> w.dropped() > 0);
    assertThat(registry.get("hepaloop.telemetry.points.dropped").counter().count())
        .isEqualTo(w.dropped());
    assertThat(events).anySatisfy(e -> assertThat(e.severity()).isEqualTo("critical"));
    assertThat(w.spoolPendingBytes()).isLessThanOrEqualTo(20_000);
    w.close(Duration.ofMillis(100));
  }

  /**
   * A sink that fails its first calls (an exception, then an Error) and records what it got and
   * when.
   */
  private static final class FailingSink implements BatchSink {
    final List<String> received = new CopyOnWriteArrayList<>();
    final List<Long> callNanos = new CopyOnWriteArrayList<>();

    @Override
    public InfluxHttp.WriteOutcome write(byte[] lineProtocol) {
      callNanos.add(System.nanoTime());
      if (callNanos.size() == 1) {
        throw new IllegalStateException("simulated bug in the sender");
      }
      if (callNanos.size() == 2) {
        throw new StackOverflowError("simulated Error in the sender");
      }
      received.addAll(List.of(new String(lineProtocol, StandardCharsets.UTF_8).split("\n")));
      return new InfluxHttp.WriteOutcome(204, "");
    }

    @Override
    public void ensureSchema() {}

    @Override
    public void backfillRollups(long fromNs, long toNs) {}
  }

  @Test
  void aSenderThatFailsIsResumedWithBackoffCountedInMetricsAndRaisedAndDeliversEveryPointOnce() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<HepaEvent> events = new CopyOnWriteArrayList<>();
    FailingSink sink = new FailingSink();
    TelemetryWriter w =
        TelemetryWriter.withSink(
            sink,
            dir,
            TelemetryWriter.Options.defaults().withBatch(1000, Duration.ofMillis(50)),
            new TelemetryMetrics(registry),
            events::add);
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      sent.add(line(i));
      w.submit(line(i)); // one batch, so the calls to the sink are one after the other
    }
    w.start();
    assertThat(w.flush(Duration.ofSeconds(60))).isTrue();
    for (int i = 1000; i < 1500; i++) {
      sent.add(line(i));
      w.submit(line(i));
    }
    assertThat(w.flush(Duration.ofSeconds(60)))
        .as("the sender keeps working after its restarts")
        .isTrue();
    w.close();

    assertThat(sink.received).containsExactlyInAnyOrderElementsOf(sent);
    assertThat(w.delivered()).isEqualTo(1500);
    assertThat(w.restarts()).isEqualTo(2);
    assertThat(
            registry.get("hepaloop.telemetry.restarts").tag("thread", "sender").counter().count())
        .isEqualTo(2);
    assertThat(events)
        .filteredOn(e -> e.type().equals("telemetry") && e.source().equals("sender"))
        .hasSize(2)
        .anySatisfy(e -> assertThat(e.message()).contains("IllegalStateException"))
        .anySatisfy(e -> assertThat(e.message()).contains("StackOverflowError"));
    // backoff: 100 ms after the first failure, 200 ms after the second (lower bounds hold on any
    // machine)
    assertThat(sink.callNanos.get(1) - sink.callNanos.get(0)).isGreaterThanOrEqualTo(100_000_000L);
    assertThat(sink.callNanos.get(2) - sink.callNanos.get(1)).isGreaterThanOrEqualTo(200_000_000L);
  }

  @Test
  void aBatcherThatFailsIsResumedWithoutLosingOrRepeatingItsBatch() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TelemetryWriter w =
        new TelemetryWriter(
            null,
            dir,
            TelemetryWriter.Options.defaults().withBatch(100, Duration.ofMillis(20)),
            new TelemetryMetrics(registry),
            null);
    AtomicInteger calls = new AtomicInteger();
    w.onSpooled(
        n -> {
          if (calls.incrementAndGet() == 1) {
            throw new IllegalStateException("simulated failing listener");
          }
        });
    w.start();
    for (int i = 0; i < 1000; i++) {
      w.submit(line(i));
    }
    assertThat(w.flush(Duration.ofSeconds(30))).isTrue();
    assertThat(w.spooled()).isEqualTo(1000);
    assertThat(w.spoolPendingPoints()).as("each point spooled once").isEqualTo(1000);
    assertThat(
            registry.get("hepaloop.telemetry.restarts").tag("thread", "batcher").counter().count())
        .isEqualTo(1);
    w.close();
  }
}
