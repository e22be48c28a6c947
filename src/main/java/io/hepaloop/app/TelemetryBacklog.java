package io.hepaloop.app;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The age of the oldest telemetry point not yet delivered to InfluxDB, from the spool's sequence
 * numbers ({@code Spool.backlog()}): telemetry that stops reaching InfluxDB makes it grow, a slow
 * but working InfluxDB keeps it at a few batches' age (what {@code SPOOL_GROWING} alarms on; a
 * pending count alone cannot tell the two apart).
 *
 * <p>Each {@link #sample} notes when the spool's next sequence number was first seen; the oldest
 * pending point was appended no later than the first note past it, so the age reported is a lower
 * bound, exact to one sampling period. Points already waiting when sampling starts (from before a
 * restart) count from the first sample. Memory is bounded: beyond {@value #MAX_NOTES} notes the
 * minimum spacing between notes doubles and the notes closer than it are dropped, so a backlog
 * months old is still dated evenly (to about a thousandth of its age), never overstated. Not
 * thread-safe: sample from one thread.
 */
final class TelemetryBacklog {
  static final int MAX_NOTES = 4096;

  /** {clock nanos, spool next point at that time}, oldest first, next point ascending. */
  private final ArrayDeque<long[]> notes = new ArrayDeque<>();

  /** Notes are at least this far apart (0 until the first thinning). */
  private long minGapNanos;

  /**
   * @param nowNanos the control clock's {@code nanoTime()}
   * @param nextPoint the spool's sequence number of the next point appended
   * @param pendingPoints points in the spool not yet delivered
   * @return the age of the oldest undelivered point, seconds; 0 when nothing waits
   */
  double sample(long nowNanos, long nextPoint, long pendingPoints) {
    long[] last = notes.peekLast();
    if (last == null || (nextPoint > last[1] && nowNanos - last[0] >= minGapNanos)) {
      notes.addLast(new long[] {nowNanos, nextPoint});
    }
    if (pendingPoints <= 0) {
      while (notes.size() > 1) {
        notes.removeFirst();
      }
      minGapNanos = 0;
      return 0;
    }
    long oldestPending = nextPoint - pendingPoints;
    while (notes.size() > 1 && notes.peekFirst()[1] <= oldestPending) {
      notes.removeFirst();
    }
    if (notes.size() > MAX_NOTES) {
      thin();
    }
    return Math.max(0, (nowNanos - notes.peekFirst()[0]) / 1e9);
  }

  /** Notes held (for the bounded-memory test). */
  int notes() {
    return notes.size();
  }

  /** Doubles the spacing and drops the notes closer than it to the note kept before them. */
  private void thin() {
    long span = notes.peekLast()[0] - notes.peekFirst()[0];
    minGapNanos = Math.max(minGapNanos * 2, span / (MAX_NOTES / 2));
    Iterator<long[]> it = notes.iterator();
    long kept = it.next()[0];
    while (it.hasNext()) {
      long[] n = it.next();
      if (n[0] - kept < minGapNanos && it.hasNext()) {
        it.remove();
      } else {
        kept = n[0];
      }
    }
  }
}
