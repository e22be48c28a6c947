package io.hepaloop.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AlarmDefinitionTest {
  private static final Rationale OK = AlarmScript.RATIONALE;

  private static AlarmDefinition def(
      AlarmKind kind,
      String source,
      double limit,
      double db,
      double on,
      double off,
      double reAlarm,
      Rationale rationale) {
    return new AlarmDefinition(
        "do_high",
        "r1",
        kind,
        source,
        limit,
        db,
        on,
        off,
        AlarmPriority.HIGH,
        false,
        reAlarm,
        null,
        rationale);
  }

  static Stream<Arguments> broken() {
    return Stream.of(
        Arguments.of(
            (Supplier<AlarmDefinition>) () -> def(AlarmKind.HIGH, "do", 80, -1, 0, 0, 0, OK),
            "deadbandInUnits must be a number >= 0"),
        Arguments.of(
            (Supplier<AlarmDefinition>) () -> def(AlarmKind.HIGH, "do", 80, 0, -5, 0, 0, OK),
            "onDelayS must be a number >= 0"),
        Arguments.of(
            (Supplier<AlarmDefinition>)
                () -> def(AlarmKind.HIGH, "do", 80, 0, 0, Double.NaN, 0, OK),
            "offDelayS must be a number >= 0"),
        Arguments.of(
            (Supplier<AlarmDefinition>) () -> def(AlarmKind.HIGH, "do", 80, 0, 0, 0, -1, OK),
            "reAlarmAfterS must be a number >= 0"),
        Arguments.of(
            (Supplier<AlarmDefinition>) () -> def(AlarmKind.HIGH, "do", Double.NaN, 0, 0, 0, 0, OK),
            "limit must be a finite number"),
        Arguments.of(
            (Supplier<AlarmDefinition>) () -> def(AlarmKind.HIGH, " ", 80, 0, 0, 0, 0, OK),
            "source (the signal id)"),
        Arguments.of(
            (Supplier<AlarmDefinition>) () -> def(AlarmKind.DEVIATION, null, 2, 0, 0, 0, 0, OK),
            "source (the loop id)"),
        Arguments.of(
            (Supplier<AlarmDefinition>) () -> def(AlarmKind.DEVIATION, "L", 2, 2, 0, 0, 0, OK),
            "deadbandInUnits (2.0) must be below the limit (2.0)"),
        Arguments.of(
            (Supplier<AlarmDefinition>)
                () -> def(AlarmKind.BAD_QUALITY_OR_STALE, "do", 0, 0, 0, 0, 0, OK),
            "limit (maximum age, s) must be a positive number"),
        Arguments.of(
            (Supplier<AlarmDefinition>) () -> def(AlarmKind.HIGH, "do", 80, 0, 0, 0, 0, null),
            "rationale (cause"),
        Arguments.of(
            (Supplier<AlarmDefinition>)
                () -> def(AlarmKind.HIGH, "do", 80, 0, 0, 0, 0, new Rationale("", "c", "a", 60)),
            "rationale.cause is required"),
        Arguments.of(
            (Supplier<AlarmDefinition>)
                () -> def(AlarmKind.HIGH, "do", 80, 0, 0, 0, 0, new Rationale("c", null, "a", 60)),
            "rationale.consequence is required"),
        Arguments.of(
            (Supplier<AlarmDefinition>)
                () -> def(AlarmKind.HIGH, "do", 80, 0, 0, 0, 0, new Rationale("c", "c", " ", 60)),
            "rationale.correctiveAction is required"),
        Arguments.of(
            (Supplier<AlarmDefinition>)
                () -> def(AlarmKind.HIGH, "do", 80, 0, 0, 0, 0, new Rationale("c", "c", "a", 0)),
            "rationale.maxResponseTimeS must be a positive number"));
  }

  @ParameterizedTest
  @MethodSource("broken")
  void aBrokenDefinitionIsRefusedNamingTheAlarmAndTheProblem(
      Supplier<AlarmDefinition> build, String expected) {
    assertThatThrownBy(build::get)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("alarm 'do_high' of reactor 'r1': ")
        .hasMessageContaining(expected);
  }

  @Test
  void everyProblemOfOneDefinitionIsNamedInOneMessage() {
    assertThatThrownBy(
            () -> def(AlarmKind.LOW, "ph", 6.8, -0.1, -1, 0, 0, new Rationale("c", "", "a", 60)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("alarm 'do_high' of reactor 'r1': ")
        .hasMessageContaining("deadbandInUnits must be a number >= 0, got -0.1")
        .hasMessageContaining("onDelayS must be a number >= 0, got -1.0")
        .hasMessageContaining("rationale.consequence is required");
  }

  @Test
  void linkLostNeedsNoSourceAndAGoodDefinitionKeepsItsFields() {
    AlarmDefinition d = def(AlarmKind.LINK_LOST, null, 0, 0, 5, 0, 0, OK);
    assertThat(d.onDelayS()).isEqualTo(5);
    assertThat(d.rationale().maxResponseTimeS()).isEqualTo(300);
  }
}
