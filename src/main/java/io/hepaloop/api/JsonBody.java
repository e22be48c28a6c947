package io.hepaloop.api;

import io.hepaloop.api.Problems.FieldError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A request's JSON object body, read field by field with every problem collected, so one answer
 * names all wrong fields. Typical use:
 *
 * <pre>{@code
 * JsonBody b = JsonBody.of(rc);
 * if (b == null) return;                    // 400 sent: not a JSON object
 * String name = b.string("name", 64, true);
 * if (b.rejected(rc)) return;               // 400 sent naming each field; nothing applied
 * }</pre>
 *
 * Unknown fields are refused too: a misspelt optional field would otherwise be silently ignored.
 */
public final class JsonBody {
  private final JsonObject json;
  private final Set<String> known = new LinkedHashSet<>();
  private final List<FieldError> errors = new ArrayList<>();

  private JsonBody(JsonObject json) {
    this.json = json;
  }

  /** The body as a JSON object, or null after answering 400 (empty, malformed, not an object). */
  public static JsonBody of(RoutingContext rc) {
    Buffer buffer = rc.body() == null ? null : rc.body().buffer();
    if (buffer == null || buffer.length() == 0) {
      Problems.badField(rc, "body", "a JSON object is required");
      return null;
    }
    Object value;
    try {
      value = Json.decodeValue(buffer);
    } catch (DecodeException e) {
      Problems.badField(rc, "body", "malformed JSON: " + firstLine(e.getMessage()));
      return null;
    }
    if (!(value instanceof JsonObject object)) {
      Problems.badField(rc, "body", "expected a JSON object, got " + kind(value));
      return null;
    }
    return new JsonBody(object);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "cannot parse";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }

  static String kind(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String) {
      return "a string";
    }
    if (v instanceof Number) {
      return "a number";
    }
    if (v instanceof Boolean) {
      return "a boolean";
    }
    if (v instanceof io.vertx.core.json.JsonArray) {
      return "an array";
    }
    return "an object";
  }

  /** A string of 1..maxLength characters; null when absent and not required (or wrong). */
  public String string(String field, int maxLength, boolean required) {
    known.add(field);
    Object v = json.getValue(field);
    if (v == null) {
      if (required) {
        errors.add(new FieldError(field, "required"));
      }
      return null;
    }
    if (!(v instanceof String s)) {
      errors.add(new FieldError(field, "expected a string, got " + kind(v)));
      return null;
    }
    if (s.isEmpty()) {
      errors.add(new FieldError(field, "must not be empty"));
      return null;
    }
    if (s.length() > maxLength) {
      errors.add(new FieldError(field, "longer than " + maxLength + " characters"));
      return null;
    }
    return s;
  }

  /** A boolean, or {@code otherwise} when absent. */
  public boolean bool(String field, boolean otherwise) {
    known.add(field);
    Object v = json.getValue(field);
    if (v == null) {
      return otherwise;
    }
    if (!(v instanceof Boolean b)) {
      errors.add(new FieldError(field, "expected true or false, got " + kind(v)));
      return otherwise;
    }
    return b;
  }

  /** A whole number in min..max, or null when absent (or wrong). */
  public Long integer(String field, long min, long max) {
    known.add(field);
    Object v = json.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Integer || v instanceof Long)) {
      errors.add(new FieldError(field, "expected a whole number, got " + kind(v)));
      return null;
    }
    long n = ((Number) v).longValue();
    if (n < min || n > max) {
      errors.add(new FieldError(field, "must be " + min + ".." + max + ", was " + n));
      return null;
    }
    return n;
  }

  /** Records a problem the caller found with a field's value. */
  public void problem(String field, String problem) {
    errors.add(new FieldError(field, problem));
  }

  /**
   * Answers 400 naming every problem (unknown fields included) and returns true, or returns false
   * when the body is good.
   */
  public boolean rejected(RoutingContext rc) {
    for (String name : json.fieldNames()) {
      if (!known.contains(name)) {
        errors.add(new FieldError(name, "unknown field; expected one of " + known));
      }
    }
    if (errors.isEmpty()) {
      return false;
    }
    String detail =
        String.join("; ", errors.stream().map(e -> e.field() + ": " + e.problem()).toList());
    Problems.send(rc, 400, "Invalid request", detail, errors.toArray(FieldError[]::new));
    return true;
  }
}
