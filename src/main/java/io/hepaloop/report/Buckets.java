package io.hepaloop.report;

import java.time.Duration;
import java.util.List;

/**
 * Time bucket widths for the server-side aggregation: the smallest round width that splits a run's
 * window into at most a given number of buckets, so a short test run and a four-week culture both
 * give a chart of a few hundred points and a CSV of a bounded number of rows.
 */
final class Buckets {
  /** Buckets of a chart at most: enough for a smooth line across a page. */
  static final int CHART_BUCKETS = 500;

  /** Rows of the wide CSV at most: a four-week run in 5-minute rows. */
  static final int CSV_ROWS = 10_000;

  private static final List<Duration> STEPS =
      List.of(
          Duration.ofSeconds(1),
          Duration.ofSeconds(5),
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          Duration.ofMinutes(1),
          Duration.ofMinutes(5),
          Duration.ofMinutes(10),
          Duration.ofMinutes(15),
          Duration.ofMinutes(30),
          Duration.ofHours(1),
          Duration.ofHours(2),
          Duration.ofHours(6),
          Duration.ofHours(12),
          Duration.ofDays(1));

  private Buckets() {}

  /** The smallest step that cuts {@code window} into at most {@code maxBuckets} buckets. */
  static Duration of(Duration window, int maxBuckets) {
    for (Duration step : STEPS) {
      if (window.toNanos() / step.toNanos() < maxBuckets) {
        return step;
      }
    }
    long days = window.toDays() / maxBuckets + 1;
    return Duration.ofDays(days);
  }
}
