package io.hepaloop.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.bus.Addresses;
import io.hepaloop.core.DataType;
import io.hepaloop.core.Quality;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.Range;
import io.hepaloop.profile.SignalKind;
import io.hepaloop.profile.SignalSpec;
import io.hepaloop.sim.Simulator;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies that every data type the profile schema accepts for a signal is written and read back
 * end to end, over real OPC UA against the simulator: the device declares the node with that type,
 * the link's type check at connect agrees, a command becomes a Variant of the type, the device
 * accepts it, and its read-back arrives as a Good sample of the same value. (A Byte node could be
 * declared and validated, but the link could not write it.)
 */
@Timeout(120)
class DataTypesEndToEndIT {
  /**
   * One value per type, chosen near what the type can hold and exactly representable as a double.
   */
  private static final Map<DataType, Double> VALUE =
      Map.ofEntries(
          Map.entry(DataType.BOOLEAN, 1.0),
          Map.entry(DataType.SBYTE, -100.0),
          Map.entry(DataType.BYTE, 250.0),
          Map.entry(DataType.INT16, -32_000.0),
          Map.entry(DataType.UINT16, 65_000.0),
          Map.entry(DataType.INT32, -2e9),
          Map.entry(DataType.UINT32, 4e9),
          Map.entry(DataType.INT64, -9e15),
          Map.entry(DataType.UINT64, 1.8e19),
          Map.entry(DataType.FLOAT, 12.5),
          Map.entry(DataType.DOUBLE, 0.1));

  @TempDir Path tmp;

  static String id(DataType t) {
    return "x_" + t.opcName().toLowerCase(Locale.ROOT);
  }

  @Test
  void everyDataTypeTheSchemaAcceptsIsWrittenAndReadBackThroughTheDevice() throws Exception {
    DeviceProfile p = LinkItSupport.PROFILE;
    List<SignalSpec> signals = new ArrayList<>(p.signals());
    for (DataType t : DataType.values()) {
      double v = VALUE.get(t);
      Range range = new Range(Math.min(0, v), Math.max(1, v));
      signals.add(
          new SignalSpec(
              id(t),
              SignalKind.ACTUATOR,
              t + " output",
              "nsu=urn:hepaloop:bioreactor;s={reactor}." + id(t),
              t.opcName(),
              "1",
              range,
              null,
              100.0,
              0.0,
              range,
              0.0));
    }
    DeviceProfile profile = p.withSignals(signals);
    try (Simulator sim = LinkItSupport.quietSimulator(profile, tmp.resolve("sim-pki"))) {
      Vertx vertx = LinkItSupport.vertx();
      try {
        LinkItSupport.Recorder rec = new LinkItSupport.Recorder(vertx, "r1");
        vertx
            .deployVerticle(
                new DeviceLink(
                    DeviceLinkOptions.builder("r1", profile, sim.endpointUrl("r1"))
                        .heartbeat(DeviceLinkOptions.HeartbeatSource.LINK)
                        .build()))
            .await(10, TimeUnit.SECONDS);
        await()
            .atMost(LinkItSupport.CONNECT_TIMEOUT)
            .until(() -> rec.state() == LinkState.State.CONNECTED);

        for (DataType t : DataType.values()) {
          WriteResult w =
              vertx
                  .eventBus()
                  .<WriteResult>request(
                      Addresses.commands("r1"),
                      new ActuatorCommand("r1", id(t), VALUE.get(t), "DataTypesEndToEndIT"))
                  .await(10, TimeUnit.SECONDS)
                  .body();
          assertThat(w.ok()).as(t + ": " + w.detail()).isTrue();
          assertThat(sim.reactor("r1").actuator(id(t)))
              .as(t + " on the device")
              .isEqualTo(VALUE.get(t));
        }
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () -> {
                  for (DataType t : DataType.values()) {
                    Sample s = rec.latest.get(id(t));
                    assertThat(s).as(t + " read back").isNotNull();
                    assertThat(s.quality()).as(t + " quality").isEqualTo(Quality.GOOD);
                    assertThat(s.value()).as(t + " read back").isEqualTo(VALUE.get(t));
                  }
                });
      } finally {
        vertx.close().await(10, TimeUnit.SECONDS);
      }
    }
  }
}
