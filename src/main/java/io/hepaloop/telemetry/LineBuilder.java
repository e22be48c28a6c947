package io.hepaloop.telemetry;

import java.time.Instant;

/**
 * Builds one InfluxDB line-protocol line with the escaping rules of the v1 write API: measurement
 * escapes commas and spaces, tag keys/values and field keys also escape {@code =}, string field
 * values escape {@code "} and backslash. Non-finite doubles are refused (skipped): line protocol
 * has no NaN, and a gap must stay a gap rather than become a made-up number.
 */
public final class LineBuilder {
  private final StringBuilder sb;
  private boolean inFields;
  private int fields;

  public LineBuilder(String measurement) {
    sb = new StringBuilder(128);
    escape(measurement, false);
  }

  public LineBuilder tag(String key, String value) {
    if (inFields) {
      throw new IllegalStateException("tags must come before fields");
    }
    if (value == null || value.isEmpty()) {
      return this; // InfluxDB refuses empty tag values; an absent tag is the same to queries
    }
    sb.append(',');
    escape(key, true);
    sb.append('=');
    escape(value, true);
    return this;
  }

  private void fieldKey(String key) {
    sb.append(inFields ? ',' : ' ');
    inFields = true;
    fields++;
    escape(key, true);
    sb.append('=');
  }

  /** Adds a float field; a NaN or infinite value is skipped (returns false). */
  public boolean field(String key, double value) {
    if (!Double.isFinite(value)) {
      return false;
    }
    fieldKey(key);
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      sb.append((long) value).append(".0");
    } else {
      sb.append(value);
    }
    return true;
  }

  public LineBuilder intField(String key, long value) {
    fieldKey(key);
    sb.append(value).append('i');
    return this;
  }

  public LineBuilder boolField(String key, boolean value) {
    fieldKey(key);
    sb.append(value ? 't' : 'f');
    return this;
  }

  public LineBuilder stringField(String key, String value) {
    fieldKey(key);
    sb.append('"');
    String v = value == null ? "" : value;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\');
      }
      if (c == '\n' || c == '\r') {
        c = ' ';
      }
      sb.append(c);
    }
    sb.append('"');
    return this;
  }

  /** Applies {@code step} to this builder (for fields whose methods do not chain). */
  public LineBuilder tap(java.util.function.Consumer<LineBuilder> step) {
    step.accept(this);
    return this;
  }

  public int fieldCount() {
    return fields;
  }

  /** The finished line with a nanosecond timestamp. */
  public String time(Instant t) {
    if (fields == 0) {
      throw new IllegalStateException("a line needs at least one field: " + sb);
    }
    return sb.append(' ').append(epochNanos(t)).toString();
  }

  public static long epochNanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  private void escape(String s, boolean escapeEquals) {
    if (!needsEscape(s, escapeEquals)) {
      sb.append(s); // the common case (ids, units): one bulk copy
      return;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ',' || c == ' ' || (escapeEquals && c == '=')) {
        sb.append('\\');
      }
      if (c == '\n' || c == '\r') {
        c = '_';
      }
      sb.append(c);
    }
  }

  private static boolean needsEscape(String s, boolean escapeEquals) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ',' || c == ' ' || c == '\n' || c == '\r' || (escapeEquals && c == '=')) {
        return true;
      }
    }
    return false;
  }
}
