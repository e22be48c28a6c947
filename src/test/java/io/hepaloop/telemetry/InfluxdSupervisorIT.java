package io.hepaloop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.bus.HepaEvent;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The supervisor against a real influxd: a restart that fails is retried until it works, said once,
 * counted once.
 */
class InfluxdSupervisorIT {
  @Test
  void aRestartThatFailsIsRetriedWithBackoffUntilInfluxdRunsAgain() throws Exception {
    try (LocalInfluxd influxd = LocalInfluxd.launch()) {
      TelemetryMetrics metrics = TelemetryMetrics.standalone();
      List<HepaEvent> events = new CopyOnWriteArrayList<>();
      try (InfluxdSupervisor supervisor = InfluxdSupervisor.watch(influxd, metrics, events::add)) {
        long first = influxd.pid();
        ProcessHandle.of(first).orElseThrow().destroyForcibly();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> !ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false));
        // something else takes influxd's port: the restart fails until it is released
        try (ServerSocket squatter =
            await()
                .atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(
                    () ->
                        new ServerSocket(influxd.httpPort(), 50, InetAddress.getLoopbackAddress()),
                    s -> true)) {
          await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> events.stream().anyMatch(e -> e.severity().equals("critical")));
          assertThat(metrics.influxdRestarts()).isZero();
        }
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> metrics.influxdRestarts() == 1 && influxd.ping());
        assertThat(influxd.pid()).isNotEqualTo(first);
        assertThat(events)
            .extracting(HepaEvent::severity)
            .containsExactly("warning", "critical", "info");
        assertThat(events.get(0).message()).contains("pid " + first).contains("exited");
        assertThat(events.get(1).message()).contains("Restarting the private InfluxDB failed");
        assertThat(events.get(2).message()).contains("runs again").contains(influxd.url());
      }
    }
  }
}
