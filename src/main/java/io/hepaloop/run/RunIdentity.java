package io.hepaloop.run;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * Which run a controller's records belong to: its id (the {@code run} tag of every telemetry point,
 * the key of {@code export --run}) and when it started. One culture is one run for weeks, across
 * every restart of the controller; {@link RunStore} keeps it in the data directory. Plain data: the
 * run model of the supervision work (ISA-88 batches) builds on it.
 *
 * @param id letters, digits and {@code . _ : + @ -}, starting with a letter or digit, at most 128
 *     characters
 * @param startedAt when the run started (not when this process started)
 */
public record RunIdentity(String id, Instant startedAt) {
  /**
   * Safe as an InfluxDB tag value, a file name part and a command-line argument without quoting.
   */
  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:+@-]{0,127}");

  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  public RunIdentity {
    checkId(id);
    if (startedAt == null) {
      throw new IllegalArgumentException("run " + id + ": start time is required");
    }
  }

  /** Refuses an id that could not be used as a telemetry tag, with the reason. */
  public static String checkId(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "run id '"
              + id
              + "' is not valid: use 1 to 128 letters, digits and . _ : + @ -,"
              + " starting with a letter or digit");
    }
    return id;
  }

  /**
   * A new run's id from the command that starts it and the local time, e.g. {@code
   * demo-20261202-004130}.
   */
  static String generatedId(String prefix, Instant at, ZoneId zone) {
    return checkId(prefix + "-" + STAMP.format(at.atZone(zone)));
  }
}
