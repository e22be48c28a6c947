package io.hepaloop.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * OUR falling by more than 20 % over 24 h, fed once a second (as fast as {@code OurTracker} can
 * derive it) with 5 % measurement noise, for days on a {@link ManualClock}.
 */
class OurDeclineTest {
  private final ManualClock clock = new ManualClock();
  private final List<AlarmTransition> transitions = new ArrayList<>();
  private final Random noise = new Random(8);
  private final AlarmEngine engine =
      new AlarmEngine(
          clock,
          List.of(
              new AlarmDefinition(
                  "construct_failing",
                  "r1",
                  AlarmKind.OUR_DECLINE,
                  null,
                  20,
                  2,
                  0,
                  0,
                  AlarmPriority.HIGH,
                  false,
                  0,
                  null,
                  AlarmScript.RATIONALE,
                  24 * 3600,
                  0)),
          Duration.ofHours(8),
          transitions::add);

  private void feed(double fromH, double hours, DoubleUnaryOperator ourAtHour) {
    feed(fromH, hours, ourAtHour, Duration.ZERO);
  }

  /** As {@link #feed}, with the device's clock {@code deviceClockOffset} off the controller's. */
  private void feed(
      double fromH, double hours, DoubleUnaryOperator ourAtHour, Duration deviceClockOffset) {
    long n = Math.round(hours * 3600);
    for (long i = 0; i < n; i++) {
      clock.advanceSeconds(1);
      double h = fromH + (i + 1) / 3600.0;
      engine.onOur(
          "r1",
          clock.now().plus(deviceClockOffset),
          ourAtHour.applyAsDouble(h) * (1 + 0.05 * noise.nextGaussian()));
      if (i % 60 == 0) {
        engine.tick();
      }
    }
  }

  @Test
  void aSteadyNoisyUptakeAndTheSlowAgeingOfAHealthyCultureNeverFire() {
    feed(0, 3 * 24, h -> 100);
    // steady-culture.yaml: cell activity declines about 10 % per day
    feed(72, 4 * 24, h -> 100 * Math.pow(0.9, (h - 72) / 24));
    assertThat(transitions).isEmpty();
    assertThat(engine.alarm("r1", "construct_failing").value()).isBetween(5.0, 15.0);
  }

  @Test
  void aFortyPercentFallWithinTwelveHoursFiresAndSaysByHowMuchOverWhichHours() {
    feed(0, 24, h -> 100);
    assertThat(transitions).as("a full window of steady uptake").isEmpty();
    feed(24, 24, h -> 100 - 40 * Math.min(1, (h - 24) / 12));
    AlarmTransition fired = transitions.get(0);
    assertThat(fired.to()).isEqualTo(AlarmState.UNACK_ACTIVE);
    assertThat(fired.value()).as("decline in percent").isBetween(20.0, 23.0);
    assertThat(fired.message()).containsPattern("OUR fell 2\\d\\.\\d % over 2[34]\\.\\d h");
    // fires once the newest 2.4 h average is 20 % below the oldest: about 7 h into the fall
    assertThat(Duration.between(clock.now().minus(Duration.ofHours(24)), fired.time()))
        .isBetween(Duration.ofHours(6), Duration.ofHours(8));
  }

  @Test
  void aDeviceClockThatJumpsBackTwelveHoursDoesNotBlindTheAlarm() {
    feed(0, 24, h -> 100);
    // the device's clock is set back 12 h as the fall starts (a PLC resynchronised, a battery
    // swapped): OUR is placed by its arrival on the controller's clock, so it fires as it would
    // with a right clock, not 12 h later when the device's time has caught up
    feed(24, 24, h -> 100 - 40 * Math.min(1, (h - 24) / 12), Duration.ofHours(-12));
    assertThat(transitions).isNotEmpty();
    assertThat(Duration.between(clock.now().minus(Duration.ofHours(24)), transitions.get(0).time()))
        .isBetween(Duration.ofHours(6), Duration.ofHours(8));
  }

  @Test
  void aWindowNotYetFilledDoesNotFireEvenOnAHalving() {
    feed(0, 6, h -> 100);
    feed(6, 12, h -> 50);
    assertThat(transitions).isEmpty();
    feed(18, 7, h -> 50);
    assertThat(transitions).isNotEmpty();
  }
}
