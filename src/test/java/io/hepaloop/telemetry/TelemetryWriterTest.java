package io.hepaloop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.bus.HepaEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer without InfluxDB: everything goes to the spool, the bound is announced, then enforced. */
class TelemetryWriterTest {
  @TempDir Path dir;

  private static String line(int i) {
    return "m,reactor=r1 seq=" + i + "i " + (1_700_000_000_000_000_000L + i);
  }

  @Test
  void withoutInfluxdEverythingIsKeptInTheSpoolAndSurvivesARestart() {
    TelemetryWriter w = new TelemetryWriter(null, dir, TelemetryWriter.Options.defaults().withBatch(100, Duration.ofMillis(20)),
        TelemetryMetrics.standalone(), null).start();
    for (int i = 0; i < 1000; i++) {
      w.submit(line(i));
    }
    assertThat(w.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(w.spooled()).isEqualTo(1000);
    w.close();
    TelemetryWriter again = new TelemetryWriter(null, dir, TelemetryWriter.Options.defaults(), TelemetryMetrics.standalone(), null);
    assertThat(again.spoolPendingPoints()).isEqualTo(1000);
    again.close();
  }

  @Test
  void nearingTheSpoolBoundRaisesAnEventAndBeyondItDropsAreCountedAndRaised() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<HepaEvent> events = new CopyOnWriteArrayList<>();
    TelemetryWriter w = new TelemetryWriter(null, dir,
        TelemetryWriter.Options.defaults().withBatch(50, Duration.ofMillis(10)).withSpool(20_000, 1 << 20).withMaxQueued(500),
        new TelemetryMetrics(registry), events::add).start();
    int i = 0;
    while (events.stream().noneMatch(e -> e.severity().equals("warning")) && i < 100_000) {
      w.submit(line(i++));
      if (i % 50 == 0) {
        w.flush(Duration.ofMillis(200));
      }
    }
    assertThat(events).anySatisfy(e -> assertThat(e.message()).contains("spool is", "% full"));
    assertThat(registry.get("hepaloop.telemetry.spool.fill.ratio").gauge().value()).isGreaterThanOrEqualTo(0.8);
    // keep going: the spool fills, the memory queue fills, then points are dropped — counted, raised, never silent
    for (int k = 0; k < 5000; k++) {
      w.submit(line(i++));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> w.dropped() > 0);
    assertThat(registry.get("hepaloop.telemetry.points.dropped").counter().count()).isEqualTo(w.dropped());
    assertThat(events).anySatisfy(e -> assertThat(e.severity()).isEqualTo("critical"));
    assertThat(w.spoolPendingBytes()).isLessThanOrEqualTo(20_000);
    w.close(Duration.ofMillis(100));
  }
}
