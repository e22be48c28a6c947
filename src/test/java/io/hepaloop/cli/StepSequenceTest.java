package io.hepaloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The loss count of {@code bench link}: steps missed, across the wrap, per reactor. */
class StepSequenceTest {
  @Test
  void everyStepSeenIsNoLossAcrossTheWrap() {
    StepSequence s = new StepSequence();
    for (long k = 50; k < 50 + 3 * StepSequence.STEPS; k++) {
      s.record("r1", StepSequence.valueOf(k));
    }
    assertThat(StepSequence.valueOf(59)).isEqualTo(79.0);
    assertThat(StepSequence.valueOf(60)).isEqualTo(20.0);
    assertThat(s.seen()).isEqualTo(3 * StepSequence.STEPS - 1);
    assertThat(s.missed()).isZero();
    assertThat(s.lossPercent()).isZero();
  }

  @Test
  void skippedStepsAreCountedAlsoWhereTheValueWrapsAndRepeatsApart() {
    StepSequence s = new StepSequence();
    s.record("r1", 77.0);
    s.record("r1", 78.0);
    s.record("r1", 21.0); // 79 and 20 missed
    s.record("r1", 21.0); // read back twice
    s.record("r2", 30.0);
    s.record("r2", 33.0); // 31, 32 missed; r2 counts apart from r1
    s.record("r1", 12.5); // not a step of ours
    assertThat(s.missed()).isEqualTo(4);
    assertThat(s.seen()).isEqualTo(3);
    assertThat(s.repeated()).isEqualTo(1);
    assertThat(s.lossPercent())
        .isCloseTo(100.0 * 4 / 7, org.assertj.core.api.Assertions.within(1e-9));
  }
}
