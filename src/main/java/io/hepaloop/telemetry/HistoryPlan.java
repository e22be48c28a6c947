package io.hepaloop.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which retention policy a history read takes each part of its range from, and in which buckets.
 * Pure arithmetic (unit-tested), used by {@link InfluxHistory}.
 *
 * <ul>
 *   <li><b>Buckets of a minute or more</b> (⌈range / maxPoints⌉ ≥ 1 min, e.g. a 7 d trend): the
 *       bucket is rounded up to whole minutes and aligned on the minute containing {@code from}, so
 *       every bucket is a whole number of {@code rollup_1m} rows, and everything older than {@link
 *       #ROLLUP_SETTLE} is read from {@code rollup_1m} (about 60 times fewer rows than raw 1 Hz
 *       data; the means are weighted by each minute's count of Good values, so they equal the raw
 *       means). The newest part, whose minutes the continuous queries may still recompute, is read
 *       from raw in the same buckets. The seam is a bucket boundary: no bucket is read twice.
 *   <li><b>Finer buckets</b>: raw, as long as the range lies within the raw retention; the part
 *       older than that exists only in {@code rollup_1m} and comes from it at one point per minute,
 *       the seam at the first whole minute inside the raw retention.
 * </ul>
 *
 * @param bucketMs the bucket of the newest part (the answer's resolution where it is finest)
 * @param parts the parts in time order, adjoining, none overlapping
 */
public record HistoryPlan(long bucketMs, List<Part> parts) {

  /** Where a part is read from. */
  public enum Source {
    /** The raw retention policy the writer writes into ({@link InfluxConfig#retentionPolicy()}). */
    RAW("raw"),
    /** {@link InfluxConfig#ROLLUP_RP}: one row per minute, filled by the continuous queries. */
    ROLLUP_1M(InfluxConfig.ROLLUP_RP);

    private final String id;

    Source(String id) {
      this.id = id;
    }

    /** The name the API answers: {@code raw} or {@code rollup_1m}. */
    public String id() {
      return id;
    }
  }

  /**
   * One part of the range: data in [{@code from}, {@code to}) from {@code source}, in buckets of
   * {@code bucketMs} starting at instants ≡ {@code offsetMs} (mod {@code bucketMs}) since the
   * epoch.
   */
  public record Part(Source source, Instant from, Instant to, long bucketMs, long offsetMs) {}

  /** One minute, the rollup's resolution. */
  public static final long MINUTE_MS = 60_000;

  /**
   * Rollup minutes younger than this may still change: the continuous queries run {@code RESAMPLE
   * EVERY 1m FOR 10m}, so a minute's row is complete only once late points cannot reach it.
   */
  public static final Duration ROLLUP_SETTLE = Duration.ofMinutes(10);

  public HistoryPlan {
    parts = List.copyOf(parts);
  }

  /**
   * The plan for [{@code from}, {@code to}) in at most about {@code maxPoints} buckets, read at
   * {@code now}, with raw data kept for {@code rawRetention} (null: forever).
   */
  public static HistoryPlan of(
      Instant from, Instant to, int maxPoints, Instant now, Duration rawRetention) {
    if (!from.isBefore(to) || maxPoints < 1) {
      throw new IllegalArgumentException(
          "need from < to and maxPoints ≥ 1, got " + from + ", " + to + ", " + maxPoints);
    }
    long f = from.toEpochMilli();
    long t = to.toEpochMilli();
    long bucket = ceilDiv(t - f, maxPoints);
    List<Part> parts = new ArrayList<>();
    if (bucket >= MINUTE_MS) {
      long anchor = Math.floorDiv(f, MINUTE_MS) * MINUTE_MS;
      long b = ceilDiv(ceilDiv(t - anchor, maxPoints), MINUTE_MS) * MINUTE_MS;
      long offset = Math.floorMod(anchor, b);
      long settled = now.toEpochMilli() - ROLLUP_SETTLE.toMillis();
      long seam = Math.max(anchor, anchor + Math.floorDiv(settled - anchor, b) * b);
      if (seam > anchor) {
        parts.add(
            new Part(
                Source.ROLLUP_1M,
                Instant.ofEpochMilli(anchor),
                Instant.ofEpochMilli(Math.min(seam, t)),
                b,
                offset));
      }
      if (seam < t) {
        parts.add(new Part(Source.RAW, Instant.ofEpochMilli(Math.max(seam, f)), to, b, offset));
      }
      return new HistoryPlan(b, parts);
    }
    long rawStart =
        rawRetention == null ? Long.MIN_VALUE : now.toEpochMilli() - rawRetention.toMillis();
    if (f >= rawStart) {
      return new HistoryPlan(
          bucket, List.of(new Part(Source.RAW, from, to, bucket, Math.floorMod(f, bucket))));
    }
    long seam = ceilDiv(rawStart, MINUTE_MS) * MINUTE_MS;
    long anchor = Math.floorDiv(f, MINUTE_MS) * MINUTE_MS;
    parts.add(
        new Part(
            Source.ROLLUP_1M,
            Instant.ofEpochMilli(anchor),
            Instant.ofEpochMilli(Math.min(seam, t)),
            MINUTE_MS,
            0));
    if (seam >= t) {
      return new HistoryPlan(MINUTE_MS, parts);
    }
    parts.add(
        new Part(Source.RAW, Instant.ofEpochMilli(seam), to, bucket, Math.floorMod(seam, bucket)));
    return new HistoryPlan(bucket, parts);
  }

  /** Everything from raw in buckets aligned on {@code from}, as before rollups were read. */
  public static HistoryPlan rawOnly(Instant from, Instant to, int maxPoints) {
    long f = from.toEpochMilli();
    long bucket = ceilDiv(to.toEpochMilli() - f, maxPoints);
    return new HistoryPlan(
        bucket, List.of(new Part(Source.RAW, from, to, bucket, Math.floorMod(f, bucket))));
  }

  private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ns|us|u|µ|ms|s|m|h|d|w)");

  /**
   * An InfluxQL retention duration ({@code 30d}, {@code 720h}, {@code 1h30m}) as a Duration; null
   * for {@code INF} or {@code 0s} (kept forever).
   */
  public static Duration retention(String text) {
    String s = text == null ? "" : text.strip().toLowerCase(java.util.Locale.ROOT);
    if (s.isEmpty() || s.equals("inf")) {
      return null;
    }
    if (!s.matches("(" + DURATION_PART.pattern() + ")+")) {
      throw new IllegalArgumentException("not an InfluxQL duration: '" + text + "'");
    }
    Matcher m = DURATION_PART.matcher(s);
    Duration d = Duration.ZERO;
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      d =
          d.plus(
              switch (m.group(2)) {
                case "ns" -> Duration.ofNanos(n);
                case "us", "u", "µ" -> Duration.ofNanos(n * 1000);
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
              });
    }
    return d.isZero() ? null : d;
  }

  private static long ceilDiv(long a, long b) {
    return Math.max(1, -Math.floorDiv(-a, b));
  }
}
