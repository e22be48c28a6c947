package io.hepaloop.sim.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hepaloop.core.Quality;
import org.junit.jupiter.api.Test;

class SensorChannelTest {
  private static final SensorChannel.Spec NOISY = new SensorChannel.Spec(0.5, 0, 0, 0, 100);

  @Test
  void theSameSeedGivesTheSameReadings() {
    SensorChannel a = new SensorChannel("t", NOISY, 42);
    SensorChannel b = new SensorChannel("t", NOISY, 42);
    for (int i = 0; i < 100; i++) {
      assertThat(a.read(37, i)).isEqualTo(b.read(37, i));
    }
  }

  @Test
  void noiseHasTheConfiguredSigmaAroundTheTrueValue() {
    SensorChannel s = new SensorChannel("t", NOISY, 1);
    double sum = 0;
    double sumSq = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      double v = s.read(37, i).value();
      sum += v;
      sumSq += v * v;
    }
    double mean = sum / n;
    assertThat(mean).isCloseTo(37, within(0.02));
    assertThat(Math.sqrt(sumSq / n - mean * mean)).isCloseTo(0.5, within(0.02));
  }

  @Test
  void readingsAreQuantisedToTheInstrumentResolution() {
    SensorChannel s = new SensorChannel("t", new SensorChannel.Spec(0, 0, 0.25, 0, 100), 1);
    assertThat(s.read(37.13, 0).value()).isEqualTo(37.25);
  }

  @Test
  void calibrationDriftGrowsWithSimulatedTime() {
    SensorChannel s = new SensorChannel("t", new SensorChannel.Spec(0, 0.1, 0, 0, 100), 1);
    assertThat(s.read(37, 36_000).value()).isCloseTo(38.0, within(1e-9));
  }

  @Test
  void aValueOutsideTheInstrumentRangeIsClampedAndUncertain() {
    SensorChannel s = new SensorChannel("t", new SensorChannel.Spec(0, 0, 0, 0, 60), 1);
    assertThat(s.read(75, 0)).isEqualTo(new SensorReading(60, Quality.UNCERTAIN));
    assertThat(s.read(30, 1).quality()).isEqualTo(Quality.GOOD);
  }

  @Test
  void aStuckSensorRepeatsItsLastValueAndStillSaysGood() {
    SensorChannel s = new SensorChannel("t", NOISY, 1);
    SensorReading before = s.read(37, 0);
    s.setStuck(true);
    assertThat(s.read(20, 10)).isEqualTo(before);
    s.clearFaults();
    assertThat(s.read(20, 20).value()).isCloseTo(20, within(3.0));
  }

  @Test
  void aBadSensorReportsBadQuality() {
    SensorChannel s = new SensorChannel("t", NOISY, 1);
    s.read(37, 0);
    s.setBadQuality(true);
    assertThat(s.read(37, 1).quality()).isEqualTo(Quality.BAD);
    s.clearFaults();
    assertThat(s.read(37, 2).quality()).isEqualTo(Quality.GOOD);
  }

  @Test
  void aSpikeLastsItsDurationThenGoes() {
    SensorChannel s = new SensorChannel("t", new SensorChannel.Spec(0, 0, 0, 0, 200), 1);
    s.spike(50, 10, 5);
    assertThat(s.read(37, 9).value()).isEqualTo(37);
    assertThat(s.read(37, 12).value()).isEqualTo(87);
    assertThat(s.read(37, 15).value()).isEqualTo(37);
  }

  @Test
  void aDriftFaultAddsAnOffsetGrowingFromItsStart() {
    SensorChannel s = new SensorChannel("t", new SensorChannel.Spec(0, 0, 0, 0, 200), 1);
    s.setDriftFaultPerHour(6, 3600);
    assertThat(s.read(37, 3600 + 1800).value()).isCloseTo(40, within(1e-9));
  }
}
