package io.hepaloop.alarm;

/**
 * A long window of one quantity, downsampled into {@value #BUCKETS} fixed buckets of {@code windowS
 * / BUCKETS} each: the mean of the samples that fell into a bucket and their mean time. Memory is
 * fixed whatever the window (24 h of 1 Hz input is 120 means, not 86 400 samples), a sample costs a
 * few additions, and nothing is allocated after construction.
 *
 * <p>The trend statistics ({@link #fit}) and level comparisons run only when a bucket closes, over
 * at most {@value #BUCKETS} values. After a gap in the input (bad quality, link down) buckets older
 * than the window are forgotten, so the window must fill again before it is judged.
 */
final class BucketSeries {
  static final int BUCKETS = 120;

  private final long windowNanos;
  private final long bucketNanos;
  private final double[] means = new double[BUCKETS];
  private final long[] times = new long[BUCKETS];
  private int newest = -1;
  private int count;

  private long openStartNanos;
  private double openSum;
  private double openTimeSumS;
  private int openCount;

  BucketSeries(double windowS) {
    this.windowNanos = Math.round(windowS * 1e9);
    this.bucketNanos = Math.max(1, windowNanos / BUCKETS);
  }

  double windowS() {
    return windowNanos / 1e9;
  }

  /** Adds a sample; returns true when it closed a bucket (the time to re-judge the window). */
  boolean add(long nanos, double value) {
    boolean closed = false;
    if (openCount > 0 && nanos - openStartNanos >= bucketNanos) {
      close();
      closed = true;
    }
    if (openCount == 0) {
      openStartNanos = nanos;
    }
    openSum += value;
    openTimeSumS += (nanos - openStartNanos) / 1e9;
    openCount++;
    return closed;
  }

  private void close() {
    newest = (newest + 1) % BUCKETS;
    means[newest] = openSum / openCount;
    times[newest] = openStartNanos + Math.round(openTimeSumS / openCount * 1e9);
    if (count < BUCKETS) {
      count++;
    }
    while (count > 1 && times[newest] - times[index(0)] > windowNanos) {
      count--;
    }
    openSum = 0;
    openTimeSumS = 0;
    openCount = 0;
  }

  /** Whether the kept buckets span (nearly) the whole window, so a judgement is fair. */
  boolean filled() {
    return count >= 2 && times[newest] - times[index(0)] >= windowNanos - 3 * bucketNanos;
  }

  int count() {
    return count;
  }

  /** Time of the newest closed bucket (monotonic nanos). */
  long newestNanos() {
    return times[newest];
  }

  /** Mean of the {@code n} oldest kept bucket means. */
  double meanOfOldest(int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += means[index(i)];
    }
    return s / n;
  }

  /** Mean of the {@code n} newest kept bucket means. */
  double meanOfNewest(int n) {
    double s = 0;
    for (int i = count - n; i < count; i++) {
      s += means[index(i)];
    }
    return s / n;
  }

  /** Hours between the oldest and the newest kept bucket. */
  double spanH() {
    return count == 0 ? 0 : (times[newest] - times[index(0)]) / 3.6e12;
  }

  /**
   * Least-squares line through the kept bucket means against time, into {@code out}: slope per
   * second, the fitted value at the newest bucket, the slope's standard error and R². Needs at
   * least 3 buckets (else slope NaN).
   */
  void fit(Trend out) {
    if (count < 3) {
      out.slopePerS = Double.NaN;
      return;
    }
    long t0 = times[newest];
    double sx = 0;
    double sy = 0;
    for (int i = 0; i < count; i++) {
      sx += (times[index(i)] - t0) / 1e9;
      sy += means[index(i)];
    }
    double mx = sx / count;
    double my = sy / count;
    double sxx = 0;
    double sxy = 0;
    double syy = 0;
    for (int i = 0; i < count; i++) {
      double dx = (times[index(i)] - t0) / 1e9 - mx;
      double dy = means[index(i)] - my;
      sxx += dx * dx;
      sxy += dx * dy;
      syy += dy * dy;
    }
    double b = sxy / sxx;
    double ssRes = Math.max(0, syy - b * sxy);
    out.slopePerS = b;
    out.levelNow = my - b * mx; // x = 0 at the newest bucket
    out.slopeStdErrPerS = Math.sqrt(ssRes / (count - 2) / sxx);
    out.rSquared = syy > 0 ? 1 - ssRes / syy : 0;
  }

  private int index(int i) {
    return Math.floorMod(newest - count + 1 + i, BUCKETS);
  }

  /** Result of {@link #fit}, reused so that fitting allocates nothing. */
  static final class Trend {
    double slopePerS = Double.NaN;
    double levelNow = Double.NaN;
    double slopeStdErrPerS = Double.NaN;
    double rSquared;

    /** Slope divided by its standard error (very negative: a clear fall). */
    double t() {
      return slopeStdErrPerS > 0 ? slopePerS / slopeStdErrPerS : Math.copySign(1e9, slopePerS);
    }
  }
}
