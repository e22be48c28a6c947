package io.hepaloop.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.YamlDocument;
import io.hepaloop.sim.model.Bound;
import io.hepaloop.sim.model.ReactorParameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
        .contains(
            "steady-culture.yaml",
            "door-open.yaml",
            "clogging-scaffold.yaml",
            "sensor-faults.yaml");
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
    Scenario s =
        ScenarioLoader.parse(
            "t.yaml",
            """
        name: t
        description: d
        timeline:
          - { at: 10m, action: heater-failure }
          - { at: 1m, action: pump-stall }
        """,
            PROFILE);
    assertThat(s.timeline())
        .extracting(Scenario.Event::action)
        .containsExactly(Scenario.Action.PUMP_STALL, Scenario.Action.HEATER_FAILURE);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
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
      parameter out of range    | 'parameters: {kmMmHg: -1}'                                  | t.yaml:3: /parameters/kmMmHg: -1 mmHg is not physical: allowed above 0 up to 100 mmHg
      unknown top-level field   | 'events: []'                                                | t.yaml:3: /events: unknown field
      """)
  void aBrokenScenarioIsRefusedNamingLineAndProblem(String what, String body, String expected) {
    String yaml = "name: t\ndescription: d\n" + body + "\n";
    InvalidScenarioExceptionAssert.assertRefused(yaml, expected);
  }

  @Test
  void everyProblemOfAFileIsListedAtOnce() {
    String yaml =
        """
        name: t
        timeline:
          - at: 1m
            action: explode
          - at: later
            action: pump-stall
        """;
    ScenarioLoader.InvalidScenarioException e =
        catchThrowableOfType(
            ScenarioLoader.InvalidScenarioException.class,
            () -> ScenarioLoader.parse("t.yaml", yaml, PROFILE));
    assertThat(e.problems())
        .containsExactly(
            "t.yaml:4: /timeline/0/action: unknown action 'explode' (known: ambient, clog, leak, cell-demand, heater-failure, "
                + "pump-stall, sensor-stuck, sensor-bad, sensor-uncertain, sensor-spike, sensor-drift, sensor-clear, comms-drop, "
                + "restart, clear-faults)",
            "t.yaml:5: /timeline/1/at: 'later' is not a time (e.g. 90, 90s, 1.5m, 2h, 1d, 500ms)");
  }

  @Test
  void malformedYamlIsRefusedWithItsLine() {
    assertThatThrownBy(
            () -> ScenarioLoader.parse("t.yaml", "name: t\ntimeline: [ {at: 1m\n", PROFILE))
        .isInstanceOf(ScenarioLoader.InvalidScenarioException.class)
        .hasMessageContaining("t.yaml:");
  }

  @Test
  void anUnknownScenarioNameListsTheKnownOnes() {
    assertThatThrownBy(() -> ScenarioLoader.resolve("no-such", Path.of("simulators")))
        .hasMessageContaining("known: ")
        .hasMessageContaining("door-open");
    assertThat(ScenarioLoader.resolve("door-open", Path.of("simulators")))
        .isEqualTo(Path.of("simulators/door-open.yaml"));
  }

  /** Small helper so the table above stays readable. */
  static final class InvalidScenarioExceptionAssert {
    static void assertRefused(String yaml, String expectedPrefix) {
      ScenarioLoader.InvalidScenarioException e =
          catchThrowableOfType(
              ScenarioLoader.InvalidScenarioException.class,
              () -> ScenarioLoader.parse("t.yaml", yaml, PROFILE));
      assertThat(e).as("refused").isNotNull();
      List<String> problems = e.problems();
      assertThat(problems).anySatisfy(p -> assertThat(p).startsWith(expectedPrefix));
    }
  }

  @Test
  void anEventMayNameTheReactorsItHappensToAndABadListIsNamed() {
    Scenario s =
        ScenarioLoader.parse(
            "t.yaml",
            """
        name: t
        description: d
        timeline:
          - { at: 1m, action: heater-failure, reactors: [r2, r3] }
          - { at: 2m, action: pump-stall, reactors: r1 }
          - { at: 3m, action: clear-faults }
        """,
            PROFILE);
    assertThat(s.timeline())
        .extracting(Scenario.Event::reactors)
        .containsExactly(List.of("r2", "r3"), List.of("r1"), List.of());
    assertThat(s.timeline().get(0).appliesTo("r1")).isFalse();
    assertThat(s.timeline().get(2).appliesTo("r1")).isTrue();
    assertThat(s.unknownReactors(List.of("r1", "r2")))
        .containsExactly("event 1 (at 60 s, heater-failure) names reactor 'r3'");

    ScenarioLoader.InvalidScenarioException e =
        catchThrowableOfType(
            ScenarioLoader.InvalidScenarioException.class,
            () ->
                ScenarioLoader.parse(
                    "bad.yaml",
                    """
            name: t
            description: d
            timeline:
              - { at: 1m, action: heater-failure, reactors: [] }
              - { at: 2m, action: pump-stall, reactors: [r1, 7] }
            """,
                    PROFILE));
    assertThat(e.problems()).hasSize(2);
    assertThat(e.problems().get(0))
        .contains("/timeline/0/reactors")
        .contains("non-empty list of reactor ids");
    assertThat(e.problems().get(1))
        .contains("/timeline/1/reactors/1")
        .contains("must be a reactor id, got '7'");
  }

  @Test
  void aSimulatorRefusesAScenarioNamingAReactorItDoesNotRunBeforeItOpensAnyPort() {
    Scenario s =
        ScenarioLoader.parse(
            "t.yaml",
            """
        name: t
        description: d
        timeline:
          - { at: 1m, action: heater-failure, reactors: [r3] }
        """,
            PROFILE);
    assertThatThrownBy(
            () ->
                Simulator.start(
                    SimulatorOptions.builder()
                        .profile(PROFILE)
                        .reactorIds("r1", "r2")
                        .scenario(s)
                        .build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "scenario t: event 1 (at 60 s, heater-failure) names reactor 'r3', which this simulator does not run (reactors: r1, r2)");
  }

  /**
   * Every number of a scenario is bounded by physics: out-of-range, infinite and NaN values are
   * refused as {@code file:line: path: what is wrong, allowed range}, and a file that is no
   * scenario at all (too big, binary, absurdly nested) is refused before it is parsed or at its
   * line.
   */
  @Nested
  class BadInput {
    private static List<String> problems(String yaml) {
      ScenarioLoader.InvalidScenarioException e =
          catchThrowableOfType(
              ScenarioLoader.InvalidScenarioException.class,
              () -> ScenarioLoader.parse("t.yaml", yaml, PROFILE));
      assertThat(e).as("refused: " + yaml).isNotNull();
      return e.problems();
    }

    static Stream<String> parameterNames() {
      return ReactorParameters.BOUNDS.keySet().stream();
    }

    @Test
    void everyModelParameterHasAPhysicalBoundAndTheDefaultRigIsInside() {
      List<String> components =
          Arrays.stream(ReactorParameters.class.getRecordComponents())
              .map(c -> c.getName())
              .toList();
      assertThat(ReactorParameters.BOUNDS.keySet()).containsExactlyInAnyOrderElementsOf(components);
      assertThat(Scenario.parameterNames()).containsExactlyInAnyOrderElementsOf(components);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parameterNames")
    void aParameterAboveItsPhysicalRangeIsRefusedWithTheRange(String name) {
      Bound bound = ReactorParameters.BOUNDS.get(name);
      double tooHigh = bound.max() * 10 + 1;
      List<String> problems =
          problems("name: t\ndescription: d\nparameters:\n  " + name + ": " + tooHigh + "\n");
      assertThat(problems)
          .singleElement()
          .asString()
          .startsWith("t.yaml:4: /parameters/" + name + ": ")
          .contains("is not physical: allowed " + bound.range());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parameterNames")
    void aParameterBelowItsPhysicalRangeIsRefusedWithTheRange(String name) {
      Bound bound = ReactorParameters.BOUNDS.get(name);
      double tooLow = bound.min() - Math.max(1, Math.abs(bound.min()));
      List<String> problems =
          problems("name: t\ndescription: d\nparameters:\n  " + name + ": " + tooLow + "\n");
      assertThat(problems)
          .singleElement()
          .asString()
          .startsWith("t.yaml:4: /parameters/" + name + ": ")
          .contains("is not physical: allowed " + bound.range());
    }

    @Test
    void theAmbientOfTheBugReportIsRefusedInWords() {
      assertThat(problems("name: t\ndescription: d\nparameters: {ambientC: 1e308}\n"))
          .containsExactly(
              "t.yaml:3: /parameters/ambientC: 1.0E308 °C is not physical: allowed -40 to 60 °C (a cold room to a hot lab)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
        delimiter = '|',
        textBlock =
            """
        start time of the bug report | {at: 1e400, action: pump-stall}                         | /timeline/0/at: 1e400 is too large to be a number (it reads as infinity)
        start time .inf              | {at: .inf, action: pump-stall}                          | /timeline/0/at: '.inf' is not a number this file accepts
        start time .nan              | {at: .nan, action: pump-stall}                          | /timeline/0/at: '.nan' is not a number this file accepts
        start time far away          | {at: 1e308, action: pump-stall}                         | /timeline/0/at: 1.0E308 s is not physical: allowed 0 to 31536000 s (365 days of simulated time)
        start time in days           | {at: 400d, action: pump-stall}                          | /timeline/0/at: 34560000 s is not physical: allowed 0 to 31536000 s
        start time in digits         | {at: '99999999999999999999999999999h', action: pump-stall} | /timeline/0/at: 3.6E32 s is not physical
        ramp too long                | {at: 1m, action: ambient, value: 30, ramp: 1e12}        | /timeline/0/ramp: 1.0E12 s is not physical: allowed 0 to 31536000 s
        duration too long            | {at: 1m, action: heater-failure, duration: 500d}        | /timeline/0/duration: 43200000 s is not physical: allowed 0 to 31536000 s
        outage too long              | {at: 1m, action: comms-drop, duration: 2h}              | /timeline/0/duration: 7200 s is not physical: allowed 0 to 3600 s (an outage in real time: an hour at most)
        restart down too long        | {at: 1m, action: restart, duration: 1d}                 | /timeline/0/duration: 86400 s is not physical: allowed 0 to 3600 s
        ambient hot                  | {at: 1m, action: ambient, value: 1e308}                 | /timeline/0/value: 1.0E308 °C is not physical: allowed -40 to 60 °C
        ambient below absolute zero  | {at: 1m, action: ambient, value: -300}                  | /timeline/0/value: -300 °C is not physical: allowed -40 to 60 °C
        ambient infinite             | {at: 1m, action: ambient, value: -1e400}                | /timeline/0/value: -1e400 is too large to be a number (it reads as infinity)
        clog absurd                  | {at: 1m, action: clog, value: 5000}                     | /timeline/0/value: 5000 is not physical: allowed 1 to 1000 (a factor on the scaffold's resistance
        leak negative                | {at: 1m, action: leak, value: -0.5}                     | /timeline/0/value: -0.5 is not physical: allowed 0 to 1 (a factor on the scaffold's resistance
        cell demand absurd           | {at: 1m, action: cell-demand, value: 1e6}               | /timeline/0/value: 1000000 is not physical: allowed 0 to 100 (a factor on the cells' oxygen demand)
        cell demand negative         | {at: 1m, action: cell-demand, value: -1}                | /timeline/0/value: -1 is not physical: allowed 0 to 100
        spike beyond the sensor      | {at: 1m, action: sensor-spike, signal: do_outlet, value: 1e9}  | /timeline/0/value: 1.0E9 mmHg is not physical: allowed -
        drift beyond the sensor      | {at: 1m, action: sensor-drift, signal: flow, value: -1e9}      | /timeline/0/value: -1.0E9 mL/min/h is not physical: allowed -
        value on a fault             | {at: 1m, action: pump-stall, value: 3}                  | /timeline/0/value: pump-stall takes no value
        """)
    void anEventValueOutsidePhysicsIsRefusedWithItsLineAndRange(
        String what, String event, String expected) {
      List<String> problems = problems("name: t\ndescription: d\ntimeline:\n  - " + event + "\n");
      assertThat(problems).singleElement().asString().startsWith("t.yaml:4: " + expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
        delimiter = '|',
        textBlock =
            """
        no oxygen in the gas      | {barometricMmHg: 200, waterVapourMmHg: 200}            | waterVapourMmHg (200 mmHg) must be below barometricMmHg (200 mmHg)
        more cells than a liver   | {cellCount: 1e10, growthPerDay: 0.5, declineStartDay: 60} | makes 1.1e+23 cells: allowed at most 1.0E12
        """)
    void parametersThatAreEachInRangeButImpossibleTogetherAreRefused(
        String what, String parameters, String expected) {
      assertThat(problems("name: t\ndescription: d\nparameters: " + parameters + "\n"))
          .singleElement()
          .asString()
          .startsWith("t.yaml:3: /parameters: ")
          .contains(expected);
      // also when the file has other problems: each part is checked on its own
      assertThat(problems("name: t\nparameters: " + parameters + "\nevents: []\n"))
          .anySatisfy(p -> assertThat(p).startsWith("t.yaml:2: /parameters: ").contains(expected));
    }

    @Test
    void aParameterThatReadsAsInfinityIsOneProblemAtItsLine() {
      assertThat(problems("name: t\ndescription: d\nparameters:\n  cellCount: 1e400\n"))
          .containsExactly(
              "t.yaml:4: /parameters/cellCount: 1e400 is too large to be a number (it reads as infinity)");
    }

    @Test
    void theShippedScenariosAreWithinPhysics() throws IOException {
      try (Stream<Path> files = Files.list(Path.of("simulators"))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
          Scenario s = ScenarioLoader.load(f, PROFILE);
          assertThat(s.applyTo(ReactorParameters.defaults())).isNotNull();
        }
      }
    }

    @Test
    void anOversizedScenarioIsRefusedBeforeItIsRead(@TempDir Path dir) throws IOException {
      Path big = dir.resolve("big.yaml");
      Files.write(big, new byte[3 << 20]); // 3 MiB (of NULs: the size is found before the content)
      long parses = YamlDocument.parseCount();
      ScenarioLoader.InvalidScenarioException e =
          catchThrowableOfType(
              ScenarioLoader.InvalidScenarioException.class,
              () -> ScenarioLoader.load(big, PROFILE));
      assertThat(e.problems())
          .containsExactly(
              big + ":0: (file): is 3145728 bytes; scenarios are at most 1048576 bytes (1 MiB)");
      assertThat(YamlDocument.parseCount()).isEqualTo(parses);
    }

    @Test
    void aBinaryScenarioIsNotATextFile(@TempDir Path dir) throws IOException {
      Path binary = dir.resolve("door-open.yaml");
      Files.write(
          binary,
          new byte[] {'n', 'a', 'm', 'e', ':', ' ', 't', '\n', 0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
      ScenarioLoader.InvalidScenarioException e =
          catchThrowableOfType(
              ScenarioLoader.InvalidScenarioException.class,
              () -> ScenarioLoader.load(binary, PROFILE));
      assertThat(e.problems())
          .containsExactly(
              binary
                  + ":2: (file): not a text file: it holds a NUL byte "
                  + "(YAML files are UTF-8 text)");
    }

    @Test
    void deepNestingInAScenarioIsReportedAtItsLine(@TempDir Path dir) throws IOException {
      Path deep = dir.resolve("deep.yaml");
      Files.writeString(
          deep,
          "name: t\ndescription: d\ntimeline:\n  - at: 1m\n    action: "
              + "[".repeat(5000)
              + "]".repeat(5000)
              + "\n",
          StandardCharsets.UTF_8);
      ScenarioLoader.InvalidScenarioException e =
          catchThrowableOfType(
              ScenarioLoader.InvalidScenarioException.class,
              () -> ScenarioLoader.load(deep, PROFILE));
      assertThat(e.problems())
          .singleElement()
          .asString()
          .startsWith(deep + ":5: /timeline/0/action/0/0/")
          .contains("nested more than 64 levels deep");
    }
  }
}
