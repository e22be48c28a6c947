package io.hepaloop.profile;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.parser.ParserImpl;

/**
 * A YAML file read into a Jackson tree that remembers the line of every key and list item, so that
 * a problem found anywhere (by the JSON Schema or by a semantic check) can be reported as {@code
 * file:line: path: ...}. Jackson's own tree loses locations; here the tree is built token by token
 * from the YAML parser instead.
 *
 * <p>Also catches what a plain {@code readTree} silently accepts: a key given twice in one mapping
 * (Jackson keeps the last; here it is a problem and the first wins), a number too large to be
 * finite.
 *
 * <p>Bad input stays cheap: a file is read once, at most 1 MiB ({@link TextFile}), must be UTF-8
 * text, is parsed once in time linear in its length ({@link WholeTextReader}) and at most {@link
 * #MAX_DEPTH} levels deep; every one of these is a located problem, not an exception.
 *
 * <p>Shared by device profiles, the plant configuration and simulator scenarios; not meant for use
 * elsewhere.
 */
public final class YamlDocument {
  /**
   * Deeper than this is not a configuration (profiles nest 5 levels, the plant configuration 4):
   * the reading stops there, at that line, before a crafted file costs stack or time.
   */
  public static final int MAX_DEPTH = 64;

  private static final YAMLFactory FACTORY = new WholeTextYamlFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final AtomicLong PARSES = new AtomicLong();

  private final String fileName;
  private final Map<String, Integer> lines = new HashMap<>();
  private final List<Problem> problems = new ArrayList<>();
  private final Set<String> refusedValues = new HashSet<>();
  private JsonNode root;

  private YamlDocument(String fileName) {
    this.fileName = fileName;
  }

  /** As {@link #read(Path, String)}, for a file that may be a profile or a plant configuration. */
  public static YamlDocument read(Path file) {
    return read(file, "profiles and plant configurations");
  }

  /**
   * Reads {@code file}; never throws: a file that is missing, larger than 1 MiB or not UTF-8 text,
   * and syntax errors, become {@link #problems()}, and root is null. {@code kind} names such files
   * in the size message ("profiles are at most ...").
   */
  public static YamlDocument read(Path file, String kind) {
    return of(file.toString(), TextFile.read(file, kind));
  }

  /** Parses YAML text; {@code fileName} is only used in problems. For tests and generated files. */
  public static YamlDocument parse(String fileName, String yaml) {
    return of(fileName, TextFile.of(fileName, yaml));
  }

  private static YamlDocument of(String fileName, TextFile text) {
    YamlDocument doc = new YamlDocument(fileName);
    if (text.problem() != null) {
      doc.problems.add(text.problem());
    } else {
      doc.parse(text.text());
    }
    return doc;
  }

  /**
   * How many texts this JVM has parsed as YAML. Every reading of a file goes through one parse, so
   * a test can prove that checking a file reads it once (schema, checks and records share the
   * tree).
   */
  public static long parseCount() {
    return PARSES.get();
  }

  public String fileName() {
    return fileName;
  }

  /** The document's tree, or null when it could not be parsed (see {@link #problems()}). */
  public JsonNode root() {
    return root;
  }

  /** Problems found while reading: syntax errors, duplicate keys, an empty file. */
  public List<Problem> problems() {
    return problems;
  }

  /**
   * Paths whose value was refused while reading (a number too large to be finite, {@code .inf});
   * they are null in the tree. A later check that finds "no value" there would repeat the same
   * mistake.
   */
  public Set<String> refusedValues() {
    return refusedValues;
  }

  /**
   * {@code found} without the problems a later check (schema, semantic rules) found in this file at
   * a path whose value was already refused while reading: one mistake, one line in the report.
   */
  public List<Problem> withoutRepeats(List<Problem> found) {
    return refusedValues.isEmpty()
        ? found
        : found.stream()
            .filter(
                p ->
                    problems.contains(p)
                        || !p.file().equals(fileName)
                        || !refusedValues.contains(p.path()))
            .toList();
  }

  /**
   * Line of {@code path} ({@code signals[3].safeValue}); for a path that is not in the file (a
   * missing field) the line of its nearest ancestor that is.
   */
  public int lineOf(String path) {
    String p = path;
    while (true) {
      Integer line = lines.get(p);
      if (line != null) {
        return line;
      }
      if (p.isEmpty()) {
        return 1;
      }
      p = parent(p);
    }
  }

  /** A problem at {@code path}, located at its line. */
  public Problem problem(String path, String message) {
    return new Problem(fileName, lineOf(path), path, message);
  }

  /** {@code child("signals[3]", "id")} is {@code signals[3].id}; at the root it is just the key. */
  public static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public static String index(String path, int i) {
    return path + "[" + i + "]";
  }

  static String parent(String path) {
    int dot = path.lastIndexOf('.');
    int bracket = path.lastIndexOf('[');
    int cut = Math.max(dot, bracket);
    return cut <= 0 ? "" : path.substring(0, cut);
  }

  private void parse(String text) {
    PARSES.incrementAndGet();
    try (JsonParser p = FACTORY.createParser(new Text(text))) {
      try {
        JsonToken first = p.nextToken();
        if (first == null) {
          problems.add(new Problem(fileName, 1, "(yaml)", "the file is empty"));
          return;
        }
        lines.put("", line(p));
        root = value(p, "", 0);
      } catch (TooDeep e) {
        root = null;
        problems.add(e.problem);
      } catch (JsonProcessingException e) {
        root = null;
        problems.add(syntaxProblem(fileName, e, p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading text in memory", e);
    }
  }

  private JsonNode value(JsonParser p, String path, int depth) throws IOException {
    JsonToken t = p.currentToken();
    if ((t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) && depth >= MAX_DEPTH) {
      throw new TooDeep(
          new Problem(
              fileName,
              line(p),
              shorten(path),
              "nested more than "
                  + MAX_DEPTH
                  + " levels deep; no profile or configuration is (the rest of the file was not read)"));
    }
    switch (t) {
      case START_OBJECT -> {
        ObjectNode object = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          String childPath = child(path, key);
          int keyLine = line(p);
          p.nextToken();
          if (object.has(key)) {
            problems.add(
                new Problem(
                    fileName,
                    keyLine,
                    childPath,
                    "duplicate key '"
                        + key
                        + "' (first given at line "
                        + lines.get(childPath)
                        + "; only that one is used)"));
            p.skipChildren();
            continue;
          }
          if (key.equals("<<")) {
            problems.add(
                new Problem(
                    fileName,
                    keyLine,
                    childPath,
                    "YAML merge keys (<<) are not supported here: " + "write the keys out"));
            p.skipChildren();
            continue;
          }
          lines.put(childPath, keyLine);
          object.set(key, value(p, childPath, depth + 1));
        }
        return object;
      }
      case START_ARRAY -> {
        ArrayNode array = NODES.arrayNode();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          String itemPath = index(path, i++);
          lines.put(itemPath, line(p));
          array.add(value(p, itemPath, depth + 1));
        }
        return array;
      }
      case VALUE_STRING -> {
        if (p instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
          // Jackson hands an alias (*name) over as the text "name": the value would be silently
          // wrong.
          problems.add(
              new Problem(
                  fileName,
                  line(p),
                  path,
                  "YAML aliases (*"
                      + p.getText()
                      + ") are not supported here: write the value out"));
        }
        return NODES.textNode(p.getText());
      }
      case VALUE_NUMBER_INT -> {
        return switch (p.getNumberType()) {
          case INT -> NODES.numberNode(p.getIntValue());
          case LONG -> NODES.numberNode(p.getLongValue());
          default -> NODES.numberNode(p.getBigIntegerValue());
        };
      }
      case VALUE_NUMBER_FLOAT -> {
        return finite(p, path);
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return NODES.booleanNode(p.getBooleanValue());
      }
      case VALUE_NULL -> {
        return NODES.nullNode();
      }
      default -> {
        // Tagged or binary scalars (!!binary): keep their text; the schema will say what it
        // expected.
        return NODES.textNode(p.getText());
      }
    }
  }

  /**
   * A float as a finite double; 1e400 (which reads as infinity), .inf and .nan are refused at their
   * line.
   */
  private JsonNode finite(JsonParser p, String path) throws IOException {
    String text = p.getText();
    double v;
    try {
      v = p.getDoubleValue();
    } catch (StreamReadException e) {
      v = Double.NaN; // Jackson has no double for YAML's .inf and .nan
    }
    if (Double.isFinite(v)) {
      return NODES.numberNode(v);
    }
    refusedValues.add(path);
    problems.add(
        new Problem(
            fileName,
            line(p),
            path,
            Double.isInfinite(v)
                ? text + " is too large to be a number (it reads as infinity)"
                : "'" + text + "' is not a number this file accepts: write a finite number"));
    return NODES.nullNode();
  }

  /** A path for a message: one 64 levels deep is shown by its start. */
  private static String shorten(String path) {
    if (path.length() <= 60) {
      return path;
    }
    int cut = Math.max(path.lastIndexOf('[', 60), path.lastIndexOf('.', 60));
    return path.substring(0, cut > 0 ? cut : 60) + "...";
  }

  /** A text to parse, handed to {@link WholeTextYamlFactory} whole. */
  private static final class Text extends StringReader {
    private final String text;

    Text(String text) {
      super(text);
      this.text = text;
    }
  }

  /**
   * Ends the reading of a file nested deeper than {@link #MAX_DEPTH}; carries the located problem.
   */
  private static final class TooDeep extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Problem problem;

    TooDeep(Problem problem) {
      super(problem.message());
      this.problem = problem;
    }
  }

  /**
   * Jackson's YAML parser over {@link WholeTextReader} instead of SnakeYAML's quadratic reader, for
   * text given whole as a {@link Text} (the only way {@link YamlDocument} calls it), with
   * SnakeYAML's limits set to ours. Jackson reads SnakeYAML's events, not its composed nodes, so
   * SnakeYAML's nesting and alias limits never apply here: depth is limited in {@link #value}, and
   * aliases are refused there, never expanded (no "billion laughs"). The code point limit does
   * apply, in SnakeYAML's scanner.
   */
  private static final class WholeTextYamlFactory extends YAMLFactory {
    private static final long serialVersionUID = 1L;
    private static final LoaderOptions LIMITS = limits();

    /** Every {@code createParser} of a text or reader ends here. */
    @Override
    protected YAMLParser _createParser(Reader in, IOContext ctxt) {
      if (!(in instanceof Text text)) {
        throw new IllegalArgumentException(
            "parses a YamlDocument.Text only, not " + in.getClass().getName());
      }
      ParserImpl events = new ParserImpl(new WholeTextReader(text.text), LIMITS);
      return new YAMLParser(
          ctxt, _parserFeatures, _yamlParserFeatures, _objectCodec, in, events) {};
    }

    private static LoaderOptions limits() {
      LoaderOptions options = new LoaderOptions();
      options.setCodePointLimit(TextFile.MAX_BYTES);
      options.setNestingDepthLimit(MAX_DEPTH);
      options.setMaxAliasesForCollections(0);
      options.setAllowDuplicateKeys(true); // reported, with both lines, in value()
      return options;
    }
  }

  private static int line(JsonParser p) {
    return lineOf(p.currentTokenLocation());
  }

  private static int lineOf(JsonLocation location) {
    return location == null ? 0 : Math.max(location.getLineNr(), 0);
  }

  /**
   * SnakeYAML's own message repeats the location and quotes the source over several lines; keep the
   * words ("mapping values are not allowed here") and the line where the problem is, or, for an
   * unterminated construct, where it started.
   */
  private static Problem syntaxProblem(String fileName, JsonProcessingException e, JsonParser p) {
    if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
      int line = m.getProblemMark().getLine() + 1;
      String problem = m.getProblem() == null ? "invalid YAML" : m.getProblem();
      StringBuilder text = new StringBuilder("YAML syntax error: ").append(problem);
      if (m.getContext() != null) {
        text.append(" (").append(m.getContext());
        if (m.getContextMark() != null && m.getContextMark().getLine() + 1 != line) {
          int contextLine = m.getContextMark().getLine() + 1;
          text.append(" that starts at line ").append(contextLine);
          if (problem.contains("end of stream")) {
            line = contextLine;
          }
        }
        text.append(")");
      }
      return new Problem(fileName, line, "(yaml)", text.toString());
    }
    String raw = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
    // Jackson's own limits (StreamConstraintsException) carry no location: the parser knows where
    // it is.
    int line = lineOf(e.getLocation()) > 0 ? lineOf(e.getLocation()) : lineOf(p.currentLocation());
    String what =
        e instanceof StreamConstraintsException ? "too large to read: " : "YAML syntax error: ";
    return new Problem(fileName, line, "(yaml)", what + raw.split("\\R")[0]);
  }
}
