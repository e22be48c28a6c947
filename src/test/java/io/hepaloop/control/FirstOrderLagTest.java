package io.hepaloop.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FirstOrderLagTest {
  static final long S = 1_000_000_000L;

  @Test
  void
      itStartsAtItsFirstInputAndReachesOneMinusOneOverEOfAStepAfterOneTimeConstantWhateverTheStepSize() {
    FirstOrderLag coarse = new FirstOrderLag(10.0);
    FirstOrderLag fine = new FirstOrderLag(10.0);
    assertThat(coarse.value()).isNaN();
    assertThat(coarse.update(0.0, 0)).isZero();
    fine.update(0.0, 0);
    assertThat(coarse.update(1.0, 10 * S))
        .isCloseTo(1 - Math.exp(-1), within(1e-12)); // one late execution
    for (int i = 1; i <= 100; i++) {
      fine.update(1.0, i * S / 10);
    }
    assertThat(fine.value()).isCloseTo(coarse.value(), within(1e-12));
    coarse.reset(5.0, 11 * S);
    assertThat(coarse.update(5.0, 12 * S)).isEqualTo(5.0);
  }
}
