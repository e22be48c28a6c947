package io.hepaloop.plant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepaloop.profile.Problem;
import io.hepaloop.profile.ProfileException;
import io.hepaloop.profile.YamlDocument;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The broken plant-configuration corpus: each file in {@code plant/broken} lists in {@code #
 * expect:} lines exactly the problems it must produce. Problems located in another file (a profile
 * it names) are prefixed with that file's name; {@code {dir}} stands for the corpus directory.
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
  void eachBrokenPlantConfigIsRejectedWithExactlyTheProblemsItExpects(Path file)
      throws IOException {
    String dir = file.toAbsolutePath().getParent().toString();
    List<String> expected =
        Files.readAllLines(file, StandardCharsets.UTF_8).stream()
            .filter(l -> l.startsWith("# expect: "))
            .map(l -> l.substring("# expect: ".length()).replace("{dir}", dir))
            .toList();
    assertThat(expected).as("the corpus file says what it expects").isNotEmpty();

    List<Problem> problems = PlantConfigLoader.validate(file, EMPTY_ENV);

    assertThat(problems)
        .extracting(p -> render(file, p))
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThatThrownBy(() -> PlantConfigLoader.load(file, EMPTY_ENV))
        .isInstanceOfSatisfying(
            ProfileException.class, e -> assertThat(e.problems()).isEqualTo(problems));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void everyProblemOfTheConfigItselfNamesTheFileAndLine(Path file) {
    assertThat(PlantConfigLoader.validate(file, EMPTY_ENV))
        .filteredOn(p -> p.file().equals(file.toString()))
        .allSatisfy(
            p ->
                assertThat(p.toString())
                    .startsWith(file + ":" + p.line() + ": " + p.path() + ": "));
  }

  /** Files that are no configuration at all, generated here: some are megabytes. */
  @Nested
  class BadFiles {
    @TempDir Path dir;

    private Path sparse(String name, long bytes) throws IOException {
      Path file = dir.resolve(name);
      try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
        f.setLength(bytes);
      }
      return file;
    }

    @Test
    void anOversizedConfigurationIsRefusedAtOnceAndNeverParsed() throws IOException {
      Path huge = sparse("hepaloop.yaml", 10L << 20);
      long parses = YamlDocument.parseCount();

      assertThat(PlantConfigLoader.validate(huge, EMPTY_ENV))
          .extracting(Problem::toString)
          .containsExactly(
              huge
                  + ":0: (file): is 10485760 bytes; plant configurations are at most 1048576 bytes (1 MiB)");
      assertThat(YamlDocument.parseCount()).isEqualTo(parses);
    }

    @Test
    void anOversizedProfileIsRefusedUnderItsOwnNameAndTheReactorSaysSo() throws IOException {
      Path huge = sparse("huge-profile.yaml", 2L << 20);
      Path config = dir.resolve("hepaloop.yaml");
      Files.writeString(
          config, "dataDir: data\nreactors:\n  - id: r1\n    profile: huge-profile.yaml\n");

      assertThat(PlantConfigLoader.validate(config, EMPTY_ENV))
          .extracting(Problem::toString)
          .containsExactly(
              config
                  + ":4: reactors[0].profile: profile huge-profile.yaml is invalid: 1 problem, listed under its own name",
              huge + ":0: (file): is 2097152 bytes; profiles are at most 1048576 bytes (1 MiB)");
    }

    @Test
    void aBinaryConfigurationIsNotATextFile() throws IOException {
      Path binary = dir.resolve("hepaloop.yaml");
      Files.write(
          binary, "dataDir: data\nreactors: \u0000\u0001\n".getBytes(StandardCharsets.UTF_8));

      assertThat(PlantConfigLoader.validate(binary, EMPTY_ENV))
          .extracting(Problem::toString)
          .containsExactly(
              binary
                  + ":2: (file): not a text file: it holds a NUL byte (YAML files are UTF-8 text)");
    }

    @Test
    void deepNestingIsReportedAtItsLine() throws IOException {
      Path deep = dir.resolve("hepaloop.yaml");
      Files.writeString(
          deep,
          "dataDir: data\nreactors:\n  - id: r1\n    displayName:\n      "
              + "{a: ".repeat(200)
              + "1"
              + "}".repeat(200)
              + "\n");

      assertThat(PlantConfigLoader.validate(deep, EMPTY_ENV))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.line()).isEqualTo(5);
                assertThat(p.path()).startsWith("reactors[0].displayName.a.a.");
                assertThat(p.message()).startsWith("nested more than 64 levels deep");
              });
    }

    @Test
    void aConfigurationIsParsedOnceAndASharedProfileOnce() {
      long parses = YamlDocument.parseCount();
      assertThat(
              PlantConfigLoader.validate(
                  Path.of("src/test/resources/plant/valid-base.yaml"), EMPTY_ENV))
          .isEmpty();
      assertThat(YamlDocument.parseCount() - parses).isEqualTo(2);
    }
  }

  private static String render(Path config, Problem p) {
    String prefix = p.file().equals(config.toString()) ? "" : Path.of(p.file()).getFileName() + ":";
    return prefix + p.line() + ": " + p.path() + ": " + p.message();
  }
}
