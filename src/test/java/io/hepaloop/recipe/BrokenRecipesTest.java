package io.hepaloop.recipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.Problem;
import io.hepaloop.profile.ProfileException;
import io.hepaloop.profile.ProfileLoader;
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
 * The broken-recipe corpus: each file in {@code recipes/broken} states, in {@code # expect:} lines
 * at its end, exactly the problems it must produce against the demo profile ({@code line: path:
 * message}) — no fewer, no more. The empty file states nothing (it has no lines) and is checked on
 * its own.
 */
class BrokenRecipesTest {
  static final Path CORPUS = Path.of("src/test/resources/recipes/broken");
  static final DeviceProfile PROFILE =
      ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));

  static Stream<Path> corpus() throws IOException {
    try (Stream<Path> files = Files.list(CORPUS)) {
      return files
          .filter(f -> f.toString().endsWith(".yaml") && !f.endsWith("empty-file.yaml"))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void eachBrokenRecipeIsRefusedWithExactlyTheProblemsItExpects(Path file) throws IOException {
    List<String> expected =
        Files.readAllLines(file, StandardCharsets.UTF_8).stream()
            .filter(l -> l.startsWith("# expect: "))
            .map(l -> l.substring("# expect: ".length()))
            .toList();
    assertThat(expected).as("the corpus file says what it expects").isNotEmpty();

    List<Problem> problems = RecipeLoader.validate(file, PROFILE);

    assertThat(problems)
        .extracting(p -> p.line() + ": " + p.path() + ": " + p.message())
        .containsExactlyElementsOf(expected);
    assertThat(problems)
        .allSatisfy(p -> assertThat(p.toString()).startsWith(file + ":" + p.line() + ": "));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void loadingABrokenRecipeThrowsWithEveryProblemAndReturnsNothing(Path file) {
    assertThatThrownBy(() -> RecipeLoader.load(file, PROFILE))
        .isInstanceOfSatisfying(
            ProfileException.class,
            e -> assertThat(e.problems()).isEqualTo(RecipeLoader.validate(file, PROFILE)));
  }

  @Test
  void anEmptyFileIsOneProblem() {
    Path empty = CORPUS.resolve("empty-file.yaml");
    assertThat(RecipeLoader.validate(empty, PROFILE))
        .extracting(Problem::toString)
        .containsExactly(empty + ":1: (yaml): the file is empty");
  }

  @Test
  void aMissingFileIsOneProblemNotACrash() {
    Path missing = CORPUS.resolve("no-such-recipe.yaml");
    assertThat(RecipeLoader.validate(missing, PROFILE))
        .singleElement()
        .hasToString(missing + ":0: (file): file not found");
  }

  @Test
  void aSetpointOutsideItsLimitsNamesThePhaseTheLoopTheValueAndTheLimits() {
    assertThat(RecipeLoader.validate(CORPUS.resolve("ramp-beyond-limits.yaml"), PROFILE))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("phases[1].setpoints[0].ramp.to");
              assertThat(p.message())
                  .contains("phase 'maturation'", "loop flow", "6 mL/min", "[0.05, 4]");
            });
  }

  @Test
  void theCorpusCoversTheMistakesPeopleMake() throws IOException {
    assertThat(corpus().map(f -> f.getFileName().toString()))
        .contains(
            "setpoint-outside-limits.yaml",
            "ramp-beyond-limits.yaml",
            "ramp-longer-than-phase.yaml",
            "unknown-references.yaml",
            "transition-mistakes.yaml",
            "duplicates.yaml",
            "alarm-override-breaks-ordering.yaml",
            "wrong-profile.yaml",
            "schema-mistakes.yaml",
            "yaml-syntax-error.yaml");
  }
}
