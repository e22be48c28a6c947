package io.hepaloop.control;

import java.util.Arrays;

/**
 * Estimates the resolution (quantum) of a PV from the values it takes: the smallest non-zero step
 * of which (nearly) every observed change is a whole multiple. A temperature transmitter that
 * reports 0.1 °C steps changes by 0.1, 0.2, ... and never by 0.03; a PV without visible
 * quantisation changes by arbitrary amounts, and no candidate step fits.
 *
 * <p>Keeps the last {@link #CAPACITY} non-zero changes in a preallocated ring (no allocation per
 * sample, safe on the control path); {@link #quantum()} is computed on demand.
 */
public final class PvResolution {
  static final int CAPACITY = 512;

  /** Changes needed before a quantum is named; fewer prove nothing. */
  static final int MIN_CHANGES = 20;

  /** Share of changes that must be whole multiples of the candidate step. */
  static final double CONSISTENT_SHARE = 0.95;

  /** How far from a whole multiple a change may be, as a fraction of the candidate step. */
  static final double TOLERANCE = 0.02;

  /**
   * The smallest distinct changes tried as candidates (noise makes the smallest one an outlier).
   */
  static final int CANDIDATES = 8;

  private final double[] changes = new double[CAPACITY];
  private int count;
  private int next;
  private double last = Double.NaN;

  /** One PV value (a non-finite value is ignored and does not start a new change). */
  public void observe(double pv) {
    if (!Double.isFinite(pv)) {
      return;
    }
    if (Double.isFinite(last)) {
      double d = Math.abs(pv - last);
      if (d > Math.ulp(pv) * 4) {
        changes[next] = d;
        next = (next + 1) % CAPACITY;
        count = Math.min(count + 1, CAPACITY);
      }
    }
    last = pv;
  }

  /** Non-zero changes seen (at most {@link #CAPACITY} kept). */
  public int changes() {
    return count;
  }

  /**
   * The PV's quantum, or 0 when the changes fit no step (no visible quantisation), or NaN when
   * fewer than {@link #MIN_CHANGES} changes were seen.
   */
  public double quantum() {
    if (count < MIN_CHANGES) {
      return Double.NaN;
    }
    double[] sorted = Arrays.copyOf(changes, count);
    Arrays.sort(sorted);
    int tried = 0;
    double previous = Double.NaN;
    for (int i = 0; i < count && tried < CANDIDATES; i++) {
      double c = sorted[i];
      if (Double.isFinite(previous) && c - previous <= TOLERANCE * previous) {
        continue; // the same step again, up to floating-point error
      }
      previous = c;
      tried++;
      double unitSum = 0;
      int units = 0;
      int fit = 0;
      for (int k = 0; k < count; k++) {
        double multiple = changes[k] / c;
        long n = Math.round(multiple);
        if (n >= 1 && Math.abs(multiple - n) <= TOLERANCE) {
          fit++;
          unitSum += changes[k] / n;
          units++;
        }
      }
      if (fit >= CONSISTENT_SHARE * count) {
        return unitSum / units; // the mean of the fitted steps, free of one change's rounding
      }
    }
    return 0;
  }
}
