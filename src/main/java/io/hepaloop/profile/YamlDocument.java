package io.hepaloop.profile;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML file read into a Jackson tree that remembers the line of every key and list item, so that a
 * problem found anywhere (by the JSON Schema or by a semantic check) can be reported as
 * {@code file:line: path: ...}. Jackson's own tree loses locations; here the tree is built token by
 * token from the YAML parser instead.
 *
 * <p>Also catches what a plain {@code readTree} silently accepts: a key given twice in one mapping
 * (Jackson keeps the last; here it is a problem and the first wins).
 *
 * <p>Shared by device profiles and the plant configuration; not meant for use elsewhere.
 */
public final class YamlDocument {
  private static final YAMLFactory FACTORY = new YAMLFactory();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String fileName;
  private final Map<String, Integer> lines = new HashMap<>();
  private final List<Problem> problems = new ArrayList<>();
  private JsonNode root;

  private YamlDocument(String fileName) {
    this.fileName = fileName;
  }

  /** Reads {@code file}; never throws: syntax and I/O errors become {@link #problems()}, and root is null. */
  public static YamlDocument read(Path file) {
    YamlDocument doc = new YamlDocument(file.toString());
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      doc.parse(in);
    } catch (NoSuchFileException e) {
      doc.problems.add(new Problem(doc.fileName, 0, "(file)", "file not found"));
    } catch (JsonProcessingException e) {
      doc.root = null;
      doc.problems.add(syntaxProblem(doc.fileName, e));
    } catch (IOException e) {
      doc.problems.add(new Problem(doc.fileName, 0, "(file)", "cannot read: " + e));
    }
    return doc;
  }

  /** Parses YAML text; {@code fileName} is only used in problems. For tests and generated files. */
  public static YamlDocument parse(String fileName, String yaml) {
    YamlDocument doc = new YamlDocument(fileName);
    try (Reader in = new java.io.StringReader(yaml)) {
      doc.parse(in);
    } catch (JsonProcessingException e) {
      doc.root = null;
      doc.problems.add(syntaxProblem(fileName, e));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return doc;
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
   * Line of {@code path} ({@code signals[3].safeValue}); for a path that is not in the file (a missing
   * field) the line of its nearest ancestor that is.
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

  private void parse(Reader in) throws IOException {
    try (JsonParser p = FACTORY.createParser(in)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        problems.add(new Problem(fileName, 1, "(yaml)", "the file is empty"));
        return;
      }
      lines.put("", line(p));
      root = value(p, "");
    }
  }

  private JsonNode value(JsonParser p, String path) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        ObjectNode object = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          String childPath = child(path, key);
          int keyLine = line(p);
          p.nextToken();
          if (object.has(key)) {
            problems.add(new Problem(fileName, keyLine, childPath,
                "duplicate key '" + key + "' (first given at line " + lines.get(childPath) + "; only that one is used)"));
            p.skipChildren();
            continue;
          }
          if (key.equals("<<")) {
            problems.add(new Problem(fileName, keyLine, childPath, "YAML merge keys (<<) are not supported here: "
                + "write the keys out"));
            p.skipChildren();
            continue;
          }
          lines.put(childPath, keyLine);
          object.set(key, value(p, childPath));
        }
        return object;
      }
      case START_ARRAY -> {
        ArrayNode array = NODES.arrayNode();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          String itemPath = index(path, i++);
          lines.put(itemPath, line(p));
          array.add(value(p, itemPath));
        }
        return array;
      }
      case VALUE_STRING -> {
        if (p instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
          // Jackson hands an alias (*name) over as the text "name": the value would be silently wrong.
          problems.add(new Problem(fileName, line(p), path, "YAML aliases (*" + p.getText()
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
        return NODES.numberNode(p.getDoubleValue());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return NODES.booleanNode(p.getBooleanValue());
      }
      case VALUE_NULL -> {
        return NODES.nullNode();
      }
      default -> {
        // Tagged or binary scalars (!!binary): keep their text; the schema will say what it expected.
        return NODES.textNode(p.getText());
      }
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
  private static Problem syntaxProblem(String fileName, JsonProcessingException e) {
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
    return new Problem(fileName, lineOf(e.getLocation()), "(yaml)", "YAML syntax error: " + raw.split("\\R")[0]);
  }
}
