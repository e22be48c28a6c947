package io.hepaloop.run;

import io.hepaloop.recipe.Recipe;
import java.time.Duration;
import java.time.Instant;

/**
 * Decides whether a phase's {@link Recipe.Condition} has held for its whole {@code forH}, from the
 * samples of its signal. A bad sample, or a sample that fails the test, starts the wait again.
 *
 * <p>Stability is judged on one-minute buckets (min, max, sum, count) in a ring one longer than the
 * window, so memory is bounded however long the phase runs: 6 h is 360 buckets. Every bucket of the
 * window must hold samples, and every one of them must lie within {@code stableWithinPct} percent
 * of the window's mean.
 */
final class ConditionTracker {
  static final double BUCKET_S = 60.0;

  private final Recipe.Condition condition;
  private final Instant origin;
  private final double forS;
  // comparison
  private Instant holdingSince;
  // stability
  private final int buckets;
  private final int ring; // the window and the bucket in progress
  private final long[] index;
  private final double[] min;
  private final double[] max;
  private final double[] sum;
  private final long[] count;
  private final boolean[] bad;

  ConditionTracker(Recipe.Condition condition, Instant origin) {
    this.condition = condition;
    this.origin = origin;
    this.forS = condition.forH() * 3600.0;
    this.buckets = condition.stableWithinPct() == null ? 0 : (int) Math.ceil(forS / BUCKET_S);
    this.ring = buckets + 1;
    this.index = new long[ring];
    this.min = new double[ring];
    this.max = new double[ring];
    this.sum = new double[ring];
    this.count = new long[ring];
    this.bad = new boolean[ring];
    java.util.Arrays.fill(index, -1);
  }

  String signal() {
    return condition.signal();
  }

  void sample(Instant time, double value, boolean good) {
    boolean usable = good && Double.isFinite(value);
    if (buckets == 0) {
      boolean passes =
          usable
              && (condition.above() != null
                  ? value > condition.above()
                  : value < condition.below());
      if (!passes) {
        holdingSince = null;
      } else if (holdingSince == null) {
        holdingSince = time;
      }
      return;
    }
    long b = bucketOf(time);
    if (b < 0) {
      return;
    }
    int slot = (int) (b % ring);
    if (index[slot] != b) {
      index[slot] = b;
      min[slot] = Double.POSITIVE_INFINITY;
      max[slot] = Double.NEGATIVE_INFINITY;
      sum[slot] = 0;
      count[slot] = 0;
      bad[slot] = false;
    }
    if (!usable) {
      bad[slot] = true;
      return;
    }
    min[slot] = Math.min(min[slot], value);
    max[slot] = Math.max(max[slot], value);
    sum[slot] += value;
    count[slot]++;
  }

  /** Whether the condition has held for its whole duration at {@code now}. */
  boolean satisfied(Instant now) {
    if (buckets == 0) {
      return holdingSince != null && seconds(holdingSince, now) >= forS;
    }
    long current = bucketOf(now);
    if (current < buckets) {
      return false; // the phase is younger than the window
    }
    double s = 0;
    long n = 0;
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (long b = current - buckets; b < current; b++) {
      int slot = (int) (b % ring);
      if (index[slot] != b || bad[slot] || count[slot] == 0) {
        return false;
      }
      s += sum[slot];
      n += count[slot];
      lo = Math.min(lo, min[slot]);
      hi = Math.max(hi, max[slot]);
    }
    double mean = s / n;
    double tolerance = Math.abs(mean) * condition.stableWithinPct() / 100.0;
    return mean != 0 && hi - mean <= tolerance && mean - lo <= tolerance;
  }

  private long bucketOf(Instant time) {
    double s = seconds(origin, time);
    return s < 0 ? -1 : (long) Math.floor(s / BUCKET_S);
  }

  static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e9;
  }
}
