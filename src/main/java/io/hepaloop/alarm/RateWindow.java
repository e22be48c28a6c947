package io.hepaloop.alarm;

/**
 * Rate of change of one signal over about the last {@link #WINDOW_S} seconds, in units per minute.
 * Keeps a fixed ring of samples spaced {@code WINDOW_S / (SLOTS - 1)} apart, so memory and work per
 * sample are constant however fast samples arrive, and nothing is allocated after construction.
 */
final class RateWindow {
  static final double WINDOW_S = 60.0;
  private static final int SLOTS = 13;
  private static final long WINDOW_NANOS = (long) (WINDOW_S * 1e9);
  private static final long SPACING_NANOS = WINDOW_NANOS / (SLOTS - 1);

  private final long[] times = new long[SLOTS];
  private final double[] values = new double[SLOTS];
  private int newest = -1;
  private int count;

  /**
   * Adds a good sample and returns the rate in units per minute against the oldest kept sample, or
   * NaN while the kept samples span less than half the window (too little to call it a rate).
   */
  double add(long nanos, double value) {
    if (count == 0 || nanos - times[newest] >= SPACING_NANOS) {
      newest = (newest + 1) % SLOTS;
      times[newest] = nanos;
      values[newest] = value;
      if (count < SLOTS) {
        count++;
      }
    }
    // After a gap (bad quality, link down) forget samples older than the window.
    while (count > 1 && nanos - times[oldest()] > WINDOW_NANOS + SPACING_NANOS) {
      count--;
    }
    int oldest = oldest();
    long dtNanos = nanos - times[oldest];
    if (dtNanos < WINDOW_NANOS / 2) {
      return Double.NaN;
    }
    return (value - values[oldest]) / dtNanos * 60e9;
  }

  private int oldest() {
    return Math.floorMod(newest - count + 1, SLOTS);
  }
}
