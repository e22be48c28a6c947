package io.hepaloop.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hepaloop.profile.LoopSpec.FeedforwardSpec;
import org.junit.jupiter.api.Test;

class MeasuredFeedforwardTest {
  static final long S = 1_000_000_000L;

  @Test
  void itStartsAtZeroWhereverTheDisturbanceIsSoEnablingItNeverBumpsTheOutput() {
    MeasuredFeedforward ff = new MeasuredFeedforward(new FeedforwardSpec("room", -2.5, 20.0, 4.0));
    assertThat(ff.update(23.0, true, 0)).isZero();
    assertThat(ff.update(23.0, true, S)).isZero();
  }

  @Test
  void aStaticFeedforwardMovesTheOutputByItsGainPerUnitOfDisturbance() {
    MeasuredFeedforward ff = new MeasuredFeedforward(new FeedforwardSpec("room", -2.5, null, null));
    ff.update(23.0, true, 0);
    assertThat(ff.update(15.0, true, S))
        .isCloseTo(20.0, within(1e-12)); // room −8 °C → heater +20 %
    assertThat(ff.update(25.0, true, 2 * S)).isCloseTo(-5.0, within(1e-12));
  }

  @Test
  void theLeadKicksByLeadOverLagTimesTheSteadyValueAndSettlesToItWithTheLagTimeConstant() {
    MeasuredFeedforward ff = new MeasuredFeedforward(new FeedforwardSpec("room", -2.5, 20.0, 4.0));
    ff.update(23.0, true, 0);
    // a step of −8 °C seen one 1 ms after the last reading: almost all lead
    double kick = ff.update(15.0, true, 1_000_000);
    assertThat(kick).isCloseTo(20.0 * 20.0 / 4.0, within(0.1));
    // after one lag time constant, 1/e of the excess is left
    double afterTau = ff.update(15.0, true, 1_000_000 + 4 * S);
    assertThat(afterTau - 20.0).isCloseTo((kick - 20.0) * Math.exp(-1), within(0.01));
    double later = ff.update(15.0, true, 1_000_000 + 60 * S);
    assertThat(later).isCloseTo(20.0, within(1e-4));
  }

  @Test
  void anUnusableReadingHoldsTheContributionAndReadingsThatReturnContinueFromItWithoutAJump() {
    MeasuredFeedforward ff = new MeasuredFeedforward(new FeedforwardSpec("room", -2.5, null, null));
    ff.update(23.0, true, 0);
    assertThat(ff.update(21.0, true, S)).isCloseTo(5.0, within(1e-12));
    assertThat(ff.update(Double.NaN, true, 2 * S)).isCloseTo(5.0, within(1e-12));
    assertThat(ff.update(-40.0, false, 3 * S))
        .isCloseTo(5.0, within(1e-12)); // a failed sensor's garbage is not used
    // back at 30 °C (the sensor was replaced, or drifted): no jump, then it follows changes again
    assertThat(ff.update(30.0, true, 4 * S)).isCloseTo(5.0, within(1e-12));
    assertThat(ff.update(29.0, true, 5 * S)).isCloseTo(7.5, within(1e-12));
  }
}
