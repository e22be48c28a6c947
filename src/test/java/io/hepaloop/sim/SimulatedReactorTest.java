package io.hepaloop.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hepaloop.core.Quality;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.sim.model.ReactorParameters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.junit.jupiter.api.Test;

/** The device behind the OPC UA nodes, driven by hand: scenarios, faults, watchdog. */
class SimulatedReactorTest {
  static final DeviceProfile PROFILE = SimClients.profile();

  long nanos = 0;

  SimulatedReactor reactor(Scenario s) {
    return new SimulatedReactor("r1", PROFILE, s, ReactorParameters.defaults(), false, 1, nanos);
  }

  /** Advances simulated and "real" time together, in 1 s ticks. */
  void run(SimulatedReactor r, double seconds) {
    for (int i = 0; i < (int) Math.round(seconds); i++) {
      nanos += 1_000_000_000L;
      r.tick(1.0, nanos, DateTime.now());
    }
  }

  SimulatedReactor.Point point(SimulatedReactor r, String id) {
    return r.points().stream().filter(p -> p.spec.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void doorOpenDropsTheAmbientForThreeMinutesAndTheChamberCools() {
    SimulatedReactor r =
        reactor(ScenarioLoader.load(Path.of("simulators/door-open.yaml"), PROFILE));
    run(r, 5 * 60 - 1);
    assertThat(r.model().ambientC()).isEqualTo(35.0);
    double before = r.model().temperatureC();
    run(r, 60);
    assertThat(r.model().ambientC()).isCloseTo(24.0, within(1e-9));
    run(r, 2 * 60 + 5);
    assertThat(r.model().ambientC()).isEqualTo(35.0);
    assertThat(r.model().temperatureC()).isLessThan(before - 1.0);
  }

  @Test
  void aCloggingScaffoldRaisesTheInletPressureSixFoldOverTwoHours() {
    SimulatedReactor r =
        reactor(ScenarioLoader.load(Path.of("simulators/clogging-scaffold.yaml"), PROFILE));
    run(r, 10 * 60 + 3600);
    assertThat(r.model().scaffoldResistanceFactor()).isCloseTo(3.5, within(0.01));
    run(r, 3600 + 60);
    assertThat(r.model().scaffoldResistanceFactor()).isEqualTo(6.0);
    assertThat(r.reading("pressure_inlet").value()).isCloseTo(57.0, within(0.01));
  }

  @Test
  void sensorFaultsArriveOnTheirTimeline() {
    SimulatedReactor r =
        reactor(ScenarioLoader.load(Path.of("simulators/sensor-faults.yaml"), PROFILE));
    List<Duration> drops = new ArrayList<>();
    List<Duration> restarts = new ArrayList<>();
    r.onCommsDrop((x, d) -> drops.add(d));
    r.onRestart((x, d) -> restarts.add(d));
    run(r, 119);
    double outlet = r.reading("do_outlet").value();
    run(r, 2);
    assertThat(r.reading("do_outlet").value()).isCloseTo(outlet + 40, within(0.5));
    run(r, 10);
    assertThat(r.reading("do_outlet").value()).isCloseTo(outlet, within(0.5));

    run(r, 5 * 60 - 131 + 2); // 5 min: temperature stuck
    r.model().setAmbientC(10); // the true temperature falls; the stuck reading does not
    run(r, 60);
    assertThat(r.reading("temperature"))
        .isEqualTo(new io.hepaloop.sim.model.SensorReading(37.0, Quality.GOOD));
    r.model().setAmbientC(23);

    run(r, 10 * 60 - r.simulatedSeconds() + 2); // 10 min: do_inlet bad
    assertThat(r.reading("do_inlet").quality()).isEqualTo(Quality.BAD);
    assertThat(point(r, "do_inlet").value.statusCode().getValue())
        .isEqualTo(StatusCodes.Bad_SensorFailure);
    run(r, 2 * 60);
    assertThat(r.reading("do_inlet").quality()).isEqualTo(Quality.GOOD);

    run(r, 25 * 60 - r.simulatedSeconds() + 2);
    assertThat(drops).containsExactly(Duration.ofSeconds(10));
    run(r, 5 * 60);
    assertThat(restarts).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void theWatchdogPutsActuatorsAtTheirSafeValuesWhenTheHeartbeatStops() throws Exception {
    SimulatedReactor r = reactor(null);
    SimulatedReactor.Point heater = point(r, "heater");
    SimulatedReactor.Point pump = point(r, "pump");
    run(r, 30);
    assertThat(r.watchdogArmed())
        .as("nothing written yet: a device waiting for its controller is left alone")
        .isFalse();

    for (int i = 1; i <= 5; i++) {
      r.writeHeartbeat(i, nanos);
      if (i == 1) {
        r.write(heater, 80.0, nanos);
        r.write(pump, 60.0, nanos);
      }
      run(r, 1);
    }
    run(r, 4); // 5 s after the last change: not yet
    assertThat(r.watchdogTripped()).isFalse();
    run(r, 2);
    assertThat(r.watchdogTripped()).isTrue();
    assertThat(r.actuator("heater")).isEqualTo(0.0);
    assertThat(r.actuator("pump")).isEqualTo(20.0);
    assertThat(r.actuator("gas_o2")).isEqualTo(21.0);
    assertThatThrownBy(() -> r.write(heater, 50.0, nanos))
        .isInstanceOf(UaException.class)
        .satisfies(
            e ->
                assertThat(((UaException) e).getStatusCode().getValue())
                    .isEqualTo(StatusCodes.Bad_InvalidState));

    r.writeHeartbeat(6, nanos);
    assertThat(r.watchdogTripped()).isFalse();
    r.write(heater, 50.0, nanos);
    assertThat(r.actuator("heater")).isEqualTo(50.0);
    assertThat(r.watchdogTrips()).isEqualTo(1);
  }

  @Test
  void aControllerThatWritesOutputsButNeverAHeartbeatIsPutSafeAfterTheTimeout() throws Exception {
    SimulatedReactor r = reactor(null);
    run(r, 30);
    r.write(point(r, "heater"), 80.0, nanos);
    assertThat(r.watchdogArmed()).as("the first actuator write arms the watchdog").isTrue();
    run(r, 5); // the timeout (5 s) counts from that write
    assertThat(r.watchdogTripped()).isFalse();
    assertThat(r.actuator("heater")).isEqualTo(80.0);
    run(r, 1);
    assertThat(r.watchdogTripped()).isTrue();
    assertThat(r.actuator("heater")).isEqualTo(0.0);
  }

  @Test
  void aUInt64HeartbeatNearItsMaximumIsSeenChangingAndItsWrapToo() throws Exception {
    var wd =
        new io.hepaloop.profile.WatchdogSpec(PROFILE.watchdog().nodeId(), "UInt64", 1000, 5000);
    DeviceProfile p = PROFILE.withWatchdog(wd);
    SimulatedReactor r =
        new SimulatedReactor("r1", p, null, ReactorParameters.defaults(), false, 1, nanos);
    io.hepaloop.core.DataType t = io.hepaloop.core.DataType.UINT64;
    long c = t.heartbeatWrap() - 3;
    for (int i = 0; i < 8; i++) { // 2^64 - 4 ... 2^64 - 1, 0, 1, 2, 3: neighbours equal as doubles
      r.writeHeartbeat(t.heartbeatVariant(c).getValue(), nanos);
      c = t.nextHeartbeat(c);
      run(r, 4);
    }
    assertThat(r.watchdogTripped()).isFalse();
    assertThat(r.recentHeartbeats())
        .hasSize(8)
        .allMatch(v -> v instanceof org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong);
    assertThatThrownBy(() -> r.writeHeartbeat(1.5, nanos))
        .isInstanceOf(UaException.class)
        .satisfies(
            e ->
                assertThat(((UaException) e).getStatusCode().getValue())
                    .isEqualTo(StatusCodes.Bad_TypeMismatch));
  }

  @Test
  void theWatchdogRunsOnRealTimeNotSimulatedTime() throws Exception {
    SimulatedReactor r = reactor(null);
    r.writeHeartbeat(1, nanos);
    r.writeHeartbeat(2, nanos);
    // an hour of simulated time in one real second (speed 3600)
    nanos += 1_000_000_000L;
    r.tick(3600, nanos, DateTime.now());
    assertThat(r.watchdogTripped()).isFalse();
  }

  @Test
  void signalsTheModelDoesNotKnowAreStillServedHonestly() throws Exception {
    List<io.hepaloop.profile.SignalSpec> signals = new ArrayList<>(PROFILE.signals());
    signals.add(
        new io.hepaloop.profile.SignalSpec(
            "ph",
            io.hepaloop.profile.SignalKind.SENSOR,
            "medium pH",
            "nsu=urn:hepaloop:bioreactor;s={reactor}.ph",
            "Double",
            "pH",
            new io.hepaloop.profile.Range(0, 14),
            null,
            500.0,
            0.0,
            null,
            null));
    signals.add(
        new io.hepaloop.profile.SignalSpec(
            "stirrer",
            io.hepaloop.profile.SignalKind.ACTUATOR,
            "stirrer",
            "nsu=urn:hepaloop:bioreactor;s={reactor}.stirrer",
            "UInt16",
            "rpm",
            new io.hepaloop.profile.Range(0, 600),
            null,
            500.0,
            0.0,
            new io.hepaloop.profile.Range(0, 600),
            0.0));
    DeviceProfile extended = PROFILE.withSignals(signals);
    SimulatedReactor r =
        new SimulatedReactor("r1", extended, null, ReactorParameters.defaults(), false, 1, nanos);
    run(r, 1);
    assertThat(point(r, "ph").value.statusCode().getValue())
        .isEqualTo(StatusCodes.Bad_NotSupported);
    assertThat(point(r, "stirrer").value.statusCode().getValue())
        .isEqualTo(StatusCodes.Bad_WaitingForInitialData);
    r.write(
        point(r, "stirrer"),
        org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort(300),
        nanos);
    run(r, 1);
    assertThat(point(r, "stirrer").value.value().value())
        .isEqualTo(org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.ushort(300));
    assertThat(r.actuator("stirrer")).isEqualTo(300.0);
  }

  @Test
  void aScaledIntegerSensorPublishesItsRawValue() {
    SimulatedReactor r = reactor(null);
    run(r, 1);
    assertThat(point(r, "pressure_inlet").value.value().value()).isEqualTo(1200);
  }

  @Test
  void anEventForOtherReactorsLeavesThisOneAlone() {
    Scenario s =
        ScenarioLoader.parse(
            "t.yaml",
            """
        name: t
        description: d
        timeline:
          - { at: 10s, action: heater-failure, reactors: [r2] }
          - { at: 10s, action: pump-stall, reactors: [r1] }
        """,
            PROFILE);
    SimulatedReactor r1 = reactor(s);
    SimulatedReactor r2 =
        new SimulatedReactor("r2", PROFILE, s, ReactorParameters.defaults(), false, 1, nanos);
    for (int i = 0; i < 20; i++) {
      nanos += 1_000_000_000L;
      r1.tick(1.0, nanos, DateTime.now());
      r2.tick(1.0, nanos, DateTime.now());
    }
    assertThat(r1.model().heaterFailed()).isFalse();
    assertThat(r1.model().pumpStalled()).isTrue();
    assertThat(r2.model().heaterFailed()).isTrue();
    assertThat(r2.model().pumpStalled()).isFalse();
  }
}
