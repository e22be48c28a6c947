package io.hepaloop.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hepaloop.profile.DeviceProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ScenarioLoaderTest {
  static final DeviceProfile PROFILE = SimClients.profile();

  static Stream<Path> shipped() throws IOException {
    return Files.list(Path.of("simulators")).filter(p -> p.toString().endsWith(".yaml")).sorted();
  }

  @ParameterizedTest
  @MethodSource("shipped")
  void everyShippedScenarioLoadsAgainstTheShippedProfile(Path file) {
    Scenario s = ScenarioLoader.load(file, PROFILE);
    String base = file.getFileName().toString().replace(".yaml", "");
    assertThat(s.name()).isEqualTo(base);
    assertThat(s.description()).isNotBlank();
  }

  @Test
  void theFourScenariosTheIssueAsksForAreShipped() throws IOException {
    assertThat(shipped().map(p -> p.getFileName().toString()))
        .contains("steady-culture.yaml", "door-open.yaml", "clogging-scaffold.yaml", "sensor-faults.yaml");
  }

  @Test
  void timesAcceptSecondsMinutesHoursAndDays() {
    assertThat(ScenarioLoader.parseSeconds("90")).isEqualTo(90);
    assertThat(ScenarioLoader.parseSeconds("1.5m")).isEqualTo(90);
    assertThat(ScenarioLoader.parseSeconds("2h")).isEqualTo(7200);
    assertThat(ScenarioLoader.parseSeconds("1d")).isEqualTo(86400);
    assertThat(ScenarioLoader.parseSeconds("500ms")).isEqualTo(0.5);
  }

  @Test
  void theTimelineIsPlayedInTimeOrderWhateverTheFileOrder() {
    Scenario s = ScenarioLoader.parse("t.yaml", """
        name: t
        description: d
        timeline:
          - { at: 10m, action: heater-failure }
          - { at: 1m, action: pump-stall }
        """, PROFILE);
    assertThat(s.timeline()).extracting(Scenario.Event::action)
        .containsExactly(Scenario.Action.PUMP_STALL, Scenario.Action.HEATER_FAILURE);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unknown action            | timeline: [{at: 1m, action: explode}]                       | t.yaml:3: /timeline/0/action: unknown action 'explode'
      missing time              | timeline: [{action: pump-stall}]                            | t.yaml:3: /timeline/0/at: required
      bad time                  | timeline: [{at: soon, action: pump-stall}]                  | t.yaml:3: /timeline/0/at: 'soon' is not a time
      negative time             | timeline: [{at: -5, action: pump-stall}]                    | t.yaml:3: /timeline/0/at: must not be negative
      sensor fault w/o signal   | timeline: [{at: 1m, action: sensor-stuck}]                  | t.yaml:3: /timeline/0: sensor-stuck needs 'signal'
      signal not in profile     | timeline: [{at: 1m, action: sensor-bad, signal: ph}]        | t.yaml:3: /timeline/0/signal: profile liver-perfusion-bioreactor has no signal 'ph'
      actuator as sensor        | timeline: [{at: 1m, action: sensor-bad, signal: heater}]    | t.yaml:3: /timeline/0/signal: 'heater' is an actuator
      ambient without value     | timeline: [{at: 1m, action: ambient}]                       | t.yaml:3: /timeline/0: ambient needs 'value'
      value not a number        | timeline: [{at: 1m, action: ambient, value: cold}]          | t.yaml:3: /timeline/0/value: must be a number
      clog below one            | timeline: [{at: 1m, action: clog, value: 0.5}]              | t.yaml:3: /timeline/0/value: clog raises the scaffold resistance
      ramp on a fault           | timeline: [{at: 1m, action: pump-stall, ramp: 1m}]          | t.yaml:3: /timeline/0/ramp: only ambient, clog, leak and cell-demand can ramp
      unknown event field       | timeline: [{at: 1m, action: pump-stall, when: now}]         | t.yaml:3: /timeline/0/when: unknown field
      unknown parameter         | 'parameters: {cells: 5}'                                    | t.yaml:3: /parameters/cells: unknown model parameter
      parameter out of range    | 'parameters: {kmMmHg: -1}'                                  | t.yaml:3: /parameters/kmMmHg: kmMmHg must be > 0
      unknown top-level field   | 'events: []'                                                | t.yaml:3: /events: unknown field
      """)
  void aBrokenScenarioIsRefusedNamingLineAndProblem(String what, String body, String expected) {
    String yaml = "name: t\ndescription: d\n" + body + "\n";
    InvalidScenarioExceptionAssert.assertRefused(yaml, expected);
  }

  @Test
  void everyProblemOfAFileIsListedAtOnce() {
    String yaml = """
        name: t
        timeline:
          - at: 1m
            action: explode
          - at: later
            action: pump-stall
        """;
    ScenarioLoader.InvalidScenarioException e = catchThrowableOfType(ScenarioLoader.InvalidScenarioException.class,
        () -> ScenarioLoader.parse("t.yaml", yaml, PROFILE));
    assertThat(e.problems()).containsExactly(
        "t.yaml:4: /timeline/0/action: unknown action 'explode' (known: ambient, clog, leak, cell-demand, heater-failure, "
            + "pump-stall, sensor-stuck, sensor-bad, sensor-uncertain, sensor-spike, sensor-drift, sensor-clear, comms-drop, "
            + "restart, clear-faults)",
        "t.yaml:5: /timeline/1/at: 'later' is not a time (e.g. 90, 90s, 1.5m, 2h, 1d, 500ms)");
  }

  @Test
  void malformedYamlIsRefusedWithItsLine() {
    assertThatThrownBy(() -> ScenarioLoader.parse("t.yaml", "name: t\ntimeline: [ {at: 1m\n", PROFILE))
        .isInstanceOf(ScenarioLoader.InvalidScenarioException.class).hasMessageContaining("t.yaml:");
  }

  @Test
  void anUnknownScenarioNameListsTheKnownOnes() {
    assertThatThrownBy(() -> ScenarioLoader.resolve("no-such", Path.of("simulators")))
        .hasMessageContaining("known: ").hasMessageContaining("door-open");
    assertThat(ScenarioLoader.resolve("door-open", Path.of("simulators"))).isEqualTo(Path.of("simulators/door-open.yaml"));
  }

  /** Small helper so the table above stays readable. */
  static final class InvalidScenarioExceptionAssert {
    static void assertRefused(String yaml, String expectedPrefix) {
      ScenarioLoader.InvalidScenarioException e = catchThrowableOfType(ScenarioLoader.InvalidScenarioException.class,
          () -> ScenarioLoader.parse("t.yaml", yaml, PROFILE));
      assertThat(e).as("refused").isNotNull();
      List<String> problems = e.problems();
      assertThat(problems).anySatisfy(p -> assertThat(p).startsWith(expectedPrefix));
    }
  }

  @Test
  void anEventMayNameTheReactorsItHappensToAndABadListIsNamed() {
    Scenario s = ScenarioLoader.parse("t.yaml", """
        name: t
        description: d
        timeline:
          - { at: 1m, action: heater-failure, reactors: [r2, r3] }
          - { at: 2m, action: pump-stall, reactors: r1 }
          - { at: 3m, action: clear-faults }
        """, PROFILE);
    assertThat(s.timeline()).extracting(Scenario.Event::reactors)
        .containsExactly(List.of("r2", "r3"), List.of("r1"), List.of());
    assertThat(s.timeline().get(0).appliesTo("r1")).isFalse();
    assertThat(s.timeline().get(2).appliesTo("r1")).isTrue();
    assertThat(s.unknownReactors(List.of("r1", "r2"))).containsExactly("event 1 (at 60 s, heater-failure) names reactor 'r3'");

    ScenarioLoader.InvalidScenarioException e = catchThrowableOfType(ScenarioLoader.InvalidScenarioException.class,
        () -> ScenarioLoader.parse("bad.yaml", """
            name: t
            description: d
            timeline:
              - { at: 1m, action: heater-failure, reactors: [] }
              - { at: 2m, action: pump-stall, reactors: [r1, 7] }
            """, PROFILE));
    assertThat(e.problems()).hasSize(2);
    assertThat(e.problems().get(0)).contains("/timeline/0/reactors").contains("non-empty list of reactor ids");
    assertThat(e.problems().get(1)).contains("/timeline/1/reactors/1").contains("must be a reactor id, got '7'");
  }

  @Test
  void aSimulatorRefusesAScenarioNamingAReactorItDoesNotRunBeforeItOpensAnyPort() {
    Scenario s = ScenarioLoader.parse("t.yaml", """
        name: t
        description: d
        timeline:
          - { at: 1m, action: heater-failure, reactors: [r3] }
        """, PROFILE);
    assertThatThrownBy(() -> Simulator.start(SimulatorOptions.builder().profile(PROFILE).reactorIds("r1", "r2").scenario(s).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scenario t: event 1 (at 60 s, heater-failure) names reactor 'r3', which this simulator does not run (reactors: r1, r2)");
  }
}
