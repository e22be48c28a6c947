package io.hepaloop.api;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * Strict reading of request bodies for the plant and alarm routes: a body must be one JSON object
 * with only the fields the route knows, each of the right type. Each reader answers the request
 * with a 400 problem naming the field and returns null when the input is wrong, so a handler
 * applies nothing unless every field was read.
 */
final class PlantInput {
  private PlantInput() {}

  /** The body as a JSON object with only {@code allowed} fields, or null (400 sent). */
  static JsonObject object(RoutingContext rc, Set<String> allowed) {
    String text = rc.body() == null ? null : rc.body().asString();
    if (text == null || text.isBlank()) {
      Problems.badField(rc, "body", "a JSON object is required");
      return null;
    }
    Object parsed;
    try {
      parsed = io.vertx.core.json.Json.decodeValue(text);
    } catch (DecodeException e) {
      Problems.badField(rc, "body", "is not valid JSON (" + firstLine(e.getMessage()) + ")");
      return null;
    }
    if (!(parsed instanceof JsonObject o)) {
      Problems.badField(rc, "body", "must be a JSON object, got " + kind(parsed));
      return null;
    }
    for (String f : o.fieldNames()) {
      if (!allowed.contains(f)) {
        Problems.badField(rc, f, "unknown field; allowed: " + String.join(", ", sorted(allowed)));
        return null;
      }
    }
    return o;
  }

  /** A required finite number, or null (400 sent). */
  static Double number(RoutingContext rc, JsonObject o, String field) {
    Object v = o.getValue(field);
    if (v == null) {
      Problems.badField(rc, field, "is required (a number)");
      return null;
    }
    return numberValue(rc, field, v);
  }

  /** An optional finite number: {@code fallback} when absent, null when wrong (400 sent). */
  static Double optionalNumber(RoutingContext rc, JsonObject o, String field, double fallback) {
    Object v = o.getValue(field);
    return v == null ? Double.valueOf(fallback) : numberValue(rc, field, v);
  }

  private static Double numberValue(RoutingContext rc, String field, Object v) {
    if (!(v instanceof Number n)) {
      Problems.badField(rc, field, "must be a number, got " + kind(v) + " " + quoted(v));
      return null;
    }
    double d = n.doubleValue();
    if (!Double.isFinite(d)) {
      Problems.badField(rc, field, "must be a finite number, got " + v);
      return null;
    }
    return d;
  }

  /** A required non-blank string, or null (400 sent). */
  static String string(RoutingContext rc, JsonObject o, String field) {
    Object v = o.getValue(field);
    if (v == null) {
      Problems.badField(rc, field, "is required (a string)");
      return null;
    }
    if (!(v instanceof String s) || s.isBlank()) {
      Problems.badField(rc, field, "must be a non-empty string, got " + kind(v) + " " + quoted(v));
      return null;
    }
    return s;
  }

  /** An optional string: null when absent; {@code ""} is returned as absent. Wrong type: 400. */
  static boolean optionalString(RoutingContext rc, JsonObject o, String field, String[] out) {
    Object v = o.getValue(field);
    if (v == null) {
      out[0] = null;
      return true;
    }
    if (!(v instanceof String s)) {
      Problems.badField(rc, field, "must be a string, got " + kind(v) + " " + quoted(v));
      return false;
    }
    out[0] = s.isBlank() ? null : s;
    return true;
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
    if (v instanceof JsonObject) {
      return "an object";
    }
    return "an array";
  }

  private static String quoted(Object v) {
    String s = String.valueOf(v instanceof String ? "\"" + v + "\"" : v);
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }

  private static java.util.List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.length() > 120 ? line.substring(0, 117) + "..." : line;
  }
}
