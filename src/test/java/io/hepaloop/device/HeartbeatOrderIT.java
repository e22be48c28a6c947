package io.hepaloop.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.core.DataType;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.sim.SimulatedReactor;
import io.hepaloop.sim.Simulator;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over real OPC UA against the simulator (a Milo server, which serves requests in parallel): with a
 * fast heartbeat (50 ms) for several seconds, across the UInt16 wrap, the device sees every beat
 * followed by the next value — never one overtaking another, never a gap, never a value twice.
 */
@Timeout(120)
class HeartbeatOrderIT {
  @TempDir Path tmp;

  @Test
  void theDeviceSeesStrictlySuccessiveHeartbeatValues() throws Exception {
    DataType type = DataType.UINT16;
    DeviceProfile profile =
        HeartbeatWrapIT.withWatchdog(LinkItSupport.PROFILE, type.opcName(), 50, 2000);
    try (Simulator sim = LinkItSupport.quietSimulator(profile, tmp.resolve("sim-pki"))) {
      Vertx vertx = LinkItSupport.vertx();
      try {
        LinkItSupport.Recorder rec = new LinkItSupport.Recorder(vertx, "r1");
        DeviceLink link =
            new DeviceLink(
                DeviceLinkOptions.builder("r1", profile, sim.endpointUrl("r1"))
                    .heartbeat(DeviceLinkOptions.HeartbeatSource.LINK)
                    .build());
        link.startHeartbeatAt(type.heartbeatWrap() - 40);
        vertx.deployVerticle(link).await(10, TimeUnit.SECONDS);
        await()
            .atMost(LinkItSupport.CONNECT_TIMEOUT)
            .until(() -> rec.state() == LinkState.State.CONNECTED);
        SimulatedReactor device = sim.reactor("r1");

        // The device keeps its last 32 values (1.6 s of beats); snapshots every 100 ms overlap, so
        // every pair of consecutive writes is seen in one of them.
        List<Long> previous = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        long startNanos = System.nanoTime();
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> {
                  List<Long> now =
                      device.recentHeartbeats().stream()
                          .map(v -> DataType.heartbeatOf(v).orElseThrow())
                          .toList();
                  HeartbeatSequenceTest.assertSuccessive(type, now);
                  if (!previous.isEmpty() && !now.isEmpty()) {
                    assertThat(
                            previous.contains(now.get(0))
                                || now.contains(previous.get(previous.size() - 1)))
                        .as("snapshots overlap: %s then %s", previous, now)
                        .isTrue();
                  }
                  previous.clear();
                  previous.addAll(now);
                  seen.addAll(now);
                  return System.nanoTime() - startNanos > 6_000_000_000L && seen.contains(100L);
                });
        assertThat(seen).as("the counter crossed the wrap").contains(type.heartbeatWrap(), 0L);
        assertThat(seen.size()).as("beats over 6 s at 50 ms").isGreaterThan(60);
        assertThat(device.watchdogTrips()).isZero();
        assertThat(link.heartbeatFailures()).isZero();
        System.out.printf(
            "HeartbeatOrderIT: %d values seen in order, %d beats skipped (write unanswered when due)%n",
            seen.size(), link.heartbeatsSkipped());
      } finally {
        vertx.close().await(10, TimeUnit.SECONDS);
      }
    }
  }
}
