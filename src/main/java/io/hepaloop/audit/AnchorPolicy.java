package io.hepaloop.audit;

import java.time.Duration;

/**
 * When the trail writes an anchor: after {@code everyRecords} new records, or when {@code every}
 * has passed since the last anchor and there is a record it does not cover, and always on close.
 * Nothing is written while no one acts, so the anchor file grows by at most one line per interval
 * (and per {@code everyRecords} records).
 *
 * @param everyRecords records between anchors, 1 or more
 * @param every longest time a record stays unanchored while the trail is open
 */
public record AnchorPolicy(int everyRecords, Duration every) {
  /** Every 100 records or 5 minutes: a few hundred short lines a day on a busy plant. */
  public static final AnchorPolicy DEFAULT = new AnchorPolicy(100, Duration.ofMinutes(5));

  public AnchorPolicy {
    if (everyRecords < 1) {
      throw new IllegalArgumentException(
          "anchor interval must be 1 record or more, was " + everyRecords);
    }
    if (every == null || every.isNegative() || every.isZero()) {
      throw new IllegalArgumentException("anchor interval must be a positive time, was " + every);
    }
  }
}
