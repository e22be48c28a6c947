package io.hepaloop.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayDeque;
import org.junit.jupiter.api.Test;

class RelayAutoTunerTest {

  /** First order plus dead time, gain 1, τ = 10 s, θ = 2 s, integrated at 10 ms. */
  static final class Fopdt {
    final double tau = 10;
    final double h = 0.01;
    final ArrayDeque<Double> delay = new ArrayDeque<>();
    double y;

    Fopdt() {
      for (int i = 0; i < 200; i++) {
        delay.add(0.0);
      }
    }

    double step(double u) {
      delay.add(u);
      double ud = delay.poll();
      y += h / tau * (ud - y);
      return y;
    }
  }

  @Test
  void theRelayFindsTheUltimateGainAndPeriodOfAKnownPlant() {
    // theory: phase −atan(ωτ) − ωθ = −π  →  ω ≈ 0.8638 rad/s, Pu ≈ 7.27 s, Ku = sqrt(1 + (ωτ)²) ≈
    // 8.70
    RelayAutoTuner t =
        new RelayAutoTuner(
            new RelayAutoTuner.Config(1.0, 0.0, 5.0, 4, 600, false),
            0.0,
            0.0,
            -10,
            10,
            Pid.Direction.REVERSE,
            PidTuning.of(1, 10, 0));
    Fopdt plant = new Fopdt();
    double u = 0;
    for (int k = 0; k < 60_000 && t.state() == RelayAutoTuner.State.RUNNING; k++) {
      double y = plant.step(u);
      u = t.step(y, true, k * plant.h);
    }
    assertThat(t.state()).isEqualTo(RelayAutoTuner.State.DONE);
    // relay on a dead-time plant oscillates at Pu = 2θ·(…) ≈ the ultimate period within the
    // describing-function error
    assertThat(t.result().ultimatePeriodS()).isCloseTo(7.27, within(0.9));
    // the describing function sees a square-ish wave and underestimates Ku (here by ~20 %): the
    // safe direction
    assertThat(t.result().ultimateGain()).isBetween(8.70 * 0.75, 8.70 * 1.05);
    // Tyreus–Luyben PI
    assertThat(t.result().proposal().gain())
        .isCloseTo(t.result().ultimateGain() / 3.2, within(1e-9));
    assertThat(t.result().proposal().integralTimeS())
        .isCloseTo(2.2 * t.result().ultimatePeriodS(), within(1e-9));
  }

  @Test
  void theTestAbortsAndReturnsToTheBiasWhenThePvLeavesTheSafetyBand() {
    RelayAutoTuner t =
        new RelayAutoTuner(
            new RelayAutoTuner.Config(10.0, 0.05, 0.5, 3, 3600, true),
            37.0,
            35.0,
            0,
            100,
            Pid.Direction.REVERSE,
            PidTuning.of(1, 10, 0));
    assertThat(t.step(36.9, true, 0)).isEqualTo(45.0);
    assertThat(t.step(37.6, true, 1)).isEqualTo(35.0);
    assertThat(t.state()).isEqualTo(RelayAutoTuner.State.ABORTED);
    assertThat(t.abortReason()).contains("37.600");
  }

  @Test
  void aBadPvAbortsTheTest() {
    RelayAutoTuner t =
        new RelayAutoTuner(
            new RelayAutoTuner.Config(10.0, 0.05, 0.5, 3, 3600, true),
            37.0,
            35.0,
            0,
            100,
            Pid.Direction.REVERSE,
            PidTuning.of(1, 10, 0));
    t.step(36.9, true, 0);
    assertThat(t.step(Double.NaN, false, 1)).isEqualTo(35.0);
    assertThat(t.abortReason()).contains("bad");
  }

  @Test
  void anInfiniteDeviationOrTimeLimitIsRefusedBecauseItWouldSwitchOffTheSafetyAborts() {
    assertThatThrownBy(
            () -> new RelayAutoTuner.Config(10.0, 0.05, Double.POSITIVE_INFINITY, 3, 3600, true))
        .hasMessageContaining("finite")
        .hasMessageContaining("Infinity");
    assertThatThrownBy(
            () -> new RelayAutoTuner.Config(10.0, 0.05, 0.5, 3, Double.POSITIVE_INFINITY, true))
        .hasMessageContaining("finite");
    assertThatThrownBy(() -> new RelayAutoTuner.Config(Double.NaN, 0.05, 0.5, 3, 3600, true))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRelayThatWouldLeaveTheActuatorRangeIsRefused() {
    assertThatThrownBy(
            () ->
                new RelayAutoTuner(
                    new RelayAutoTuner.Config(30.0, 0.05, 0.5, 3, 3600, true),
                    37.0,
                    80.0,
                    0,
                    100,
                    Pid.Direction.REVERSE,
                    PidTuning.of(1, 10, 0)))
        .hasMessageContaining("lower the amplitude");
  }

  @Test
  void aRelayThatNeverMovesThePvAcrossTheSetpointSaysSoWhenItTimesOut() {
    RelayAutoTuner t =
        new RelayAutoTuner(
            new RelayAutoTuner.Config(10.0, 0.05, 0.6, 3, 600, true),
            37.0,
            25.0,
            0,
            100,
            Pid.Direction.REVERSE,
            PidTuning.of(1, 10, 0));
    for (int s = 0; s <= 601 && t.state() == RelayAutoTuner.State.RUNNING; s++) {
      t.step(
          36.97, true, s); // the heater at 35 % only just holds the PV below setpoint + hysteresis
    }
    assertThat(t.state()).isEqualTo(RelayAutoTuner.State.ABORTED);
    assertThat(t.abortReason())
        .contains("never crossed the setpoint ± 0.050 within 600 s")
        .contains("relay 25.00 ± 10.00");
  }

  /** The relay test on the FOPDT plant with its PV read through a quantiser of step q. */
  static RelayAutoTuner.Result tuneQuantised(double q, double filterN) {
    RelayAutoTuner t =
        new RelayAutoTuner(
            new RelayAutoTuner.Config(1.0, 0.0, 5.0, 4, 600, true),
            0.0,
            0.0,
            -10,
            10,
            Pid.Direction.REVERSE,
            PidTuning.of(1, 10, 0).withDerivativeFilterN(filterN));
    Fopdt plant = new Fopdt();
    double u = 0;
    for (int k = 0; k < 60_000 && t.state() == RelayAutoTuner.State.RUNNING; k++) {
      double y = plant.step(u);
      u = t.step(q > 0 ? Math.round(y / q) * q : y, true, k * plant.h);
    }
    assertThat(t.state()).as(String.valueOf(t.abortReason())).isEqualTo(RelayAutoTuner.State.DONE);
    return t.result();
  }

  @Test
  void aQuantisedPvGetsAStrongerDerivativeFilterSoOneStepKicksTheOutputByAtMostTheBound() {
    RelayAutoTuner.Result r = tuneQuantised(0.05, 10);
    assertThat(r.pvQuantum()).isCloseTo(0.05, within(1e-9));
    assertThat(r.rule()).isEqualTo("Tyreus-Luyben PID");
    double bound = RelayAutoTuner.MAX_DERIVATIVE_KICK_FRACTION * 20; // span [-10, 10]
    PidTuning unshaped = r.proposal().withDerivativeFilterN(10);
    assertThat(RelayAutoTuner.derivativeKick(unshaped, 0.05, 0.01)).isGreaterThan(bound);
    assertThat(r.proposal().derivativeFilterN()).isBetween(1.0, 10.0);
    assertThat(r.proposal().derivativeTimeS()).isCloseTo(r.ultimatePeriodS() / 6.3, within(1e-9));
    assertThat(RelayAutoTuner.derivativeKick(r.proposal(), 0.05, 0.01))
        .isLessThanOrEqualTo(bound)
        .isGreaterThan(0.9 * bound);
    assertThat(r.shaping()).contains("derivative filter raised to N=");
  }

  @Test
  void theSamePlantWithoutQuantisationKeepsTheTextbookDerivative() {
    RelayAutoTuner.Result r = tuneQuantised(0, 10);
    assertThat(r.pvQuantum()).isZero();
    assertThat(r.proposal().derivativeFilterN()).isEqualTo(10);
    assertThat(r.proposal().derivativeTimeS()).isCloseTo(r.ultimatePeriodS() / 6.3, within(1e-9));
    assertThat(r.shaping()).contains("no quantisation visible");
  }

  @Test
  void aPvSoCoarseThatOnlyAUselessFilterWouldTameDGetsPi() {
    RelayAutoTuner.Result r = tuneQuantised(0.2, 10);
    assertThat(r.pvQuantum()).isCloseTo(0.2, within(1e-9));
    assertThat(r.proposal().derivativeTimeS()).isZero();
    assertThat(r.proposal().gain()).isCloseTo(r.ultimateGain() / 3.2, within(1e-9));
    assertThat(r.rule()).contains("derivative dropped");
  }
}
