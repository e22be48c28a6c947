package io.hepaloop.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PvResolutionTest {
  static double quantise(double v, double q) {
    return Math.round(v / q) * q;
  }

  @Test
  void aNoisyPvReportedIn0point1StepsHasAQuantumOf0point1EvenWithTheGridOffset() {
    PvResolution r = new PvResolution();
    Random noise = new Random(1);
    for (int k = 0; k < 2000; k++) {
      double v = 37.0 + 0.2 * Math.sin(k / 30.0) + 0.02 * noise.nextGaussian();
      r.observe(quantise(v - 0.05, 0.1) + 0.05); // a grid at ...36.95, 37.05, ...
    }
    assertThat(r.quantum()).isCloseTo(0.1, within(1e-9));
  }

  @Test
  void aPvThatChangesByArbitraryAmountsShowsNoQuantisation() {
    PvResolution r = new PvResolution();
    Random noise = new Random(2);
    for (int k = 0; k < 2000; k++) {
      r.observe(37.0 + 0.2 * Math.sin(k / 30.0) + 0.02 * noise.nextGaussian());
    }
    assertThat(r.quantum()).isZero();
  }

  @Test
  void aFewStrayChangesOffTheGridDoNotHideIt() {
    PvResolution r = new PvResolution();
    Random noise = new Random(3);
    for (int k = 0; k < 1000; k++) {
      double v = quantise(37.0 + 0.3 * Math.sin(k / 20.0) + 0.02 * noise.nextGaussian(), 0.01);
      r.observe(k == 100 || k == 500 ? v + 0.0037 : v);
    }
    assertThat(r.quantum()).isCloseTo(0.01, within(1e-6));
  }

  @Test
  void tooFewChangesAreNotEnoughToTellAndBadValuesAreIgnored() {
    PvResolution r = new PvResolution();
    for (int k = 0; k < 100; k++) {
      r.observe(k % 10 == 0 ? 37.1 : 37.0); // changes only 19 times
      r.observe(Double.NaN);
    }
    assertThat(r.changes()).isEqualTo(19);
    assertThat(r.quantum()).isNaN();
  }
}
