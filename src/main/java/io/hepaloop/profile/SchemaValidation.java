package io.hepaloop.profile;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * A JSON Schema (draft 2020-12) from the classpath, whose findings come back as located {@link
 * Problem}s in plain words ("unknown key 'safevalue' (did you mean 'safeValue'?)") rather than the
 * validator's own phrasing. A schema may give its own text for a keyword with {@code "message":
 * {"pattern": "..."}} next to it.
 *
 * <p>Shared by device profiles and the plant configuration; not meant for use elsewhere.
 */
public final class SchemaValidation {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode schemaNode;
  private final JsonSchema schema;

  private SchemaValidation(JsonNode schemaNode, JsonSchema schema) {
    this.schemaNode = schemaNode;
    this.schema = schema;
  }

  /** Loads the schema at {@code resource} (e.g. {@code schema/device-profile.schema.json}). */
  public static SchemaValidation fromClasspath(String resource) {
    try (InputStream in = SchemaValidation.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("schema not on the classpath: " + resource);
      }
      JsonNode node = JSON.readTree(in);
      String id = node.path("$id").asText("classpath:" + resource);
      SchemaValidatorsConfig config =
          SchemaValidatorsConfig.builder()
              .errorMessageKeyword("message")
              .locale(Locale.ROOT)
              .build();
      JsonSchema schema =
          JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
              .getSchema(SchemaLocation.of(id), node, config);
      return new SchemaValidation(node, schema);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every schema violation in {@code doc}, located; empty when the document conforms. */
  public List<Problem> validate(YamlDocument doc) {
    List<Problem> problems = new ArrayList<>();
    if (doc.root() == null) {
      return problems;
    }
    List<ValidationMessage> messages = new ArrayList<>(schema.validate(doc.root()));
    messages.sort(Comparator.comparing(m -> m.getInstanceLocation().toString()));
    for (ValidationMessage m : messages) {
      String path = path(m.getInstanceLocation());
      switch (m.getType()) {
        case "required" -> {
          String missing = YamlDocument.child(path, m.getProperty());
          String custom = customMessage(m);
          problems.add(
              new Problem(
                  doc.fileName(),
                  doc.lineOf(path),
                  missing,
                  custom == null
                      ? "required field is missing"
                      : "required field is missing: " + custom));
        }
        case "additionalProperties" -> {
          if ("password".equalsIgnoreCase(m.getProperty())
              || "secret".equalsIgnoreCase(m.getProperty())) {
            continue; // reported by the literal-password (or -secret) check, with the fix
          }
          String key = YamlDocument.child(path, m.getProperty());
          problems.add(doc.problem(key, "unknown key '" + m.getProperty() + "'" + suggestion(m)));
        }
        default -> problems.add(doc.problem(path, describe(m)));
      }
    }
    return problems;
  }

  private String describe(ValidationMessage m) {
    JsonNode value = m.getInstanceNode();
    Object[] args = m.getArguments() == null ? new Object[0] : m.getArguments();
    String custom = customMessage(m);
    if (custom != null) {
      return show(value) + ": " + custom;
    }
    return switch (m.getType()) {
      case "type" ->
          value != null && value.isNull()
              ? "has no value, but " + article(String.valueOf(args[1])) + " is expected"
              : show(value)
                  + " is "
                  + article(String.valueOf(args[0]))
                  + ", but "
                  + article(String.valueOf(args[1]))
                  + " is expected";
      case "enum" -> show(value) + " is not one of " + enumValues(m);
      case "minimum" -> show(value) + " must be at least " + args[0];
      case "exclusiveMinimum" -> show(value) + " must be greater than " + args[0];
      case "maximum" -> show(value) + " must be at most " + args[0];
      case "exclusiveMaximum" -> show(value) + " must be less than " + args[0];
      case "minItems" ->
          "must list at least "
              + args[0]
              + (String.valueOf(args[0]).equals("1") ? " item" : " items");
      case "minLength" -> "must not be empty";
      case "pattern" -> show(value) + " does not match " + args[0];
      default -> m.getError();
    };
  }

  /** The schema's own words for this keyword: {@code "message": {"<keyword>": "..."}} beside it. */
  private String customMessage(ValidationMessage m) {
    JsonNode keyword = schemaAt(m.getSchemaLocation());
    JsonNode owner = schemaAt(parentLocation(m.getSchemaLocation()));
    if (keyword == null || owner == null) {
      return null;
    }
    JsonNode text = owner.path("message").path(m.getType());
    return text.isTextual() ? text.asText() : null;
  }

  private String enumValues(ValidationMessage m) {
    JsonNode values = schemaAt(m.getSchemaLocation());
    if (values == null || !values.isArray()) {
      return String.valueOf(m.getArguments()[0]);
    }
    return StreamSupport.stream(values.spliterator(), false)
        .map(JsonNode::asText)
        .collect(Collectors.joining(", "));
  }

  /** "did you mean 'safeValue'?" for a near miss, else the keys that are allowed here. */
  private String suggestion(ValidationMessage m) {
    JsonNode owner = schemaAt(parentLocation(m.getSchemaLocation()));
    if (owner == null || !owner.path("properties").isObject()) {
      return "";
    }
    List<String> known = new ArrayList<>();
    owner.path("properties").fieldNames().forEachRemaining(known::add);
    String given = m.getProperty();
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = distance(given.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    if (best != null && bestDistance <= Math.max(2, given.length() / 4)) {
      return " (did you mean '" + best + "'?)";
    }
    return " (allowed here: " + String.join(", ", known) + ")";
  }

  private JsonNode schemaAt(String location) {
    if (location == null) {
      return null;
    }
    int hash = location.indexOf('#');
    String fragment = hash < 0 ? "" : location.substring(hash + 1);
    try {
      JsonNode node = schemaNode.at(JsonPointer.compile(fragment));
      return node.isMissingNode() ? null : node;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private JsonNode schemaAt(SchemaLocation location) {
    return location == null ? null : schemaAt(location.toString());
  }

  private static String parentLocation(SchemaLocation location) {
    if (location == null) {
      return null;
    }
    String s = location.toString();
    int slash = s.lastIndexOf('/');
    return slash < 0 || slash < s.indexOf('#') ? null : s.substring(0, slash);
  }

  /** {@code /signals/3/safeValue} as {@code signals[3].safeValue}. */
  static String path(JsonNodePath location) {
    String path = "";
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      path =
          element instanceof Integer index
              ? YamlDocument.index(path, index)
              : YamlDocument.child(path, String.valueOf(element));
    }
    return path;
  }

  /** A value as a person wrote it: text quoted, whole numbers without ".0". */
  static String show(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "(nothing)";
    }
    if (value.isTextual()) {
      return "'" + value.asText() + "'";
    }
    if (value.isNumber()) {
      return number(value.doubleValue());
    }
    if (value.isObject()) {
      return "a mapping";
    }
    if (value.isArray()) {
      return "a list";
    }
    return value.toString();
  }

  /** {@code 120.0} as {@code 120}, {@code 0.05} as {@code 0.05}. */
  public static String number(double v) {
    if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  private static String article(String type) {
    String word =
        switch (type) {
          case "object" -> "mapping";
          case "array" -> "list";
          case "integer" -> "whole number";
          case "null" -> "empty value";
          default -> type;
        };
    return (word.matches("^[aeiou].*") ? "an " : "a ") + word;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
