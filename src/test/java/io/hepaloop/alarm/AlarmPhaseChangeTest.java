package io.hepaloop.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepaloop.core.Quality;
import io.hepaloop.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine's run-time changes a recipe phase makes: {@link AlarmEngine#redefine} (limits, delays,
 * priority) and {@link AlarmEngine#suppressByDesign}, beside the loop-mode suppression.
 */
class AlarmPhaseChangeTest {
  static final Rationale WHY = new Rationale("cause", "consequence", "action", 300);
  final ManualClock clock = new ManualClock();
  final List<AlarmTransition> seen = new ArrayList<>();

  static AlarmDefinition high(double limit, double onDelayS, AlarmPriority p, Suppression s) {
    return new AlarmDefinition(
        "t-hi", "r1", AlarmKind.HIGH, "temp", limit, 0, onDelayS, 0, p, false, 0, s, WHY);
  }

  AlarmEngine engine(AlarmDefinition d) {
    return new AlarmEngine(clock, List.of(d), Duration.ofHours(8), seen::add);
  }

  @Test
  void aNewOnDelayCountsAndThePriorityShowsInTheView() {
    AlarmEngine e = engine(high(38, 0, AlarmPriority.HIGH, null));
    e.redefine(high(37, 60, AlarmPriority.CRITICAL, null));
    e.onSignal("r1", "temp", 37.5, Quality.GOOD, null);
    assertThat(e.state("r1", "t-hi")).isEqualTo(AlarmState.NORMAL); // on-delay of the phase
    clock.advanceSeconds(61);
    e.tick();
    assertThat(e.state("r1", "t-hi")).isEqualTo(AlarmState.UNACK_ACTIVE);
    assertThat(e.alarm("r1", "t-hi").priority()).isEqualTo(AlarmPriority.CRITICAL);
    assertThat(seen.get(seen.size() - 1).limit()).isEqualTo(37.0);
  }

  @Test
  void onlyTheOverridableFieldsMayChange() {
    AlarmEngine e = engine(high(38, 0, AlarmPriority.HIGH, null));
    AlarmDefinition otherKind =
        new AlarmDefinition(
            "t-hi",
            "r1",
            AlarmKind.LOW,
            "temp",
            30,
            0,
            0,
            0,
            AlarmPriority.HIGH,
            false,
            0,
            null,
            WHY);
    assertThatThrownBy(() -> e.redefine(otherKind))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only limit, deadband, delays, priority and re-alarm");
    assertThatThrownBy(
            () ->
                e.redefine(
                    new AlarmDefinition(
                        "nope",
                        "r1",
                        AlarmKind.HIGH,
                        "temp",
                        30,
                        0,
                        0,
                        0,
                        AlarmPriority.HIGH,
                        false,
                        0,
                        null,
                        WHY)))
        .hasMessageContaining("no alarm 'nope'");
    assertThat(e.definition("r1", "t-hi").limit()).isEqualTo(38.0);
  }

  @Test
  void aPhaseSuppressionAndTheLoopModeSuppressionHoldIndependently() {
    AlarmEngine e =
        engine(high(38, 0, AlarmPriority.HIGH, new Suppression("temperature", "MANUAL")));
    e.suppressByDesign("r1", "t-hi", "recipe phase");
    assertThat(e.state("r1", "t-hi")).isEqualTo(AlarmState.SUPPRESSED_BY_DESIGN);
    assertThat(seen.get(0).message()).startsWith("suppressed by design: recipe phase");
    e.onLoop("r1", "temperature", "MANUAL", 37, 39, Quality.GOOD, false);
    e.onSignal("r1", "temp", 39, Quality.GOOD, null);
    e.suppressByDesign("r1", "t-hi", null); // the loop is still in MANUAL
    assertThat(e.state("r1", "t-hi")).isEqualTo(AlarmState.SUPPRESSED_BY_DESIGN);
    e.onLoop("r1", "temperature", "AUTO", 37, 39, Quality.GOOD, false);
    assertThat(e.state("r1", "t-hi")).isEqualTo(AlarmState.UNACK_ACTIVE);
  }

  @Test
  void aRestoredPhaseSuppressionEndsAtTheNextSettleUnlessThePhaseIsAppliedAgain() {
    AlarmTransition stored =
        new AlarmTransition(
            clock.now(),
            "t-hi",
            "r1",
            AlarmState.NORMAL,
            AlarmState.SUPPRESSED_BY_DESIGN,
            39,
            38,
            null,
            null,
            "suppressed by design: recipe phase");
    AlarmEngine again = engine(high(38, 0, AlarmPriority.HIGH, null));
    again.restore(List.of(stored));
    again.suppressByDesign("r1", "t-hi", "recipe phase"); // the run applies its phase again
    again.onSignal("r1", "temp", 39, Quality.GOOD, null);
    assertThat(again.state("r1", "t-hi")).isEqualTo(AlarmState.SUPPRESSED_BY_DESIGN);

    AlarmEngine noRun = engine(high(38, 0, AlarmPriority.HIGH, null));
    noRun.restore(List.of(stored));
    noRun.onSignal("r1", "temp", 39, Quality.GOOD, null);
    assertThat(noRun.state("r1", "t-hi")).isEqualTo(AlarmState.UNACK_ACTIVE);
  }
}
