package io.hepaloop.alarm;

/**
 * Rate of change of one signal over about the last {@code windowS} seconds (the definition's {@link
 * AlarmDefinition#windowS()}, 60 s when 0), in units per minute. Keeps a fixed ring of samples
 * spaced {@code windowS / (SLOTS - 1)} apart, so memory and work per sample are constant however
 * fast samples arrive or however long the window, and nothing is allocated after construction.
 */
final class RateWindow {
  static final double DEFAULT_WINDOW_S = 60.0;
  private static final int SLOTS = 13;
  private final long windowNanos;
  private final long spacingNanos;

  private final long[] times = new long[SLOTS];
  private final double[] values = new double[SLOTS];
  private int newest = -1;
  private int count;

  RateWindow() {
    this(DEFAULT_WINDOW_S);
  }

  /**
   * @param windowS how far back the rate looks, seconds; 0 = {@value #DEFAULT_WINDOW_S}
   */
  RateWindow(double windowS) {
    double w = windowS > 0 ? windowS : DEFAULT_WINDOW_S;
    this.windowNanos = Math.round(w * 1e9);
    this.spacingNanos = windowNanos / (SLOTS - 1);
  }

  double windowS() {
    return windowNanos / 1e9;
  }

  /**
   * Adds a good sample and returns the rate in units per minute against the oldest kept sample, or
   * NaN while the kept samples span less than half the window (too little to call it a rate).
   */
  double add(long nanos, double value) {
    if (count == 0 || nanos - times[newest] >= spacingNanos) {
      newest = (newest + 1) % SLOTS;
      times[newest] = nanos;
      values[newest] = value;
      if (count < SLOTS) {
        count++;
      }
    }
    // After a gap (bad quality, link down) forget samples older than the window.
    while (count > 1 && nanos - times[oldest()] > windowNanos + spacingNanos) {
      count--;
    }
    int oldest = oldest();
    long dtNanos = nanos - times[oldest];
    if (dtNanos < windowNanos / 2) {
      return Double.NaN;
    }
    return (value - values[oldest]) / dtNanos * 60e9;
  }

  private int oldest() {
    return Math.floorMod(newest - count + 1, SLOTS);
  }
}
