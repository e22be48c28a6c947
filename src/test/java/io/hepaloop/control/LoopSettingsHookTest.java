package io.hepaloop.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hepaloop.bench.HarnessAutoTune;
import io.hepaloop.bench.PlantHarness;
import io.hepaloop.bus.HepaEvent;
import io.hepaloop.core.Quality;
import io.hepaloop.device.Sample;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.sim.model.ReactorParameters;
import io.hepaloop.time.ManualClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hook that keeps loop settings across restarts, on the control side: every applied change
 * publishes the loop's whole run-time settings, a refused one nothing; kept settings come back
 * before the loops first run, validated as commands are.
 */
class LoopSettingsHookTest {
  static final DeviceProfile PROFILE =
      ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));
  final ManualClock clock = new ManualClock();
  final Map<String, Double> written = new LinkedHashMap<>();
  final List<HepaEvent> events = new ArrayList<>();
  final List<LoopSettings> published = new ArrayList<>();

  ReactorControl control() {
    ReactorControl rc =
        new ReactorControl(
            "r1", PROFILE, clock, (a, v, why) -> written.put(a, v), events::add, s -> {});
    rc.onLoopSettingsChange(published::add);
    return rc;
  }

  void feed(ReactorControl rc, String signal, double value) {
    rc.onSample(new Sample("r1", signal, value, "", clock.now(), Quality.GOOD));
  }

  @Test
  void eachAppliedChangePublishesTheLoopsWholeRunTimeSettings() {
    ReactorControl rc = control();
    clock.advanceSeconds(5);
    assertThat(rc.command(new ControlCommand.SetSetpoint("temperature", 37.5, "ann")).accepted())
        .isTrue();
    assertThat(published).hasSize(1);
    LoopSettings first = published.get(0);
    assertThat(first.reactorId()).isEqualTo("r1");
    assertThat(first.loopId()).isEqualTo("temperature");
    assertThat(first.setpoint()).isEqualTo(37.5);
    assertThat(first.mode()).isNull(); // never changed: the profile's applies
    assertThat(first.manualOutput()).isNull();
    assertThat(first.tunings()).isEmpty();
    assertThat(first.changedBy()).isEqualTo("ann");
    assertThat(first.changedAt()).isEqualTo(clock.now());

    PidTuning tuning = new PidTuning(4.5, 300, 10, 0.8, 0, 8, 0, 0);
    rc.command(new ControlCommand.SetTuning("temperature", "main", tuning, "bob"));
    rc.command(new ControlCommand.SetMode("temperature", LoopMode.MANUAL, "bob"));
    rc.command(new ControlCommand.SetManualOutput("temperature", 42.0, "bob"));
    LoopSettings last = published.get(published.size() - 1);
    assertThat(published).hasSize(4);
    assertThat(last.setpoint()).isEqualTo(37.5); // earlier changes stay part of it
    assertThat(last.tunings()).containsExactly(Map.entry("main", tuning));
    assertThat(last.mode()).isEqualTo(LoopMode.MANUAL);
    assertThat(last.manualOutput()).isEqualTo(42.0);
    assertThat(last.changedBy()).isEqualTo("bob");

    rc.command(new ControlCommand.SetCascadeSetpoint("oxygen", 70.0, "cy"));
    LoopSettings oxygen = published.get(published.size() - 1);
    assertThat(oxygen.loopId()).isEqualTo("oxygen");
    assertThat(oxygen.cascadeSetpoint()).isEqualTo(70.0);
    assertThat(oxygen.setpoint()).isNull();
  }

  @Test
  void aRefusedCommandOrAnInterlockResetPublishesNothing() {
    ReactorControl rc = control();
    assertThat(rc.command(new ControlCommand.SetSetpoint("temperature", 45, "ann")).accepted())
        .isFalse();
    assertThat(rc.command(new ControlCommand.SetSetpoint("ph", 7, "ann")).accepted()).isFalse();
    assertThat(
            rc.command(new ControlCommand.SetMode("temperature", LoopMode.CASCADE, "ann"))
                .accepted())
        .isFalse();
    assertThat(rc.command(new ControlCommand.SetManualOutput("oxygen", 80, "ann")).accepted())
        .isFalse();
    rc.command(new ControlCommand.ResetInterlock("pressure_high_high", "ann"));
    assertThat(published).isEmpty();
  }

  @Test
  void anAcceptedAutoTuneProposalPublishesTheNewMainTuning() {
    PlantHarness h =
        new PlantHarness(
            PROFILE, ReactorParameters.defaults(), PlantHarness.Strategy.HEPALOOP, true, 1);
    h.run(1800);
    ReactorControl rc = h.control();
    List<LoopSettings> seen = new ArrayList<>();
    rc.onLoopSettingsChange(seen::add);
    RelayAutoTuner.Config config = HarnessAutoTune.defaultConfig("temperature");
    assertThat(rc.startAutotune("temperature", config, "eng").accepted()).isTrue();
    for (double t = 0;
        t < config.timeoutS() + 60
            && rc.autotuneProgress("temperature").phase() == AutotuneProgress.Phase.RUNNING;
        t += 10) {
      h.run(10);
    }
    assertThat(rc.autotuneProgress("temperature").phase())
        .isEqualTo(AutotuneProgress.Phase.PROPOSAL_READY);
    assertThat(seen).isEmpty(); // a test running or a proposal waiting changes nothing kept
    assertThat(rc.acceptAutotune("temperature", "eng-anna").accepted()).isTrue();
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0).tunings())
        .containsExactly(Map.entry("main", rc.autotuneProgress("temperature").result().proposal()));
    assertThat(seen.get(0).changedBy()).isEqualTo("eng-anna");
  }

  @Test
  void keptSettingsComeBackBeforeTheLoopsRunAndManualHoldsItsOutput() {
    ReactorControl rc = control();
    PidTuning tuning = new PidTuning(4.5, 300, 10, 0.8, 0, 8, 0, 0);
    Instant at = Instant.parse("2026-11-30T10:15:00Z");
    rc.restore(
        List.of(
            new LoopSettings(
                "r1",
                "temperature",
                LoopMode.AUTO,
                37.5,
                null,
                null,
                Map.of("main", tuning),
                "ann",
                at),
            new LoopSettings("r1", "flow", LoopMode.MANUAL, null, null, 12.0, Map.of(), "bob", at),
            new LoopSettings(
                "r1", "oxygen", LoopMode.CASCADE, null, 70.0, null, Map.of(), "cy", at)));
    ControlLoop temperature = rc.loop("temperature");
    assertThat(temperature.operatorSetpoint()).isEqualTo(37.5);
    assertThat(temperature.pid().workingSetpoint()).isEqualTo(37.5); // no ramp from the profile's
    assertThat(temperature.pid().tuning()).isEqualTo(tuning);
    assertThat(rc.loop("flow").mode()).isEqualTo(LoopMode.MANUAL);
    assertThat(rc.loop("oxygen").cascadeSetpoint()).isEqualTo(70.0);
    assertThat(events)
        .filteredOn(e -> e.severity().equals("info"))
        .extracting(HepaEvent::message)
        .hasSize(3)
        .anyMatch(
            m ->
                m.contains("Loop temperature settings restored from 2026-11-30T10:15:00Z by ann")
                    && m.contains("setpoint 37.50")
                    && m.contains("main tuning K=4.5"));

    // The loops start from the read-backs: AUTO bumplessly, MANUAL with its kept output.
    feed(rc, "temperature", 36.0);
    feed(rc, "flow", 1.0);
    feed(rc, "heater", 30);
    feed(rc, "pump", 25);
    clock.advanceSeconds(1);
    assertThat(rc.executeLoop("temperature")).isCloseTo(30, within(3.0));
    assertThat(rc.executeLoop("flow")).isEqualTo(12.0);

    // What is published next carries the restored settings along.
    rc.command(new ControlCommand.SetSetpoint("flow", 1.2, "dan"));
    LoopSettings flow = published.get(published.size() - 1);
    assertThat(flow.mode()).isEqualTo(LoopMode.MANUAL);
    assertThat(flow.manualOutput()).isEqualTo(12.0);
    assertThat(flow.setpoint()).isEqualTo(1.2);
    assertThat(rc.loopSettings("temperature", "x").tunings()).containsEntry("main", tuning);
    assertThatThrownBy(() -> rc.restore(List.of(flow)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already runs");
  }

  @Test
  void aKeptValueOutsideTheLimitsNowIsRefusedNotClampedAndAnUnknownLoopIsSkipped() {
    ReactorControl rc = control();
    Instant at = Instant.parse("2026-11-30T10:15:00Z");
    double profileSetpoint = rc.loop("temperature").operatorSetpoint();
    rc.restore(
        List.of(
            new LoopSettings(
                "r1", "temperature", LoopMode.MANUAL, 41.0, null, 20.0, Map.of(), "ann", at),
            new LoopSettings("r1", "ph", LoopMode.AUTO, 7.0, null, null, Map.of(), "ann", at)));
    assertThat(rc.loop("temperature").operatorSetpoint()).isEqualTo(profileSetpoint);
    assertThat(rc.loop("temperature").mode()).isEqualTo(LoopMode.MANUAL); // the rest still applies
    assertThat(events)
        .filteredOn(e -> e.severity().equals("warning"))
        .extracting(HepaEvent::message)
        .anyMatch(
            m ->
                m.contains("stored setpoint 41.00 °C")
                    && m.contains("[30.0, 39.0]")
                    && m.contains("not restored"))
        .anyMatch(m -> m.contains("loop ph") && m.contains("no such loop"));
    assertThat(rc.loopSettings("temperature", "x").setpoint()).isNull();
  }
}
