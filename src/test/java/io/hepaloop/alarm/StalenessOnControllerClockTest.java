package io.hepaloop.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hepaloop.core.Quality;
import io.hepaloop.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Verifies that {@link AlarmKind#BAD_QUALITY_OR_STALE} judges a value's age on the controller's
 * clock (when the sample arrived), whatever the device's clock says, and that a device clock off by
 * more than the alarm's limit is said once per crossing. On a {@link ManualClock}: the device's
 * source times are the controller's wall time plus the device's offset.
 */
class StalenessOnControllerClockTest {
  static final String R = "r1";
  static final String ALARM = "s_stale";
  static final double LIMIT_S = 30;

  final ManualClock clock = new ManualClock();
  final List<AlarmTransition> transitions = new ArrayList<>();
  final List<ClockOffset> offsets = new ArrayList<>();
  final AlarmEngine engine =
      new AlarmEngine(
          clock,
          List.of(AlarmScript.definition(ALARM, "BAD_QUALITY_OR_STALE limit=" + LIMIT_S)),
          Duration.ofHours(8),
          new AlarmListener() {
            @Override
            public void onTransition(AlarmTransition t) {
              transitions.add(t);
            }

            @Override
            public void onClockOffset(ClockOffset o) {
              offsets.add(o);
            }
          });

  /**
   * @param deviceAheadS the device clock minus the controller's, seconds (negative: behind)
   * @param noticed whether the offset is beyond the limit and must be said (once)
   */
  static Stream<Arguments> clocks() {
    return Stream.of(
        Arguments.of("correct clock", 0.0, false),
        Arguments.of("clock 10 s ahead (within the limit)", 10.0, false),
        Arguments.of("clock 10 s behind (within the limit)", -10.0, false),
        Arguments.of("clock 45 s ahead", 45.0, true),
        Arguments.of("clock 45 s behind", -45.0, true),
        Arguments.of("clock an hour ahead", 3600.0, true),
        Arguments.of("clock an hour behind", -3600.0, true),
        Arguments.of("clock a day behind", -86_400.0, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clocks")
  void freshValuesAreNeverStaleAndSilenceIsStaleAfterTheLimitWhateverTheDeviceClock(
      String name, double deviceAheadS, boolean noticed) {
    // Ten minutes of fresh values once a second: never stale (a lagging clock used to be).
    for (int i = 0; i < 600; i++) {
      sample(5.0 + i % 3, deviceAheadS);
      clock.advanceSeconds(1);
      engine.tick();
      assertThat(state()).as("%s: fresh values at %d s", name, i).isEqualTo(AlarmState.NORMAL);
    }
    // The samples stop arriving: stale exactly after the limit on the controller's clock (a clock
    // running ahead used to make the value look younger than it is, never stale).
    clock.advanceSeconds(LIMIT_S - 1);
    engine.tick();
    assertThat(state()).as("%s: %s s without a sample", name, LIMIT_S).isEqualTo(AlarmState.NORMAL);
    clock.advanceSeconds(0.5);
    engine.tick();
    assertThat(state()).as("%s: silent beyond the limit", name).isEqualTo(AlarmState.UNACK_ACTIVE);
    AlarmTransition activation = transitions.get(transitions.size() - 1);
    assertThat(activation.value()).as("the age, on arrival").isCloseTo(LIMIT_S + 0.5, within(1e-6));
    // A fresh sample again: back to normal at once.
    sample(6, deviceAheadS);
    assertThat(state()).as("%s: a sample again", name).isEqualTo(AlarmState.RTN_UNACK);

    if (noticed) {
      assertThat(offsets).as("%s: said once, not per sample", name).hasSize(1);
      ClockOffset o = offsets.get(0);
      assertThat(o.large()).isTrue();
      assertThat(o.offsetS()).isCloseTo(deviceAheadS, within(1e-6));
      assertThat(o.message())
          .contains("reactor r1", "source times of s")
          .contains(String.format(java.util.Locale.ROOT, "%.1f s", Math.abs(deviceAheadS)))
          .contains(deviceAheadS > 0 ? "ahead of the controller's" : "behind the controller's");
      assertThat(activation.message())
          .as("the activation names the offset")
          .contains("device clock", deviceAheadS > 0 ? "ahead" : "behind");
    } else {
      assertThat(offsets).as("%s: nothing to say", name).isEmpty();
      assertThat(activation.message()).doesNotContain("device clock");
    }
  }

  @Test
  void aClockSetRightIsSaidOnceAndAgainOnlyWhenItDriftsOffAgain() {
    feed(3600, 120); // an hour ahead
    feed(0.2, 120); // set right (NTP)
    feed(-100, 120); // off again, the other way
    assertThat(offsets).extracting(ClockOffset::large).containsExactly(true, false, true);
    assertThat(offsets.get(1).message()).contains("agrees with the controller's again");
    assertThat(offsets.get(2).offsetS()).isCloseTo(-100, within(1e-6));
    assertThat(transitions).as("nothing went stale meanwhile").isEmpty();
  }

  @Test
  void anOffsetJustUnderTheLimitGoesAndComesWithoutChatter() {
    // Around the limit, hysteresis: beyond the limit is said, back only within half of it.
    feed(31, 120);
    feed(29, 120);
    feed(16, 120);
    feed(31, 120);
    feed(14, 120);
    assertThat(offsets).extracting(ClockOffset::large).containsExactly(true, false);
    assertThat(offsets.get(1).offsetS()).isCloseTo(14, within(1e-6));
  }

  @Test
  void anInitialValueWithAnOldSourceTimeIsFreshAndSaysNothingOfTheClock() {
    // A quiet signal's first notification (after a connect) carries the time of its last change.
    sample(5, -7200);
    assertThat(state()).isEqualTo(AlarmState.NORMAL);
    feed(0, 120);
    // The link is lost: it re-publishes the last value as stale (Bad, source time kept).
    engine.onSignal(R, "s", 5, Quality.BAD, clock.now().minusSeconds(3), true);
    assertThat(state()).isEqualTo(AlarmState.UNACK_ACTIVE);
    clock.advanceSeconds(20);
    engine.tick();
    assertThat(engine.alarm(R, ALARM).value())
        .as("a stale re-publication is not fresh: the age counts from the last fresh sample")
        .isCloseTo(21, within(1e-6));
    // Back: the new subscription's initial value is an hour old, then fresh values follow.
    sample(5, -3600);
    feed(0, 120);
    assertThat(state()).isEqualTo(AlarmState.RTN_UNACK);
    assertThat(offsets).as("old initial values are not a clock offset").isEmpty();
  }

  @Test
  void aSampleWithoutSourceTimeIsFreshAndSaysNothingOfTheClock() {
    for (int i = 0; i < 120; i++) {
      engine.onSignal(R, "s", 5, Quality.GOOD, null);
      clock.advanceSeconds(1);
      engine.tick();
    }
    assertThat(state()).isEqualTo(AlarmState.NORMAL);
    clock.advanceSeconds(LIMIT_S + 1);
    engine.tick();
    assertThat(state()).isEqualTo(AlarmState.UNACK_ACTIVE);
    assertThat(offsets).isEmpty();
  }

  @Test
  void thirtyDaysOfAClockAnHourAheadAreSaidOnce() {
    for (int i = 0; i < 30 * 24 * 60; i++) { // a sample every 20 s for 30 days
      sample(5, 3600);
      clock.advanceSeconds(20);
      engine.tick();
      sample(5, 3600);
      clock.advanceSeconds(20);
      engine.tick();
      sample(5, 3600);
      clock.advanceSeconds(20);
      engine.tick();
    }
    assertThat(offsets).hasSize(1);
    assertThat(transitions).isEmpty();
  }

  /** {@code seconds} of samples once a second from a device clock {@code aheadS} off. */
  private void feed(double aheadS, int seconds) {
    for (int i = 0; i < seconds; i++) {
      sample(5, aheadS);
      clock.advanceSeconds(1);
      engine.tick();
    }
  }

  private void sample(double v, double deviceAheadS) {
    Instant source = clock.now().plusNanos(Math.round(deviceAheadS * 1e9));
    engine.onSignal(R, "s", v, Quality.GOOD, source);
  }

  private AlarmState state() {
    return engine.state(R, ALARM);
  }
}
