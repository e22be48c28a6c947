package io.hepaloop.plant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepaloop.profile.Problem;
import io.hepaloop.profile.ProfileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The broken plant-configuration corpus: each file in {@code plant/broken} lists in {@code # expect:}
 * lines exactly the problems it must produce. Problems located in another file (a profile it names)
 * are prefixed with that file's name; {@code {dir}} stands for the corpus directory.
 */
class BrokenPlantConfigsTest {
  static final Path CORPUS = Path.of("src/test/resources/plant/broken");
  /** No environment variable is set: a username identity's password is always missing here. */
  static final Function<String, String> EMPTY_ENV = name -> null;

  static Stream<Path> corpus() throws IOException {
    try (Stream<Path> files = Files.list(CORPUS)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void eachBrokenPlantConfigIsRejectedWithExactlyTheProblemsItExpects(Path file) throws IOException {
    String dir = file.toAbsolutePath().getParent().toString();
    List<String> expected = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
        .filter(l -> l.startsWith("# expect: "))
        .map(l -> l.substring("# expect: ".length()).replace("{dir}", dir))
        .toList();
    assertThat(expected).as("the corpus file says what it expects").isNotEmpty();

    List<Problem> problems = PlantConfigLoader.validate(file, EMPTY_ENV);

    assertThat(problems).extracting(p -> render(file, p)).containsExactlyInAnyOrderElementsOf(expected);
    assertThatThrownBy(() -> PlantConfigLoader.load(file, EMPTY_ENV))
        .isInstanceOfSatisfying(ProfileException.class, e -> assertThat(e.problems()).isEqualTo(problems));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void everyProblemOfTheConfigItselfNamesTheFileAndLine(Path file) {
    assertThat(PlantConfigLoader.validate(file, EMPTY_ENV))
        .filteredOn(p -> p.file().equals(file.toString()))
        .allSatisfy(p -> assertThat(p.toString()).startsWith(file + ":" + p.line() + ": " + p.path() + ": "));
  }

  private static String render(Path config, Problem p) {
    String prefix = p.file().equals(config.toString()) ? "" : Path.of(p.file()).getFileName() + ":";
    return prefix + p.line() + ": " + p.path() + ": " + p.message();
  }
}
