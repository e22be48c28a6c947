package io.hepaloop.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.core.Quality;
import io.hepaloop.time.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The predictive low alarm on a {@link ManualClock}, fed like the outlet pO2 sensor of the
 * simulator: a sample every 500 ms with Gaussian noise of σ 0.4 mmHg, quantised to 0.1 mmHg.
 */
class PredictedLowTest {
  private static final double NOISE_MMHG = 0.4;
  private static final double QUANTUM_MMHG = 0.1;
  private static final double SAMPLE_S = 0.5;
  private static final Pattern CROSSING = Pattern.compile("predicted to cross \\S+ at (\\S+) ");

  private final ManualClock clock = new ManualClock();
  private final List<AlarmTransition> transitions = new ArrayList<>();
  private final Random noise = new Random(20261202);

  private AlarmEngine engine(double limit, double deadband, double offDelayS, double windowS) {
    AlarmDefinition d =
        new AlarmDefinition(
            "hypoxia_ahead",
            "r1",
            AlarmKind.PREDICTED_LOW,
            "do_outlet",
            limit,
            deadband,
            0,
            offDelayS,
            AlarmPriority.HIGH,
            false,
            0,
            null,
            AlarmScript.RATIONALE,
            windowS,
            2 * 3600);
    return new AlarmEngine(clock, List.of(d), Duration.ofHours(8), transitions::add);
  }

  /** Feeds {@code trueValue(t)} plus sensor noise for {@code seconds}, ticking once a second. */
  private void feed(AlarmEngine e, double fromS, double seconds, DoubleUnaryOperator trueValue) {
    long n = Math.round(seconds / SAMPLE_S);
    for (long i = 0; i < n; i++) {
      clock.advanceSeconds(SAMPLE_S);
      double t = fromS + (i + 1) * SAMPLE_S;
      double v = trueValue.applyAsDouble(t) + noise.nextGaussian() * NOISE_MMHG;
      e.onSignal(
          "r1", "do_outlet", Math.round(v / QUANTUM_MMHG) * QUANTUM_MMHG, Quality.GOOD, null);
      if (i % 2 == 1) {
        e.tick();
      }
    }
  }

  @Test
  void aSteadyNoisyValueNeverFiresOverThreeDays() {
    AlarmEngine e = engine(35, 1, 300, 3600);
    feed(e, 0, 3 * 86400, t -> 40.0);
    assertThat(transitions).as("transitions on a steady 40 mmHg, 5 mmHg above the floor").isEmpty();
    assertThat(e.alarm("r1", "hypoxia_ahead").value()).isBetween(38.0, 42.0);
  }

  @Test
  void aSlowLinearDeclineFiresWithThePredictedCrossingWithinThreePercentOfTheTruth() {
    AlarmEngine e = engine(35, 1, 300, 3600);
    // 60 mmHg falling 5 mmHg per hour: crosses 35 at 5 h
    Instant start = clock.now();
    Instant trueCrossing = start.plus(Duration.ofHours(5));
    feed(e, 0, 6 * 3600, t -> 60 - 5 * t / 3600);
    AlarmTransition fired = transitions.get(0);
    assertThat(fired.to()).isEqualTo(AlarmState.UNACK_ACTIVE);
    Duration leadTime = Duration.between(fired.time(), trueCrossing);
    assertThat(leadTime)
        .as("announced at most the 2 h horizon ahead (one 30 s bucket of slack)")
        .isBetween(Duration.ofMinutes(115), Duration.ofMinutes(121));
    Matcher m = CROSSING.matcher(fired.message());
    assertThat(m.find()).as(fired.message()).isTrue();
    Instant predicted = Instant.parse(m.group(1));
    long errorS = Math.abs(Duration.between(trueCrossing, predicted).toSeconds());
    assertThat(errorS)
        .as("prediction error vs. the %s s still to go: %s", leadTime.toSeconds(), fired.message())
        .isLessThanOrEqualTo(Math.round(0.03 * leadTime.toSeconds()));
    Matcher slope =
        Pattern.compile("now ([\\d.]+), slope ([-+\\d.]+) per hour").matcher(fired.message());
    assertThat(slope.find()).as(fired.message()).isTrue();
    assertThat(Double.parseDouble(slope.group(2)))
        .isCloseTo(-5.0, org.assertj.core.data.Offset.offset(0.15));
    assertThat(Double.parseDouble(slope.group(1)))
        .isCloseTo(45.0, org.assertj.core.data.Offset.offset(0.3));
    assertThat(fired.value()).as("the current value").isBetween(44.0, 46.5);
  }

  @Test
  void aStepDownThatStaysAboveTheFloorNeverFires() {
    AlarmEngine e = engine(35, 1, 300, 3600);
    feed(e, 0, 2 * 3600, t -> 48.0);
    feed(e, 0, 2 * 86400, t -> 40.0);
    assertThat(transitions).as("a step of -8 mmHg is not a trend").isEmpty();
  }

  @Test
  void aDeclineThatLevelsOffAboveTheFloorActivatesOnceAndClearsWithoutChattering() {
    AlarmEngine e = engine(35, 1, 600, 3600);
    // falls 8 mmHg per hour from 60 to 40, then holds 40 for a day
    feed(e, 0, 86400 + 2.5 * 3600, t -> Math.max(40, 60 - 8 * t / 3600));
    assertThat(transitions.stream().filter(AlarmTransition::isActivation).count()).isEqualTo(1);
    assertThat(transitions.get(transitions.size() - 1).to()).isEqualTo(AlarmState.RTN_UNACK);
    assertThat(transitions.get(transitions.size() - 1).message())
        .contains("no crossing of 35.0 predicted within the horizon");
  }

  @Test
  void aWindowNotYetFilledDoesNotFire() {
    AlarmEngine e = engine(35, 1, 0, 3 * 3600);
    // a steep fall (20 mmHg per hour) would cross within the horizon, but only 1 h of 3 is known
    feed(e, 0, 3600, t -> 60 - 20 * t / 3600);
    assertThat(transitions).isEmpty();
    feed(e, 3600, 2 * 3600, t -> 60 - 20 * t / 3600);
    assertThat(transitions).isNotEmpty();
  }
}
