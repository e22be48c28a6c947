package io.hepaloop.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * {@link WholeTextReader} stands in for SnakeYAML's {@link StreamReader}: SnakeYAML must see
 * exactly the same events at exactly the same marks (line, column, index) through it as through the
 * reader Jackson gives it, for every YAML file of the project and for the corners of line breaks
 * and Unicode, and fail the same way on broken YAML.
 */
class WholeTextReaderTest {

  static Stream<String> texts() throws IOException {
    List<String> texts = new ArrayList<>();
    for (String dir : List.of("device-profiles", "simulators", "src/test/resources")) {
      try (Stream<Path> files = Files.walk(Path.of(dir))) {
        for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
          texts.add(Files.readString(f, StandardCharsets.UTF_8));
        }
      }
    }
    texts.add(Files.readString(Path.of("hepaloop.example.yaml")));
    texts.addAll(
        List.of(
            "a: 1\r\nb: [1, 2]\r\nc: x\r\n", // CRLF
            "a: 1\rb: 2\r", // old Mac line ends, a CR at the very end
            "\uFEFFa: 1\nb: 2\n", // byte order mark
            "a: \"caf\u00e9 \uD83E\uDDEA\"\nb: \uD83E\uDDEA\n", // accents and a character beyond
            // the BMP
            "a: 1\u0085b: 2\u2028c: 3\u2029d: 4\n", // NEL and Unicode line separators
            "a:\n\t- x\n", // a tab: a scanner error
            "a: [1, 2\nb: 3\n", // unterminated flow sequence
            "a: 'it''s\n  on two lines'\nb: >\n  folded\n  text\nc: |\n  # not a comment\n  kept\n",
            "# " + "x".repeat(5000) + "\na: 1  # " + "y".repeat(3000) + "\n",
            "a: " + "z".repeat(4000) + "\nb: \"" + "q".repeat(3000) + "\"\n",
            "a: &r { min: 0 }\nb: *r\n---\nc: 1\n...\n"));
    // Text with characters YAML does not allow never reaches the reader (see the test below).
    return texts.stream().filter(t -> TextFile.unprintable("t", t) == null);
  }

  @Test
  void whatSnakeYamlsReaderWouldRefuseIsRefusedBeforeParsing() {
    for (String text : List.of("a: \u0000\n", "a: 1\nb: \u0007\n", "a: \uFFFE\n", "a: \u0080\n")) {
      assertThat(events(new StreamReader(new StringReader(text))))
          .last()
          .asString()
          .startsWith("ReaderException: special characters are not allowed");
      assertThat(YamlDocument.parse("t.yaml", text).problems())
          .singleElement()
          .satisfies(p -> assertThat(p.message()).startsWith("not a text file"));
    }
  }

  @ParameterizedTest
  @MethodSource("texts")
  void snakeYamlSeesTheSameEventsAtTheSameMarksAsThroughItsOwnReader(String text) {
    assertThat(events(new WholeTextReader(text)))
        .containsExactlyElementsOf(events(new StreamReader(new StringReader(text))));
  }

  @Test
  void everyPublicMethodOfSnakeYamlsReaderIsReplaced() {
    List<String> missing = new ArrayList<>();
    for (Method m : StreamReader.class.getDeclaredMethods()) {
      if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers())) {
        try {
          WholeTextReader.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
        } catch (NoSuchMethodException e) {
          missing.add(m.getName() + Arrays.toString(m.getParameterTypes()));
        }
      }
    }
    assertThat(missing)
        .as("StreamReader methods a SnakeYAML upgrade added: WholeTextReader must override them")
        .isEmpty();
  }

  /** Each event with its marks, then the error that ended the stream, if any. */
  private static List<String> events(StreamReader reader) {
    List<String> seen = new ArrayList<>();
    ParserImpl parser = new ParserImpl(reader, new LoaderOptions());
    try {
      while (parser.peekEvent() != null) {
        Event e = parser.getEvent();
        seen.add(e + " " + mark(e.getStartMark()) + "-" + mark(e.getEndMark()));
      }
    } catch (RuntimeException e) {
      seen.add(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    return seen;
  }

  private static String mark(Mark m) {
    return m == null ? "-" : m.getLine() + ":" + m.getColumn() + "@" + m.getIndex();
  }
}
