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
 * restart) count from the first sample. Memory is bounded: beyond {@value #MAX_NOTES} notes every
 * second one is dropped, which coarsens (never overstates) the age of a backlog months old. Not
 * thread-safe: sample from one thread.
 */
final class TelemetryBacklog {
  static final int MAX_NOTES = 4096;

  /** {clock nanos, spool next point at that time}, oldest first, next point ascending. */
  private final ArrayDeque<long[]> notes = new ArrayDeque<>();

  /**
   * @param nowNanos the control clock's {@code nanoTime()}
   * @param nextPoint the spool's sequence number of the next point appended
   * @param pendingPoints points in the spool not yet delivered
   * @return the age of the oldest undelivered point, seconds; 0 when nothing waits
   */
  double sample(long nowNanos, long nextPoint, long pendingPoints) {
    long last = notes.isEmpty() ? Long.MIN_VALUE : notes.peekLast()[1];
    if (nextPoint > last) {
      notes.addLast(new long[] {nowNanos, nextPoint});
    }
    if (pendingPoints <= 0) {
      while (notes.size() > 1) {
        notes.removeFirst();
      }
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

  /** Drops every second note but the first and the last. */
  private void thin() {
    Iterator<long[]> it = notes.iterator();
    it.next();
    int i = 1;
    int size = notes.size();
    while (it.hasNext()) {
      it.next();
      if (i < size - 1 && i % 2 == 1) {
        it.remove();
      }
      i++;
    }
  }
}
