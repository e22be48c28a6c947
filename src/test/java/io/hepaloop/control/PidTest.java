package io.hepaloop.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hepaloop.control.Pid.Config;
import io.hepaloop.control.Pid.Direction;
import io.hepaloop.control.Pid.Mode;
import io.hepaloop.time.ManualClock;
import org.junit.jupiter.api.Test;

class PidTest {
  private final ManualClock clock = new ManualClock();

  private Pid auto(Config c, PidTuning t, double sp, double u0) {
    Pid pid = new Pid(clock, c, t, sp, u0);
    pid.setMode(Mode.AUTO);
    return pid;
  }

  private double step(Pid pid, double seconds, double pv) {
    clock.advanceSeconds(seconds);
    return pid.update(pv, true);
  }

  @Test
  void aSetpointStepGivesNoDerivativeKickOnlyTheWeightedProportionalStep() {
    Pid pid =
        auto(
            Config.percent(Direction.REVERSE),
            PidTuning.of(2.0, 100, 20).withSetpointWeights(0.5, 0),
            37,
            50);
    step(pid, 1, 37);
    double before = step(pid, 1, 37);
    pid.setSetpoint(38);
    double after = step(pid, 1, 37);
    assertThat(pid.dTerm()).isEqualTo(0.0);
    // b = 0.5: the proportional term moves by K·b·Δr = 1.0; the integral adds K·h/Ti·e of the
    // previous (zero) error.
    assertThat(after - before).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void theDerivativeActsOnTheMeasurementThroughItsFilter() {
    Pid pid = auto(Config.percent(Direction.REVERSE), PidTuning.of(2.0, 0, 10), 37, 50);
    step(pid, 1, 37);
    step(pid, 1, 37.1); // PV rising: derivative pushes a heater down
    assertThat(pid.dTerm()).isNegative();
    // filter Tf = Td/N = 1 s: first response K·Td/(Tf+h)·Δy = 2·10/2·0.1 = 1.0
    assertThat(pid.dTerm()).isCloseTo(-1.0, within(1e-9));
  }

  @Test
  void theIntegralStopsWindingWhileTheOutputIsSaturated() {
    PidTuning t = PidTuning.of(5.0, 10, 0);
    Pid pid = auto(Config.percent(Direction.REVERSE), t, 37, 50);
    for (int k = 0; k < 600; k++) {
      step(pid, 1, 30); // far below setpoint for 10 minutes: output pinned at 100 %
    }
    assertThat(pid.output()).isEqualTo(100.0);
    assertThat(pid.saturated()).isTrue();
    // back-calculation keeps v = P + I close to the limit instead of winding for 10 minutes
    assertThat(pid.pTerm() + pid.iTerm()).isLessThan(100.0 + 5.0 * 7 * 2);
    // the PV crosses the setpoint: the output leaves the limit within a couple of executions
    step(pid, 1, 37.5);
    step(pid, 1, 37.5);
    assertThat(pid.output()).isLessThan(100.0);
  }

  @Test
  void withoutBackCalculationTheSameIntegralWouldHaveWoundFarBeyondTheLimit() {
    // a sanity contrast for the test above: K·h/Ti·e accumulated over 600 s is 5·600/10·7 = 2100 %
    assertThat(5.0 * 600 / 10 * 7).isGreaterThan(1000);
  }

  @Test
  void switchingFromManualToAutoKeepsTheOutputWhereItWas() {
    Pid pid = new Pid(clock, Config.percent(Direction.REVERSE), PidTuning.of(10, 60, 0), 37, 0);
    pid.setManualOutput(42);
    step(pid, 1, 36.0);
    step(pid, 1, 36.2);
    assertThat(pid.output()).isEqualTo(42.0);
    pid.setMode(Mode.AUTO);
    double first = step(pid, 1, 36.2);
    assertThat(first).isCloseTo(42.0, within(1e-9));
    double second = step(pid, 1, 36.2);
    assertThat(second - first)
        .isCloseTo(10 * 1.0 / 60 * 0.8, within(1e-9)); // then only integral action moves it
  }

  @Test
  void switchingFromAutoToManualStartsManualAtTheOutputInPlace() {
    Pid pid = auto(Config.percent(Direction.REVERSE), PidTuning.of(10, 60, 0), 37, 30);
    step(pid, 1, 36.5);
    double u = step(pid, 1, 36.5);
    pid.setMode(Mode.MANUAL);
    assertThat(step(pid, 1, 36.0)).isEqualTo(u);
  }

  @Test
  void aTuningChangeMidRunCausesNoBumpInTheOutput() {
    Pid pid = auto(Config.percent(Direction.REVERSE), PidTuning.of(5, 100, 0), 37, 40);
    for (int k = 0; k < 20; k++) {
      step(pid, 1, 36.5);
    }
    double before = pid.output();
    pid.setTuning(PidTuning.of(20, 50, 10));
    double after = step(pid, 1, 36.5);
    assertThat(after).isCloseTo(before, within(1e-9));
    assertThat(pid.tuning().gain()).isEqualTo(20.0);
  }

  @Test
  void directActionFlipsTheSignOfEveryTerm() {
    Pid rev = auto(Config.percent(Direction.REVERSE), PidTuning.of(4, 10, 0), 40, 50);
    Pid dir = auto(Config.percent(Direction.DIRECT), PidTuning.of(4, 10, 0), 40, 50);
    step(rev, 0, 41);
    dir.update(41, true);
    step(rev, 1, 41);
    dir.update(41, true);
    clock.advanceSeconds(1);
    double ur = rev.update(41, true);
    double ud = dir.update(41, true);
    assertThat(ur).isLessThan(50);
    assertThat(ud).isGreaterThan(50);
    assertThat(ur - 50).isCloseTo(-(ud - 50), within(1e-9));
  }

  @Test
  void negativeGainsAreRefusedWithTheirName() {
    assertThatThrownBy(() -> PidTuning.of(-1, 10, 0)).hasMessageContaining("gain");
    assertThatThrownBy(() -> PidTuning.of(1, -10, 0)).hasMessageContaining("integralTimeS");
    assertThatThrownBy(() -> Direction.parse("sideways")).hasMessageContaining("sideways");
  }

  @Test
  void aMissedCycleIntegratesTheRealElapsedTimeAndKicksNothing() {
    PidTuning t = PidTuning.of(3, 30, 5);
    Pid regular = auto(Config.percent(Direction.REVERSE), t, 37, 50);
    ManualClock other = new ManualClock();
    Pid missing = new Pid(other, Config.percent(Direction.REVERSE), t, 37, 50);
    missing.setMode(Mode.AUTO);
    double maxRegularD = 0;
    for (int k = 0; k < 20; k++) {
      double pv = 36.0 + 0.01 * k; // slowly rising PV
      clock.advanceSeconds(1);
      regular.update(pv, true);
      maxRegularD = Math.max(maxRegularD, Math.abs(regular.dTerm()));
      boolean missed = k >= 10 && k < 13; // three executions do not happen
      other.advanceSeconds(1);
      if (!missed) {
        missing.update(pv, true);
        if (k == 13) {
          // the execution after the gap: derivative no larger than in regular operation
          assertThat(Math.abs(missing.dTerm())).isLessThanOrEqualTo(maxRegularD * 1.01);
        }
      }
    }
    // integral action over the real elapsed time: both controllers end close together
    assertThat(missing.output()).isCloseTo(regular.output(), within(0.05));
  }

  @Test
  void aBadPvHoldsTheOutputThenMovesItToTheSafeValueAndRaisesTheFlag() {
    Pid pid =
        auto(
            Config.percent(Direction.REVERSE).withSafe(0.0, 10.0), PidTuning.of(10, 60, 0), 37, 20);
    step(pid, 1, 36);
    double held = step(pid, 1, 36);
    clock.advanceSeconds(1);
    assertThat(pid.update(Double.NaN, false)).isEqualTo(held);
    assertThat(pid.pvBad()).isTrue();
    assertThat(pid.safeOutputActive()).isFalse();
    for (int k = 0; k < 9; k++) {
      clock.advanceSeconds(1);
      assertThat(pid.update(36, false))
          .isEqualTo(held); // a bad value is not used even if it is a number
    }
    clock.advanceSeconds(1.5); // 10.5 s bad > 10 s
    assertThat(pid.update(36, false)).isEqualTo(0.0);
    assertThat(pid.safeOutputActive()).isTrue();
    // good PV again: control resumes from the safe value, without a jump
    double resumed = step(pid, 1, 36);
    assertThat(resumed).isCloseTo(0.0, within(1e-9));
    assertThat(pid.pvBad()).isFalse();
    assertThat(pid.safeOutputActive()).isFalse();
  }

  @Test
  void theSetpointRampsAtItsRatePerMinute() {
    Pid pid =
        auto(Config.percent(Direction.REVERSE).withRamp(1.0), PidTuning.of(10, 60, 0), 37, 20);
    step(pid, 1, 37);
    pid.setSetpoint(38);
    assertThat(pid.workingSetpoint()).isEqualTo(37.0);
    for (int k = 0; k < 30; k++) {
      step(pid, 1, 37);
    }
    assertThat(pid.workingSetpoint()).isCloseTo(37.5, within(1e-9));
    for (int k = 0; k < 40; k++) {
      step(pid, 1, 37);
    }
    assertThat(pid.workingSetpoint()).isEqualTo(38.0);
    assertThat(pid.targetSetpoint()).isEqualTo(38.0);
  }

  @Test
  void theOutputRateLimitBoundsEachChangeToRateTimesElapsedTime() {
    Pid pid =
        auto(
            Config.percent(Direction.REVERSE),
            PidTuning.of(50, 0, 0).withOutputRateLimitPerS(2.0),
            37,
            10);
    step(pid, 1, 37);
    double prev = pid.output();
    for (int k = 0; k < 5; k++) {
      double u = step(pid, 0.5, 35);
      assertThat(u - prev).isCloseTo(1.0, within(1e-9));
      prev = u;
    }
    assertThat(pid.saturated()).isTrue();
  }

  @Test
  void feedforwardAddsToTheOutputAndTheTermsAddUp() {
    Pid pid = auto(Config.percent(Direction.REVERSE), PidTuning.of(4, 20, 2), 37, 30);
    step(pid, 1, 36.8);
    step(pid, 1, 36.9);
    double u = step(pid, 1, 36.95);
    assertThat(pid.pTerm() + pid.iTerm() + pid.dTerm()).isCloseTo(u, within(1e-9));
    pid.setFeedforward(5);
    double withFf = step(pid, 0, 36.95);
    assertThat(withFf - u).isCloseTo(5.0, within(1e-6));
  }

  @Test
  void theIntegralFollowsAnOverrideThatAppliedALowerOutput() {
    Pid pid = auto(Config.percent(Direction.REVERSE), PidTuning.of(5, 10, 0), 1.0, 50);
    for (int k = 0; k < 120; k++) {
      step(pid, 1, 0.5); // wants more and more
      pid.track(30.0); // but a select-low override holds the pump at 30 %
    }
    assertThat(pid.saturated()).isTrue();
    // external reset feedback: the unlimited output sits near what was applied, not far above
    assertThat(pid.pTerm() + pid.iTerm()).isBetween(30.0, 30.0 + 5 * 0.5 * 3);
  }

  @Test
  void initialisingFromTheOutputInPlaceMakesTheNextExecutionStartThere() {
    Pid pid = auto(Config.percent(Direction.REVERSE), PidTuning.of(5, 10, 0), 37, 0);
    step(pid, 1, 36);
    pid.initialize(63.0);
    assertThat(step(pid, 1, 36)).isCloseTo(63.0, within(1e-9));
  }
}
