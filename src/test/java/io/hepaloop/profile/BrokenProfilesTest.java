package io.hepaloop.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The broken-profile corpus: each file in {@code profiles/broken} states, in {@code # expect:}
 * lines at its end, exactly the problems it must produce ({@code line: path: message}) — no fewer,
 * no more.
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
    List<String> expected =
        Files.readAllLines(file, StandardCharsets.UTF_8).stream()
            .filter(l -> l.startsWith("# expect: "))
            .map(l -> l.substring("# expect: ".length()))
            .toList();
    assertThat(expected).as("the corpus file says what it expects").isNotEmpty();

    List<Problem> problems = ProfileLoader.validate(file);

    assertThat(problems)
        .extracting(p -> p.line() + ": " + p.path() + ": " + p.message())
        .containsExactlyElementsOf(expected);
    assertThat(problems)
        .allSatisfy(p -> assertThat(p.toString()).startsWith(file + ":" + p.line() + ": "));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void loadingABrokenProfileThrowsWithEveryProblemAndReturnsNothing(Path file) {
    assertThatThrownBy(() -> ProfileLoader.load(file))
        .isInstanceOfSatisfying(
            ProfileException.class,
            e -> {
              assertThat(e.problems()).isEqualTo(ProfileLoader.validate(file));
              assertThat(e.getMessage()).contains(e.problems().get(0).toString());
            });
  }

  @Test
  void theCorpusCoversTheMistakesPeopleMake() throws IOException {
    assertThat(corpus().map(f -> f.getFileName().toString()))
        .hasSizeGreaterThanOrEqualTo(12)
        .contains(
            "duplicate-signal-id.yaml",
            "reversed-range.yaml",
            "safe-value-outside-allowed.yaml",
            "bad-node-id.yaml",
            "unknown-data-type.yaml",
            "loop-references-missing-signal.yaml",
            "literal-password.yaml",
            "missing-required-field.yaml",
            "wrong-type.yaml",
            "yaml-syntax-error.yaml",
            "unknown-key.yaml",
            "scaling-raw-min-equals-raw-max.yaml",
            "number-not-finite.yaml",
            "nested-too-deep.yaml",
            "binary-nul-byte.yaml");
  }

  @Test
  void aProfileWithManyMistakesReportsAllOfThemAtOnceInReadingOrder() {
    List<Problem> problems = ProfileLoader.validate(CORPUS.resolve("many-problems.yaml"));

    assertThat(problems).hasSizeGreaterThanOrEqualTo(10);
    assertThat(problems).isSortedAccordingTo(Problem.READING_ORDER);
    assertThat(problems)
        .extracting(Problem::path)
        .contains(
            "endpoint.identity.password",
            "signals[0].range",
            "signals[2].id",
            "signals[3].nodeId",
            "signals[6].safeValue",
            "watchdog.dataType",
            "loops[2].cascade.pv");
  }

  /**
   * Files that are no profile at all: too big, binary, absurdly nested, or a valid profile drowned
   * in comments. Generated here (a temp dir), not committed: some are megabytes.
   */
  @Nested
  class BadFiles {
    static final Path SHIPPED = Path.of("device-profiles/liver-perfusion-bioreactor.yaml");
    @TempDir Path dir;

    @Test
    void aFileOverTheSizeLimitIsRefusedAtOnceAndNeverParsed() throws IOException {
      Path huge = dir.resolve("huge.yaml");
      try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
        f.setLength(10L << 20); // 10 MiB, sparse: made in no time, and the loader must not read it
      }
      long parses = YamlDocument.parseCount();

      assertThat(ProfileLoader.validate(huge))
          .extracting(Problem::toString)
          .containsExactly(
              huge + ":0: (file): is 10485760 bytes; profiles are at most 1048576 bytes (1 MiB)");
      assertThat(YamlDocument.parseCount()).as("parses").isEqualTo(parses);
    }

    @Test
    void theLimitIsOneMebibyteExactly() throws IOException {
      String profile = Files.readString(SHIPPED);
      Path atLimit = dir.resolve("at-limit.yaml");
      Files.writeString(atLimit, padWithCommentLines(profile, TextFile.MAX_BYTES));
      Path overLimit = dir.resolve("over-limit.yaml");
      Files.writeString(overLimit, padWithCommentLines(profile, TextFile.MAX_BYTES) + "#");

      assertThat(Files.size(atLimit)).isEqualTo(1 << 20);
      assertThat(ProfileLoader.validate(atLimit)).isEmpty();
      assertThat(ProfileLoader.validate(overLimit))
          .extracting(Problem::message)
          .containsExactly("is 1048577 bytes; profiles are at most 1048576 bytes (1 MiB)");
    }

    @Test
    void aProfileUnderAMegabyteOfCommentLinesValidatesAndIsParsedOnce() throws IOException {
      Path commented = dir.resolve("commented.yaml");
      Files.writeString(commented, padWithCommentLines(Files.readString(SHIPPED), 900_000));
      assertValidAndParsedOnce(commented);
    }

    @Test
    void aProfileWithOneCommentLineOf900KilobytesValidatesAndIsParsedOnce() throws IOException {
      // The shape that took SnakeYAML's own reader quadratic time (see WholeTextReader).
      Path commented = dir.resolve("one-long-comment.yaml");
      Files.writeString(commented, "# " + "x".repeat(900_000) + "\n" + Files.readString(SHIPPED));
      assertValidAndParsedOnce(commented);
    }

    private void assertValidAndParsedOnce(Path file) {
      long parses = YamlDocument.parseCount();
      assertThat(ProfileLoader.validate(file)).isEmpty();
      assertThat(YamlDocument.parseCount() - parses).as("parses of one validation").isEqualTo(1);
      assertThat(ProfileLoader.load(file)).isEqualTo(ProfileLoader.load(SHIPPED));
    }

    @Test
    void deepBlockNestingIsReportedAtTheLineWhereItGoesTooDeep() throws IOException {
      StringBuilder yaml =
          new StringBuilder("model: deep\nendpoint:\n  url: opc.tcp://127.0.0.1:4840/x\nvendor:\n");
      for (int level = 1; level <= 100; level++) {
        yaml.append("  ".repeat(level)).append("k").append(level).append(":\n");
      }
      yaml.append("  ".repeat(101)).append("bottom\n");
      Path deep = dir.resolve("deep.yaml");
      Files.writeString(deep, yaml);

      // The root mapping is level 1 and the mapping under vendor (k1, line 5) level 2: the 65th
      // level is the
      // mapping under k63, which starts with k64 on line 68.
      assertThat(ProfileLoader.validate(deep))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.line()).isEqualTo(68);
                assertThat(p.path()).startsWith("vendor.k1.k2.k3.");
                assertThat(p.message()).startsWith("nested more than 64 levels deep");
              });
    }

    @Test
    void invalidUtf8IsNotATextFileAtItsLine() throws IOException {
      Path latin1 = dir.resolve("latin1.yaml");
      Files.write(
          latin1, "model: x\nvendor: Soci\u00e9t\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
      assertThat(ProfileLoader.validate(latin1))
          .extracting(Problem::toString)
          .containsExactly(
              latin1
                  + ":2: (file): not a text file: byte 0xE9 is not UTF-8 (YAML files are UTF-8 text)");
    }

    @Test
    void anImageIsNotATextFile() throws IOException {
      Path png = dir.resolve("logo.yaml");
      Files.write(
          png,
          new byte[] {
            (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'
          });
      assertThat(ProfileLoader.validate(png))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.path()).isEqualTo("(file)");
                assertThat(p.message())
                    .startsWith("not a text file")
                    .doesNotContain("YAML syntax error");
              });
    }

    @Test
    void aControlCharacterIsNotATextFileAtItsLine() throws IOException {
      Path bell = dir.resolve("bell.yaml");
      Files.writeString(bell, "model: x\nvendor: ring\u0007\n");
      assertThat(ProfileLoader.validate(bell))
          .extracting(Problem::toString)
          .containsExactly(
              bell
                  + ":2: (file): not a text file: it holds control character U+0007 (YAML allows tab and line breaks only)");
    }

    @Test
    void aDirectoryIsNotAProfile() {
      assertThat(ProfileLoader.validate(dir))
          .extracting(Problem::message)
          .containsExactly("is a directory, not a file");
    }
  }

  /** {@code text} followed by comment lines up to exactly {@code bytes} bytes (UTF-8). */
  static String padWithCommentLines(String text, int bytes) {
    StringBuilder padded = new StringBuilder(text);
    int size = text.getBytes(StandardCharsets.UTF_8).length;
    String line =
        "# a comment that a person might write, or a generator might repeat, many times over\n";
    while (size + line.length() <= bytes) {
      padded.append(line);
      size += line.length();
    }
    if (size < bytes) {
      padded.append("#").append("-".repeat(bytes - size - 2)).append("\n");
    }
    return padded.toString();
  }

  @Test
  void aMissingFileIsOneProblemNotACrash() {
    Path missing = CORPUS.resolve("no-such-profile.yaml");
    assertThat(ProfileLoader.validate(missing))
        .singleElement()
        .hasToString(missing + ":0: (file): file not found");
  }
}
