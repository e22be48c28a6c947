package io.hepaloop.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hepaloop.bus.HepaEvent;
import io.hepaloop.control.AutotuneProgress;
import io.hepaloop.control.AutotuneProgress.Phase;
import io.hepaloop.control.ControlLoop;
import io.hepaloop.control.LoopMode;
import io.hepaloop.control.LoopSnapshot;
import io.hepaloop.control.PidTuning;
import io.hepaloop.control.ReactorControl;
import io.hepaloop.control.RelayAutoTuner;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.sim.model.ReactorParameters;
import io.hepaloop.sim.model.SensorChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Auto-tune as an action on the running controller, on the plant-in-the-loop harness (ManualClock,
 * the simulator's model and sensors): start, progress, accept, reject, abort, each audited; the
 * other loops and the cascade untouched; proposals that respect the PV's resolution.
 */
class AutotuneActionTest {
  static final DeviceProfile PROFILE =
      ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));
  static final RelayAutoTuner.Config TEMPERATURE = HarnessAutoTune.defaultConfig("temperature");

  static PlantHarness settled(long seed, SensorChannel.Spec temperatureSensor) {
    PlantHarness h =
        new PlantHarness(
            PROFILE, ReactorParameters.defaults(), PlantHarness.Strategy.HEPALOOP, true, seed);
    if (temperatureSensor != null) {
      h.replaceSensor("temperature", temperatureSensor);
    }
    h.run(1800);
    return h;
  }

  /** Runs until the loop's auto-tune leaves RUNNING (bounded by the test's own timeout). */
  static AutotuneProgress runUntilDecided(PlantHarness h, String loopId) {
    for (double t = 0; t < TEMPERATURE.timeoutS() + 60; t += 10) {
      if (h.control().autotuneProgress(loopId).phase() != Phase.RUNNING) {
        break;
      }
      h.run(10);
    }
    return h.control().autotuneProgress(loopId);
  }

  static List<HepaEvent> operatorEvents(PlantHarness h) {
    return h.events().stream().filter(e -> e.type().equals("operator")).toList();
  }

  @Test
  void startingTheTuneOfTheTemperatureLoopLeavesTheOxygenCascadeAndTheFlowLoopAsTheyWere() {
    PlantHarness tuned = settled(5, null);
    PlantHarness twin = settled(5, null); // the same plant, seed and history, never tuned
    ReactorControl rc = tuned.control();
    ControlLoop oxygen = rc.loop("oxygen");
    assertThat(oxygen.mode()).isEqualTo(LoopMode.CASCADE);
    double innerSetpoint = oxygen.pid().workingSetpoint();
    double outerOutput = oxygen.outerPid().output();

    assertThat(rc.startAutotune("temperature", TEMPERATURE, "eng").accepted()).isTrue();
    // the start itself touches nothing but the temperature loop
    assertThat(oxygen.mode()).isEqualTo(LoopMode.CASCADE);
    assertThat(oxygen.pid().workingSetpoint()).isEqualTo(innerSetpoint);
    assertThat(oxygen.outerPid().output()).isEqualTo(outerOutput);
    assertThat(rc.loop("flow").mode()).isEqualTo(LoopMode.AUTO);

    tuned.run(5);
    twin.run(5);
    // 5 s of relay moves the medium by thousandths of a degree: oxygen and flow go on as untuned
    assertThat(tuned.actuator("heater")).isNotCloseTo(twin.actuator("heater"), within(1.0));
    assertThat(tuned.actuator("gas_o2")).isCloseTo(twin.actuator("gas_o2"), within(0.01));
    assertThat(tuned.actuator("pump")).isCloseTo(twin.actuator("pump"), within(0.01));
    assertThat(oxygen.pid().workingSetpoint())
        .isCloseTo(twin.control().loop("oxygen").pid().workingSetpoint(), within(0.01));

    AutotuneProgress end = runUntilDecided(tuned, "temperature");
    assertThat(end.phase()).isEqualTo(Phase.PROPOSAL_READY);
    assertThat(oxygen.mode()).isEqualTo(LoopMode.CASCADE);
    assertThat(rc.loop("temperature").mode()).isEqualTo(LoopMode.AUTO);
  }

  @Test
  void progressThenRejectKeepsTheTuningAndAcceptAppliesTheProposalBumplesslyEachAudited() {
    PlantHarness h = settled(1, null);
    ReactorControl rc = h.control();
    PidTuning shipped = rc.loop("temperature").pid().tuning();
    assertThat(rc.autotuneProgress("temperature")).isNull();

    assertThat(rc.startAutotune("temperature", TEMPERATURE, "eng-anna").accepted()).isTrue();
    h.run(30);
    AutotuneProgress early = rc.autotuneProgress("temperature");
    assertThat(early.phase()).isEqualTo(Phase.RUNNING);
    assertThat(early.startedBy()).isEqualTo("eng-anna");
    assertThat(early.elapsedS()).isCloseTo(30, within(1.5));
    assertThat(early.cyclesNeeded()).isEqualTo(TEMPERATURE.cycles() + 1);
    assertThat(early.result()).isNull();
    assertThat(early.currentTuning()).isEqualTo(shipped);
    for (int i = 0; i < 100 && rc.autotuneProgress("temperature").cyclesSeen() < 2; i++) {
      h.run(10);
    }
    AutotuneProgress mid = rc.autotuneProgress("temperature");
    assertThat(mid.phase()).isEqualTo(Phase.RUNNING);
    assertThat(mid.cyclesSeen()).isEqualTo(2);
    assertThat(mid.amplitudeSoFar()).isBetween(0.01, TEMPERATURE.maxDeviation());
    assertThat(mid.periodSoFarS()).isBetween(30.0, 600.0);

    AutotuneProgress ready = runUntilDecided(h, "temperature");
    assertThat(ready.phase()).isEqualTo(Phase.PROPOSAL_READY);
    assertThat(ready.result().proposal()).isNotEqualTo(shipped);
    assertThat(rc.startAutotune("temperature", TEMPERATURE, "eng-bob").message())
        .contains("proposal waiting")
        .contains("accept or reject it first");
    assertThat(rc.abortAutotune("temperature", "eng-bob").message())
        .contains("only a running test can be aborted");

    assertThat(rc.rejectAutotune("temperature", "eng-bob").accepted()).isTrue();
    assertThat(rc.autotuneProgress("temperature").phase()).isEqualTo(Phase.REJECTED);
    assertThat(rc.autotuneProgress("temperature").decidedBy()).isEqualTo("eng-bob");
    assertThat(rc.loop("temperature").pid().tuning()).isEqualTo(shipped);
    assertThat(rc.acceptAutotune("temperature", "eng-bob").accepted()).isFalse();

    h.run(600);
    assertThat(rc.startAutotune("temperature", TEMPERATURE, "eng-anna").accepted()).isTrue();
    AutotuneProgress second = runUntilDecided(h, "temperature");
    assertThat(second.phase()).isEqualTo(Phase.PROPOSAL_READY);
    h.run(30);
    double before = h.actuator("heater");
    assertThat(rc.acceptAutotune("temperature", "eng-anna").accepted()).isTrue();
    assertThat(rc.loop("temperature").pid().tuning()).isEqualTo(second.result().proposal());
    assertThat(rc.autotuneProgress("temperature").phase()).isEqualTo(Phase.ACCEPTED);
    h.run(1);
    // bumpless: the next execution continues from the output in place (what moves it is the
    // PV's noise through the new P and D, a few percent at most)
    assertThat(h.actuator("heater")).isCloseTo(before, within(3.0));

    List<HepaEvent> ops = operatorEvents(h);
    assertThat(ops)
        .extracting(HepaEvent::source)
        .containsExactly("eng-anna", "eng-bob", "eng-anna", "eng-anna");
    assertThat(ops.get(0).message()).contains("started by eng-anna");
    assertThat(ops.get(1).message()).contains("rejected by eng-bob").contains("keeps K=64");
    assertThat(ops.get(3).message())
        .contains("accepted by eng-anna")
        .contains("(was K=64")
        .contains(second.result().shaping());
  }

  @Test
  void abortStopsTheRelayPutsTheOutputBackAtItsBiasAndSaysWhoAndWhen() {
    PlantHarness h = settled(2, null);
    ReactorControl rc = h.control();
    assertThat(rc.startAutotune("temperature", TEMPERATURE, "eng").accepted()).isTrue();
    double bias = rc.autotuneProgress("temperature").relayBias();
    h.run(120);
    assertThat(rc.rejectAutotune("temperature", "eng").message()).contains("only a proposal ready");
    assertThat(rc.abortAutotune("temperature", "eng-carl").accepted()).isTrue();
    AutotuneProgress p = rc.autotuneProgress("temperature");
    assertThat(p.phase()).isEqualTo(Phase.ABORTED);
    assertThat(p.reason()).isEqualTo("aborted by eng-carl");
    assertThat(p.decidedBy()).isEqualTo("eng-carl");
    assertThat(rc.loop("temperature").mode()).isEqualTo(LoopMode.AUTO);
    assertThat(rc.loop("temperature").autotuneRunning()).isFalse();
    h.run(1);
    assertThat(h.actuator("heater")).isCloseTo(bias, within(3.0));
    assertThat(operatorEvents(h).get(1).message())
        .containsPattern("aborted by eng-carl after 1(19|20) s")
        .contains("loop back to AUTO");
    assertThat(rc.abortAutotune("temperature", "eng").accepted()).isFalse();
    assertThat(rc.startAutotune("temperature", TEMPERATURE, "eng").accepted()).isTrue();
  }

  @Test
  void onATemperatureQuantisedTo0point1TheProposalDropsTheDerivativeAndTheHeaterStaysCalm() {
    SensorChannel.Spec coarse = new SensorChannel.Spec(0.02, 0, 0.1, 0, 60);
    PlantHarness h = settled(3, coarse);
    ReactorControl rc = h.control();
    assertThat(rc.startAutotune("temperature", TEMPERATURE, "eng").accepted()).isTrue();
    AutotuneProgress ready = runUntilDecided(h, "temperature");
    assertThat(ready.phase()).as(String.valueOf(ready.reason())).isEqualTo(Phase.PROPOSAL_READY);
    RelayAutoTuner.Result r = ready.result();
    assertThat(r.pvQuantum()).isCloseTo(0.1, within(1e-6));
    assertThat(r.rule()).contains("PI");
    assertThat(r.proposal().derivativeTimeS()).isZero();
    assertThat(r.shaping()).contains("PV resolution 0.1").contains("PI proposed instead");

    // what the textbook rule proposed before (Tyreus-Luyben PID with the default filter N = 10):
    // on this PV it is the 10-70 % heater of the issue
    PidTuning textbook =
        r.proposal()
            .withGains(r.ultimateGain() / 2.2, 2.2 * r.ultimatePeriodS(), r.ultimatePeriodS() / 6.3)
            .withDerivativeFilterN(10);
    PlantHarness old = settled(3, coarse);
    old.control()
        .command(
            new io.hepaloop.control.ControlCommand.SetTuning(
                "temperature", "main", textbook, "test"));
    Swing before = swing(old);
    assertThat(before.outputPeakToPeak()).isGreaterThan(40.0);

    assertThat(rc.acceptAutotune("temperature", "eng").accepted()).isTrue();
    h.run(1800);
    Swing after = swing(h);
    System.out.printf(
        "0.1 °C PV: textbook PID heater p-p %.1f %%, accepted %s heater p-p %.1f %% (PV band %.2f)%n",
        before.outputPeakToPeak(), r.rule(), after.outputPeakToPeak(), after.pvBand());
    // The bound: with the PV in a band R, P swings K·R and D at most 2·R/q times its kick per
    // quantum (D = b·(y − weighted mean of past y), b·q = the kick); the integral and the room
    // feedforward move slowly and are measured. PI: no D at all.
    double k = r.proposal().gain();
    assertThat(after.dPeakToPeak()).isZero();
    assertThat(after.outputPeakToPeak())
        .isLessThanOrEqualTo(k * after.pvBand() + after.slowPeakToPeak() + 1e-6)
        .isLessThan(before.outputPeakToPeak() / 2);
    // and a calm heater: a couple of quanta of P, not the tens of percent of the textbook PID
    assertThat(after.outputPeakToPeak()).isLessThan(25.0);
  }

  @Test
  void aPvWithoutVisibleQuantisationKeepsItsDerivative() {
    PlantHarness h = settled(4, new SensorChannel.Spec(0.02, 0, 0, 0, 60));
    ReactorControl rc = h.control();
    assertThat(rc.startAutotune("temperature", TEMPERATURE, "eng").accepted()).isTrue();
    AutotuneProgress ready = runUntilDecided(h, "temperature");
    assertThat(ready.phase()).isEqualTo(Phase.PROPOSAL_READY);
    assertThat(ready.result().pvQuantum()).isZero();
    assertThat(ready.result().rule()).isEqualTo("Tyreus-Luyben PID");
    assertThat(ready.result().proposal().derivativeTimeS()).isGreaterThan(5.0);
    assertThat(ready.result().proposal().derivativeFilterN())
        .isEqualTo(PROFILE.loops().get(0).tuning().derivativeFilterN());
    assertThat(ready.result().shaping()).contains("no quantisation visible");
  }

  /** The temperature loop's swings over 30 min of steady state. */
  record Swing(double outputPeakToPeak, double dPeakToPeak, double pvBand, double slowPeakToPeak) {}

  static Swing swing(PlantHarness h) {
    h.run(1800);
    List<LoopSnapshot> s = new ArrayList<>();
    h.onSnapshot(
        x -> {
          if (x.loopId().equals("temperature")) {
            s.add(x);
          }
        });
    h.run(1800);
    h.onSnapshot(x -> {});
    return new Swing(
        pp(s.stream().mapToDouble(LoopSnapshot::output).toArray()),
        pp(s.stream().mapToDouble(LoopSnapshot::dTerm).toArray()),
        pp(s.stream().mapToDouble(LoopSnapshot::pv).toArray()),
        pp(s.stream().mapToDouble(x -> x.iTerm() + x.ffTerm()).toArray()));
  }

  static double pp(double[] v) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    return max - min;
  }
}
