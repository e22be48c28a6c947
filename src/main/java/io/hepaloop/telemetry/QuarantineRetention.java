package io.hepaloop.telemetry;

import java.time.Duration;
import java.util.Map;

/**
 * How much of {@code spool/quarantine/} is kept: at most {@code maxBytes} of damaged-stretch copies
 * and none older than {@code maxAge}; the oldest copies go first, the newest one is always kept.
 *
 * <p>Defaults: 256 MiB and 30 days. A damaged stretch is one record (at most a 10,000-point batch,
 * about 1 MiB) or a zeroed page, so 256 MiB keeps hundreds of incidents — enough evidence to
 * diagnose a failing disk — while it is an eighth of the spool's own 2 GiB bound, so the spool
 * directory stays under 2.25 GiB however long the damage goes on. 30 days is the raw retention of
 * InfluxDB: the points around a damaged stretch are gone from the database after that, too.
 *
 * @param maxBytes total size of the quarantine copies kept (0: only the newest one)
 * @param maxAge a copy older than this (by its file time) is deleted, unless it is the newest one
 */
public record QuarantineRetention(long maxBytes, Duration maxAge) {
  public static final long DEFAULT_MAX_MIB = 256;
  public static final long DEFAULT_MAX_DAYS = 30;
  static final String ENV_MAX_MIB = "HEPALOOP_SPOOL_QUARANTINE_MAX_MIB";
  static final String ENV_MAX_DAYS = "HEPALOOP_SPOOL_QUARANTINE_MAX_DAYS";

  public QuarantineRetention {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("quarantine maxBytes must be >= 0, was " + maxBytes);
    }
    if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("quarantine maxAge must be positive, was " + maxAge);
    }
  }

  /** 256 MiB, 30 days. */
  public static QuarantineRetention defaults() {
    return new QuarantineRetention(DEFAULT_MAX_MIB << 20, Duration.ofDays(DEFAULT_MAX_DAYS));
  }

  /**
   * From {@code HEPALOOP_SPOOL_QUARANTINE_MAX_MIB} (whole MiB, 0 or more; default 256) and {@code
   * HEPALOOP_SPOOL_QUARANTINE_MAX_DAYS} (whole days, 1 or more; default 30).
   *
   * @throws IllegalArgumentException naming the variable when a value is not such a number
   */
  public static QuarantineRetention fromEnv(Map<String, String> env) {
    long mib = number(env, ENV_MAX_MIB, DEFAULT_MAX_MIB, 0, Long.MAX_VALUE >> 20);
    long days = number(env, ENV_MAX_DAYS, DEFAULT_MAX_DAYS, 1, 365_000);
    return new QuarantineRetention(mib << 20, Duration.ofDays(days));
  }

  private static long number(Map<String, String> env, String name, long dflt, long min, long max) {
    String s = env.get(name);
    if (s == null || s.isBlank()) {
      return dflt;
    }
    long v;
    try {
      v = Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a whole number between " + min + " and " + max + ", was '" + s + "'");
    }
    if (v < min || v > max) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ", was " + v);
    }
    return v;
  }
}
