package io.hepaloop.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hepaloop.bus.HepaEvent;
import io.hepaloop.core.Quality;
import io.hepaloop.device.Sample;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.time.ManualClock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The loops, interlocks and command door of one reactor, stepped by hand (no plant, no Vert.x). */
class ReactorControlTest {
  final DeviceProfile profile =
      ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));
  final ManualClock clock = new ManualClock();
  final Map<String, Double> written = new LinkedHashMap<>();
  final List<HepaEvent> events = new ArrayList<>();
  final ReactorControl rc =
      new ReactorControl(
          "r1", profile, clock, (a, v, why) -> written.put(a, v), events::add, s -> {});

  void feed(String signal, double value, Quality q) {
    rc.onSample(new Sample("r1", signal, value, "", clock.now(), q));
  }

  void plant(double tC, double flow, double pressure, double inlet, double outlet) {
    feed("temperature", tC, Quality.GOOD);
    feed("flow", flow, Quality.GOOD);
    feed("pressure_inlet", pressure, Quality.GOOD);
    feed("do_inlet", inlet, Quality.GOOD);
    feed("do_outlet", outlet, Quality.GOOD);
  }

  void readbacks(double heater, double pump, double gas) {
    feed("heater", heater, Quality.GOOD);
    feed("pump", pump, Quality.GOOD);
    feed("gas_o2", gas, Quality.GOOD);
  }

  @Test
  void theCommandDoorValidatesEveryKindOfCommandAgainstTheProfile() {
    assertThat(rc.command(new ControlCommand.SetSetpoint("temperature", 29.0, "ops")).message())
        .isEqualTo(
            "setpoint 29.00 °C for loop temperature is outside its allowed range [30.0, 39.0] °C");
    assertThat(
            rc.command(new ControlCommand.SetSetpoint("temperature", Double.NaN, "ops")).accepted())
        .isFalse();
    assertThat(rc.command(new ControlCommand.SetSetpoint("ph", 7.0, "ops")).message())
        .contains("no loop 'ph'")
        .contains("temperature");
    assertThat(
            rc.command(new ControlCommand.SetMode("temperature", LoopMode.CASCADE, "ops"))
                .message())
        .contains("no cascade");
    assertThat(rc.command(new ControlCommand.SetMode("oxygen", LoopMode.CASCADE, "ops")).accepted())
        .isTrue();
    assertThat(rc.command(new ControlCommand.SetManualOutput("oxygen", 80.0, "ops")).message())
        .contains("gas_o2")
        .contains("[5.0, 60.0]");
    assertThat(rc.command(new ControlCommand.SetCascadeSetpoint("oxygen", 20.0, "ops")).message())
        .isEqualTo(
            "cascade setpoint 20.00 mmHg for loop oxygen is outside its allowed range"
                + " [35.0, 120.0] mmHg");
    assertThat(rc.command(new ControlCommand.SetCascadeSetpoint("flow", 40.0, "ops")).message())
        .contains("no cascade");
    assertThat(
            rc.command(
                    new ControlCommand.SetTuning(
                        "temperature", "override", PidTuning.of(1, 1, 0), "ops"))
                .message())
        .contains("no 'override' controller");
    assertThat(
            rc.command(
                    new ControlCommand.SetTuning("flow", "override", PidTuning.of(1, 1, 0), "ops"))
                .accepted())
        .isTrue();
    assertThat(rc.command(new ControlCommand.ResetInterlock("pressure_high_high", "ops")).message())
        .contains("not tripped");
    assertThat(rc.command(new ControlCommand.ResetInterlock("door", "ops")).message())
        .contains("no interlock 'door'");
    assertThat(events)
        .allMatch(e -> e.type().equals("operator")); // only accepted commands are announced
    assertThat(events).hasSize(2);
  }

  @Test
  void manualModeWritesTheOperatorOutputAndAutoTakesOverFromItWithoutABump() {
    plant(36.0, 1.0, 12, 100, 40);
    readbacks(30, 25, 14);
    clock.advanceSeconds(1);
    rc.executeLoop("temperature");
    assertThat(
            rc.command(new ControlCommand.SetMode("temperature", LoopMode.MANUAL, "ops"))
                .accepted())
        .isTrue();
    assertThat(
            rc.command(new ControlCommand.SetManualOutput("temperature", 55.0, "ops")).accepted())
        .isTrue();
    clock.advanceSeconds(1);
    assertThat(rc.executeLoop("temperature")).isEqualTo(55.0);
    rc.command(new ControlCommand.SetMode("temperature", LoopMode.AUTO, "ops"));
    clock.advanceSeconds(1);
    assertThat(rc.executeLoop("temperature")).isCloseTo(55.0, within(1e-9));
  }

  @Test
  void offModeWritesNothingAndFollowsTheReadBack() {
    plant(36.0, 1.0, 12, 100, 40);
    readbacks(30, 25, 14);
    rc.command(new ControlCommand.SetMode("temperature", LoopMode.OFF, "ops"));
    clock.advanceSeconds(1);
    assertThat(rc.executeLoop("temperature")).isNaN();
    assertThat(written).doesNotContainKey("heater");
    feed("heater", 44, Quality.GOOD);
    clock.advanceSeconds(1);
    rc.executeLoop("temperature");
    rc.command(new ControlCommand.SetMode("temperature", LoopMode.AUTO, "ops"));
    clock.advanceSeconds(1);
    assertThat(rc.executeLoop("temperature")).isCloseTo(44.0, within(1e-9));
  }

  @Test
  void thePressureOverrideCapsThePumpSelectLowAndSaysSo() {
    plant(37, 0.5, 12, 100, 40); // flow far below setpoint: the flow controller wants more pump
    readbacks(35, 25, 14);
    for (int i = 0; i < 40; i++) {
      clock.advanceSeconds(0.25);
      rc.executeLoop("flow");
    }
    double unconstrained = written.get("pump");
    assertThat(unconstrained).isGreaterThan(25);
    feed(
        "pressure_inlet",
        55,
        Quality.GOOD); // clogged: pressure far above the override setpoint of 40
    for (int i = 0; i < 40; i++) {
      clock.advanceSeconds(0.25);
      rc.executeLoop("flow");
    }
    assertThat(rc.loop("flow").overrideActive()).isTrue();
    assertThat(written.get("pump")).isLessThan(unconstrained);
  }

  @Test
  void theCascadeRaisesTheInletSetpointWhenTheOutletFallsTowardsItsFloor() {
    plant(37, 1.0, 12, 100, 40);
    readbacks(35, 25, 14);
    clock.advanceSeconds(1);
    rc.executeLoop("oxygen");
    double spBefore = rc.loop("oxygen").pid().workingSetpoint();
    feed("do_outlet", 30, Quality.GOOD); // outlet 10 mmHg under its 40 mmHg target
    for (int i = 0; i < 30; i++) {
      clock.advanceSeconds(1);
      rc.executeLoop("oxygen");
    }
    assertThat(rc.loop("oxygen").mode()).isEqualTo(LoopMode.CASCADE);
    assertThat(rc.loop("oxygen").pid().workingSetpoint()).isGreaterThan(spBefore + 5);
    assertThat(rc.loop("oxygen").pid().workingSetpoint()).isLessThanOrEqualTo(250.0);
  }

  @Test
  void aBadPvHoldsThenSendsTheOutputToItsSafeValueWithACriticalEvent() {
    plant(36.0, 1.0, 12, 100, 40);
    readbacks(30, 25, 14);
    clock.advanceSeconds(1);
    rc.executeLoop("temperature");
    double held = written.get("heater");
    feed("temperature", 36.0, Quality.BAD);
    for (int i = 0; i < 9; i++) {
      clock.advanceSeconds(1);
      rc.executeLoop("temperature");
      assertThat(written.get("heater")).isEqualTo(held);
    }
    assertThat(events)
        .anyMatch(e -> e.severity().equals("warning") && e.message().contains("held"));
    clock.advanceSeconds(2.5); // first bad execution + 10.5 s
    rc.executeLoop("temperature");
    assertThat(written.get("heater")).isEqualTo(0.0);
    assertThat(events)
        .anyMatch(
            e ->
                e.type().equals("interlock")
                    && e.source().equals("temperature.bad_pv")
                    && e.severity().equals("critical")
                    && e.message().contains("safe value 0.00"));
  }

  @Test
  void aBadOverridePvIsAnnouncedAndItsCapOnThePumpGoesToThePumpSafeValue() {
    plant(
        37, 0.5, 12, 100, 40); // flow below setpoint: the flow controller wants more pump than 20 %
    readbacks(35, 25, 14);
    for (int i = 0; i < 20; i++) {
      clock.advanceSeconds(0.25);
      rc.executeLoop("flow");
    }
    assertThat(written.get("pump")).isGreaterThan(20.0);
    feed("pressure_inlet", 12, Quality.BAD); // the pressure sensor dies: no more clog protection
    clock.advanceSeconds(0.25);
    rc.executeLoop("flow");
    assertThat(events)
        .anyMatch(
            e ->
                e.source().equals("flow.override")
                    && e.severity().equals("warning")
                    && e.message().contains("pressure_inlet is bad")
                    && e.message().contains("20.00 %"));
    for (int i = 0; i < 24; i++) { // 6 s > badPvSafeAfterS 5 s
      clock.advanceSeconds(0.25);
      rc.executeLoop("flow");
    }
    assertThat(written.get("pump")).isEqualTo(20.0);
    assertThat(events)
        .filteredOn(e -> e.source().equals("flow.override"))
        .hasSize(1); // once, not per cycle
    feed("pressure_inlet", 12, Quality.GOOD);
    clock.advanceSeconds(0.25);
    rc.executeLoop("flow");
    assertThat(events)
        .anyMatch(
            e ->
                e.source().equals("flow.override")
                    && e.severity().equals("info")
                    && e.message().contains("good again"));
  }

  @Test
  void aBadCascadePvIsAnnouncedOnce() {
    plant(37, 1.0, 12, 100, 40);
    readbacks(35, 25, 14);
    clock.advanceSeconds(1);
    rc.executeLoop("oxygen");
    feed("do_outlet", 40, Quality.UNCERTAIN);
    for (int i = 0; i < 5; i++) {
      clock.advanceSeconds(1);
      rc.executeLoop("oxygen");
    }
    assertThat(events)
        .filteredOn(e -> e.source().equals("oxygen.cascade"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.message())
                    .contains("do_outlet is uncertain")
                    .contains("do_inlet setpoint"));
  }

  @Test
  void everyTripClearAndResetOfAnInterlockIsAStructuredChange() {
    List<InterlockChange> changes = new ArrayList<>();
    rc.onInterlockChange(changes::add);
    plant(37, 1.0, 12, 100, 40);
    readbacks(35, 25, 14);
    feed("pressure_inlet", 61, Quality.GOOD);
    rc.evaluateInterlocks();
    rc.evaluateInterlocks(); // still tripped: no second change
    feed("pressure_inlet", 5, Quality.GOOD);
    rc.evaluateInterlocks();
    feed("temperature", 39.5, Quality.GOOD);
    rc.evaluateInterlocks();
    feed("temperature", 37, Quality.GOOD);
    rc.evaluateInterlocks(); // latched: stays tripped until reset
    assertThat(
            rc.command(new ControlCommand.ResetInterlock("temperature_high_high", "ops"))
                .accepted())
        .isTrue();
    assertThat(changes)
        .extracting(InterlockChange::interlockId, InterlockChange::tripped)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("pressure_high_high", true),
            org.assertj.core.groups.Tuple.tuple("pressure_high_high", false),
            org.assertj.core.groups.Tuple.tuple("temperature_high_high", true),
            org.assertj.core.groups.Tuple.tuple("temperature_high_high", false));
    assertThat(changes.get(0).cause()).contains("pressure_inlet 61.00").contains("above high-high");
    assertThat(changes.get(0).reactorId()).isEqualTo("r1");
    assertThat(changes.get(0).time()).isEqualTo(clock.now());
    assertThat(changes.get(1).cause()).isNull();
  }

  @Test
  void pressureHighHighStopsThePumpAndReleasesItWhenThePressureFalls() {
    plant(37, 1.0, 12, 100, 40);
    readbacks(35, 25, 14);
    clock.advanceSeconds(0.25);
    rc.executeLoop("flow");
    feed("pressure_inlet", 61, Quality.GOOD);
    rc.evaluateInterlocks();
    assertThat(written.get("pump")).isEqualTo(0.0);
    assertThat(rc.interlock("pressure_high_high").tripped()).isTrue();
    clock.advanceSeconds(0.25);
    assertThat(rc.executeLoop("flow")).isEqualTo(0.0);
    feed("pressure_inlet", 5, Quality.GOOD);
    rc.evaluateInterlocks();
    assertThat(rc.interlock("pressure_high_high").tripped()).isFalse(); // not latched
    assertThat(events).anyMatch(e -> e.message().contains("cleared"));
    clock.advanceSeconds(0.25);
    double restart = rc.executeLoop("flow");
    assertThat(restart)
        .isBetween(0.0, 5.0); // restarts from where the interlock left it, not from 25 %
  }

  @Test
  void aTrippedInterlockOnAnActuatorWithoutALoopIsAssertedAgainAfterAReconnect() {
    // The same profile without the flow loop: only the interlock drives the pump.
    DeviceProfile p = profile;
    DeviceProfile noFlowLoop =
        p.withLoops(p.loops().stream().filter(l -> !l.id().equals("flow")).toList());
    Map<String, Double> out = new LinkedHashMap<>();
    ReactorControl c =
        new ReactorControl("r1", noFlowLoop, clock, (a, v, why) -> out.put(a, v), e -> {}, s -> {});
    c.onSample(new Sample("r1", "pressure_inlet", 61, "", clock.now(), Quality.GOOD));
    c.evaluateInterlocks();
    assertThat(out).containsEntry("pump", 0.0);

    c.onLinkState(
        new io.hepaloop.device.LinkState(
            "r1", io.hepaloop.device.LinkState.State.DISCONNECTED, clock.now(), "test"));
    clock.advanceSeconds(30); // the device watchdog put the pump at its safe 20 % meanwhile
    c.onLinkState(
        new io.hepaloop.device.LinkState(
            "r1", io.hepaloop.device.LinkState.State.CONNECTED, clock.now(), null));
    out.clear();
    c.onSample(new Sample("r1", "pump", 20, "", clock.now(), Quality.GOOD));
    c.evaluateInterlocks();

    assertThat(c.interlock("pressure_high_high").tripped())
        .isTrue(); // the last pressure is stale: it cannot clear
    assertThat(out).containsEntry("pump", 0.0);
    out.clear();
    c.evaluateInterlocks();
    assertThat(out).as("refreshed, not rewritten at every evaluation").isEmpty();
  }

  @Test
  void aLinkThatKeepsDroppingIsAnnouncedOnceNotAtEveryDrop() {
    var down = io.hepaloop.device.LinkState.State.DISCONNECTED;
    var upState = io.hepaloop.device.LinkState.State.CONNECTED;
    for (int i = 0; i < 4; i++) { // down 0.5 s, up 1 s, and again
      rc.onLinkState(
          new io.hepaloop.device.LinkState("r1", down, clock.now(), "connection closed"));
      clock.advanceSeconds(0.5);
      rc.onLinkState(new io.hepaloop.device.LinkState("r1", upState, clock.now(), null));
      clock.advanceSeconds(1);
      rc.executeLoop("temperature");
    }
    clock.advanceSeconds(10);
    rc.executeLoop("temperature");

    assertThat(events)
        .filteredOn(e -> e.source().equals("link"))
        .extracting(HepaEvent::message)
        .satisfiesExactly(
            m -> assertThat(m).startsWith("Device link disconnected"),
            m -> assertThat(m).startsWith("Device link connected"),
            m -> assertThat(m).startsWith("Device link keeps dropping"),
            m -> assertThat(m).startsWith("Device link holds again"));
  }

  @Test
  void withoutAGoodActuatorReadBackTheLoopStartsFromTheSafeValueAndSaysWhy() {
    plant(36.0, 1.0, 12, 100, 40);
    feed("heater", 30, Quality.BAD); // the heater's read-back is broken
    for (int i = 0; i < 9; i++) {
      clock.advanceSeconds(1);
      assertThat(rc.executeLoop("temperature")).isNaN(); // still waiting for a read-back
    }
    clock.advanceSeconds(2);
    rc.executeLoop("temperature");

    assertThat(written).containsKey("heater");
    assertThat(events)
        .filteredOn(e -> e.source().equals("temperature") && e.message().contains("read-back"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.message())
                    .contains("no good read-back of heater")
                    .contains("(bad)")
                    .contains("safe value 0.00"));
    clock.advanceSeconds(1);
    rc.executeLoop("temperature");
    assertThat(events).filteredOn(e -> e.message().contains("read-back")).hasSize(1);
  }

  @Test
  void aStaleValueFromALostLinkIsNeverUsedAndTheLoopWaitsForAFreshReadBack() {
    plant(36.0, 1.0, 12, 100, 40);
    readbacks(30, 25, 14);
    clock.advanceSeconds(1);
    rc.executeLoop("temperature");
    rc.onLinkState(
        new io.hepaloop.device.LinkState(
            "r1", io.hepaloop.device.LinkState.State.DISCONNECTED, clock.now(), "test"));
    assertThat(rc.image().usable("temperature")).isFalse();
    written.clear();
    clock.advanceSeconds(1);
    rc.executeLoop("temperature");
    assertThat(written).isEmpty();
    rc.onLinkState(
        new io.hepaloop.device.LinkState(
            "r1", io.hepaloop.device.LinkState.State.CONNECTED, clock.now(), null));
    clock.advanceSeconds(1);
    assertThat(rc.executeLoop("temperature")).isNaN(); // no fresh read-back yet
    plant(36.0, 1.0, 12, 100, 40);
    readbacks(0, 20, 21); // the device watchdog had put outputs safe
    clock.advanceSeconds(1);
    assertThat(rc.executeLoop("temperature")).isCloseTo(0.0, within(1e-9));
  }

  @Test
  void theRoomTemperatureMovesTheHeaterBeforeTheMediumCools() {
    // two identical reactors with the medium at 36.9 °C; in the second the room drops 2 °C (a step
    // small
    // enough that the lead's kick does not saturate the heater, so both integrals stay equal)
    Map<String, Double> written2 = new LinkedHashMap<>();
    ReactorControl rc2 =
        new ReactorControl(
            "r1", profile, clock, (a, v, why) -> written2.put(a, v), e -> {}, s -> {});
    for (ReactorControl c : List.of(rc, rc2)) {
      c.onSample(new Sample("r1", "temperature", 36.9, "", clock.now(), Quality.GOOD));
      c.onSample(new Sample("r1", "temperature_ambient", 23.0, "", clock.now(), Quality.GOOD));
      c.onSample(new Sample("r1", "heater", 35.0, "", clock.now(), Quality.GOOD));
    }
    for (int t = 0; t < 5; t++) {
      clock.advanceSeconds(1);
      assertThat(rc.executeLoop("temperature")).isEqualTo(rc2.executeLoop("temperature"));
    }
    rc2.onSample(new Sample("r1", "temperature_ambient", 21.0, "", clock.now(), Quality.GOOD));
    clock.advanceSeconds(1);
    double kick = rc2.executeLoop("temperature") - rc.executeLoop("temperature");
    assertThat(kick).as("lead: several times the steady 5 %% at once").isGreaterThan(15.0);
    for (int t = 0; t < 60; t++) {
      clock.advanceSeconds(1);
      rc.executeLoop("temperature");
      rc2.executeLoop("temperature");
    }
    // −2.5 %/°C × −2 °C, same PV in both, so the same P, I and D
    assertThat(written2.get("heater") - written.get("heater")).isCloseTo(5.0, within(0.01));
    // the room sensor fails: the feedforward holds rather than following garbage
    rc2.onSample(new Sample("r1", "temperature_ambient", -20.0, "", clock.now(), Quality.BAD));
    clock.advanceSeconds(1);
    assertThat(rc2.executeLoop("temperature") - rc.executeLoop("temperature"))
        .isCloseTo(5.0, within(0.01));
  }

  @Test
  void theRelayAutoTuneCentresOnTheAverageOutputNotOnOneNoisyExecution() {
    feed("temperature_ambient", 23.0, Quality.GOOD);
    feed("heater", 35.0, Quality.GOOD);
    double sum = 0;
    int n = 0;
    double last = Double.NaN;
    for (int t = 0;
        t < 600;
        t++) { // noise of ±0.05 °C around the setpoint: P and D swing the output by several %
      feed("temperature", t % 2 == 0 ? 37.05 : 36.95, Quality.GOOD);
      clock.advanceSeconds(1);
      last = rc.executeLoop("temperature");
      if (t >= 300) {
        sum += last;
        n++;
      }
    }
    double mean = sum / n;
    assertThat(Math.abs(last - mean)).as("one execution is far from the mean").isGreaterThan(3.0);
    assertThat(
            rc.startAutotune(
                    "temperature", new RelayAutoTuner.Config(10.0, 0.05, 0.6, 3, 3600, true), "ops")
                .accepted())
        .isTrue();
    assertThat(rc.loop("temperature").autotuner().bias()).isCloseTo(mean, within(1.0));
  }
}
