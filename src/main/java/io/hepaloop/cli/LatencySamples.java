package io.hepaloop.cli;

import java.time.Instant;
import java.util.Arrays;

/**
 * Latencies of one benchmark phase, in microseconds, with percentiles. Not thread-safe: callers
 * confine or lock it.
 */
final class LatencySamples {
  private long[] us = new long[1 << 16];
  private int n;

  void add(Instant source, Instant arrived) {
    if (n == us.length) {
      us = Arrays.copyOf(us, n * 2);
    }
    us[n++] =
        (arrived.getEpochSecond() - source.getEpochSecond()) * 1_000_000L
            + (arrived.getNano() - source.getNano()) / 1000;
  }

  /** The p-th percentile (nearest rank) in ms, NaN when empty. */
  double percentileMs(double p) {
    if (n == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(us, n);
    Arrays.sort(sorted);
    int i = (int) Math.min(n - 1, Math.max(0, Math.ceil(p / 100.0 * n) - 1));
    return sorted[i] / 1000.0;
  }
}
