package io.hepaloop.api;

import io.hepaloop.api.Problems.FieldError;
import io.hepaloop.lab.LabCorrection;
import io.hepaloop.lab.LabEntry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The body of a lab entry or correction, read field by field with every problem collected (like
 * {@link JsonBody}, plus numbers and times): a number must be a JSON number, a time an ISO-8601
 * instant with its offset ("2026-01-02T09:30:00Z"), and an unknown field is refused, so a misspelt
 * optional field ("detectionLimt") is not silently dropped.
 */
final class LabJson {
  /** Longest unit, method and reason, in characters. */
  static final int MAX_UNIT = 64;

  static final int MAX_TEXT = 1_000;

  private final JsonObject json;
  private final Set<String> known = new LinkedHashSet<>();
  private final List<FieldError> errors = new ArrayList<>();

  private LabJson(JsonObject json) {
    this.json = json;
  }

  /** The body, or null after answering 400 (empty, malformed, not an object). */
  static LabJson of(RoutingContext rc) {
    Buffer buffer = rc.body() == null ? null : rc.body().buffer();
    if (buffer == null || buffer.length() == 0) {
      Problems.badField(rc, "body", "a JSON object is required");
      return null;
    }
    Object value;
    try {
      value = Json.decodeValue(buffer);
    } catch (DecodeException e) {
      String m = String.valueOf(e.getMessage());
      int nl = m.indexOf('\n');
      Problems.badField(rc, "body", "malformed JSON: " + (nl < 0 ? m : m.substring(0, nl)));
      return null;
    }
    if (!(value instanceof JsonObject object)) {
      Problems.badField(rc, "body", "expected a JSON object, got " + JsonBody.kind(value));
      return null;
    }
    return new LabJson(object);
  }

  LabEntry entry() {
    return new LabEntry(
        string("analyte", MAX_UNIT, true),
        number("value"),
        string("unit", MAX_UNIT, true),
        time("sampledAt", true),
        time("measuredAt", true),
        string("method", MAX_TEXT, false),
        number("detectionLimit"),
        Boolean.TRUE.equals(bool("belowDetectionLimit")));
  }

  LabCorrection correction() {
    if (json.containsKey("analyte")) {
      known.add("analyte");
      errors.add(
          new FieldError(
              "analyte", "a correction cannot change the analyte; enter a new sample instead"));
    }
    return new LabCorrection(
        number("value"),
        string("unit", MAX_UNIT, true),
        string("reason", MAX_TEXT, true),
        time("sampledAt", false),
        time("measuredAt", false),
        string("method", MAX_TEXT, false),
        number("detectionLimit"),
        bool("belowDetectionLimit"));
  }

  /** What was asked, for the audit record of a refusal: the body as sent, cut to a size. */
  String asked() {
    String s = json.encode();
    return s.length() > 2_000 ? s.substring(0, 1_997) + "..." : s;
  }

  /** Answers 400 naming every problem and returns true, or returns false when the body is good. */
  boolean rejected(RoutingContext rc) {
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

  private String string(String field, int max, boolean required) {
    known.add(field);
    Object v = json.getValue(field);
    if (v == null) {
      if (required) {
        errors.add(new FieldError(field, "required"));
      }
      return null;
    }
    if (!(v instanceof String s)) {
      errors.add(new FieldError(field, "expected a string, got " + JsonBody.kind(v)));
      return null;
    }
    if (s.isBlank()) {
      if (required) {
        errors.add(new FieldError(field, "must not be blank"));
      }
      return null;
    }
    if (s.length() > max) {
      errors.add(new FieldError(field, "longer than " + max + " characters"));
      return null;
    }
    return s;
  }

  private Double number(String field) {
    known.add(field);
    Object v = json.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n)) {
      errors.add(new FieldError(field, "expected a number, got " + JsonBody.kind(v)));
      return null;
    }
    double d = n.doubleValue();
    if (!Double.isFinite(d)) {
      errors.add(new FieldError(field, "must be a finite number, got " + v));
      return null;
    }
    return d;
  }

  private Boolean bool(String field) {
    known.add(field);
    Object v = json.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Boolean b)) {
      errors.add(new FieldError(field, "expected true or false, got " + JsonBody.kind(v)));
      return null;
    }
    return b;
  }

  private Instant time(String field, boolean required) {
    known.add(field);
    Object v = json.getValue(field);
    if (v == null) {
      if (required) {
        errors.add(
            new FieldError(field, "required (ISO-8601 with offset, e.g. 2026-01-02T09:30:00Z)"));
      }
      return null;
    }
    if (!(v instanceof String s)) {
      errors.add(
          new FieldError(field, "expected an ISO-8601 time string, got " + JsonBody.kind(v)));
      return null;
    }
    try {
      return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      errors.add(
          new FieldError(
              field,
              "'" + s + "' is not an ISO-8601 time with offset (e.g. 2026-01-02T09:30:00Z)"));
      return null;
    }
  }
}
