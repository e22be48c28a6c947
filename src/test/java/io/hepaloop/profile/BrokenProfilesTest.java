package io.hepaloop.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The broken-profile corpus: each file in {@code profiles/broken} states, in {@code # expect:} lines at
 * its end, exactly the problems it must produce ({@code line: path: message}) — no fewer, no more.
 */
class BrokenProfilesTest {
  static final Path CORPUS = Path.of("src/test/resources/profiles/broken");

  static Stream<Path> corpus() throws IOException {
    try (Stream<Path> files = Files.list(CORPUS)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void eachBrokenProfileIsRejectedWithExactlyTheProblemsItExpects(Path file) throws IOException {
    List<String> expected = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
        .filter(l -> l.startsWith("# expect: "))
        .map(l -> l.substring("# expect: ".length()))
        .toList();
    assertThat(expected).as("the corpus file says what it expects").isNotEmpty();

    List<Problem> problems = ProfileLoader.validate(file);

    assertThat(problems).extracting(p -> p.line() + ": " + p.path() + ": " + p.message())
        .containsExactlyElementsOf(expected);
    assertThat(problems).allSatisfy(p -> assertThat(p.toString()).startsWith(file + ":" + p.line() + ": "));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void loadingABrokenProfileThrowsWithEveryProblemAndReturnsNothing(Path file) {
    assertThatThrownBy(() -> ProfileLoader.load(file))
        .isInstanceOfSatisfying(ProfileException.class, e -> {
          assertThat(e.problems()).isEqualTo(ProfileLoader.validate(file));
          assertThat(e.getMessage()).contains(e.problems().get(0).toString());
        });
  }

  @Test
  void theCorpusCoversTheMistakesPeopleMake() throws IOException {
    assertThat(corpus().map(f -> f.getFileName().toString()))
        .hasSizeGreaterThanOrEqualTo(12)
        .contains("duplicate-signal-id.yaml", "reversed-range.yaml", "safe-value-outside-allowed.yaml",
            "bad-node-id.yaml", "unknown-data-type.yaml", "loop-references-missing-signal.yaml",
            "literal-password.yaml", "missing-required-field.yaml", "wrong-type.yaml", "yaml-syntax-error.yaml",
            "unknown-key.yaml", "scaling-raw-min-equals-raw-max.yaml");
  }

  @Test
  void aProfileWithManyMistakesReportsAllOfThemAtOnceInReadingOrder() {
    List<Problem> problems = ProfileLoader.validate(CORPUS.resolve("many-problems.yaml"));

    assertThat(problems).hasSizeGreaterThanOrEqualTo(10);
    assertThat(problems).isSortedAccordingTo(Problem.READING_ORDER);
    assertThat(problems).extracting(Problem::path)
        .contains("endpoint.identity.password", "signals[0].range", "signals[2].id", "signals[3].nodeId",
            "signals[6].safeValue", "watchdog.dataType", "loops[2].cascade.pv");
  }

  @Test
  void aMissingFileIsOneProblemNotACrash() {
    Path missing = CORPUS.resolve("no-such-profile.yaml");
    assertThat(ProfileLoader.validate(missing)).singleElement()
        .hasToString(missing + ":0: (file): file not found");
  }
}
