package io.hepaloop.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.bus.Addresses;
import io.hepaloop.core.DataType;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.WatchdogSpec;
import io.hepaloop.sim.SimulatedReactor;
import io.hepaloop.sim.Simulator;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UByte;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Verifies, over real OPC UA against the simulator, that the heartbeat crosses its watchdog type's
 * wrap for every type a watchdog may have: the device sees the counter go from the type's maximum
 * to 0 and on, every value written is of the type's own class and inside its range, and the
 * device's watchdog never trips. (A UInt16 counter that did not wrap threw after 65,535 beats, 18.2
 * h at 1 s.) The counter starts a few beats before the wrap.
 */
@Timeout(180)
class HeartbeatWrapIT {
  private static final Map<DataType, Class<?>> JAVA_CLASS =
      Map.of(
          DataType.BOOLEAN,
          Boolean.class,
          DataType.SBYTE,
          Byte.class,
          DataType.BYTE,
          UByte.class,
          DataType.INT16,
          Short.class,
          DataType.UINT16,
          UShort.class,
          DataType.INT32,
          Integer.class,
          DataType.UINT32,
          UInteger.class,
          DataType.INT64,
          Long.class,
          DataType.UINT64,
          ULong.class);

  @TempDir static Path tmp; // one simulator key pair for all types

  static DeviceProfile withWatchdog(
      DeviceProfile p, String dataType, double intervalMs, double timeoutMs) {
    WatchdogSpec wd = new WatchdogSpec(p.watchdog().nodeId(), dataType, intervalMs, timeoutMs);
    return p.withWatchdog(wd);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = DataType.class,
      names = {"FLOAT", "DOUBLE"},
      mode = EnumSource.Mode.EXCLUDE)
  void theHeartbeatCrossesItsTypesWrapAndTheDevicesWatchdogNeverTrips(DataType type)
      throws Exception {
    DeviceProfile profile = withWatchdog(LinkItSupport.PROFILE, type.opcName(), 100, 2000);
    try (Simulator sim = LinkItSupport.quietSimulator(profile, tmp.resolve("sim-pki"))) {
      Vertx vertx = LinkItSupport.vertx();
      try {
        LinkItSupport.Recorder rec = new LinkItSupport.Recorder(vertx, "r1");
        DeviceLink link =
            new DeviceLink(
                DeviceLinkOptions.builder("r1", profile, sim.endpointUrl("r1"))
                    .heartbeat(DeviceLinkOptions.HeartbeatSource.LINK)
                    .build());
        long wrap = type.heartbeatWrap();
        link.startHeartbeatAt(type == DataType.BOOLEAN ? 0 : wrap - 4);
        vertx.deployVerticle(link).await(10, TimeUnit.SECONDS);
        await()
            .atMost(LinkItSupport.CONNECT_TIMEOUT)
            .until(() -> rec.state() == LinkState.State.CONNECTED);
        // An output at stake: the device's watchdog is armed and would put it safe.
        WriteResult w =
            vertx
                .eventBus()
                .<WriteResult>request(
                    Addresses.commands("r1"),
                    new ActuatorCommand("r1", "pump", 55.0, "HeartbeatWrapIT"))
                .await(10, TimeUnit.SECONDS)
                .body();
        assertThat(w.ok()).as(w.detail()).isTrue();
        SimulatedReactor device = sim.reactor("r1");

        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    counters(device.recentHeartbeats())
                        .containsAll(List.of(wrap, 0L, type == DataType.BOOLEAN ? 1L : 3L)));

        List<Object> written = device.recentHeartbeats();
        List<Long> values = counters(written);
        assertThat(values)
            .as("the counter crosses the wrap: its maximum and 0 were both written")
            .contains(wrap, 0L, 1L);
        assertThat(written)
            .as("each value is a " + type)
            .allSatisfy(v -> assertThat(v).isInstanceOf(JAVA_CLASS.get(type)));
        if (type != DataType.BOOLEAN) {
          // Writes are separate OPC UA requests: a server may process two of them out of order, but
          // every value is one beat of this run, written once, and none is outside the type.
          assertThat(values).as("each beat once").doesNotHaveDuplicates();
          assertThat(values)
              .as("each value is one of the beats around the wrap")
              .allSatisfy(
                  v ->
                      assertThat(
                              v - (wrap - 3) >= 0 && Long.compareUnsigned(v, wrap) <= 0
                                  || v >= 0 && v < 100)
                          .as("%d in %s", v, values)
                          .isTrue());
        }
        assertThat(device.watchdogArmed()).isTrue();
        assertThat(device.watchdogTrips()).as("the device's watchdog never tripped").isZero();
        assertThat(device.actuator("pump")).isEqualTo(55.0);
        assertThat(link.heartbeatFailures()).isZero();
        assertThat(rec.events).noneMatch(e -> e.message().contains("heartbeat"));
      } finally {
        vertx.close().await(10, TimeUnit.SECONDS);
      }
    }
  }

  private static List<Long> counters(List<Object> written) {
    return written.stream().map(v -> DataType.heartbeatOf(v).orElseThrow()).toList();
  }
}
