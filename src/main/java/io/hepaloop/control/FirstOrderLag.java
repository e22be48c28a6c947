package io.hepaloop.control;

/**
 * A first-order low-pass filter {@code 1 / (1 + τ·s)}, integrated exactly over the real elapsed
 * time between updates, so a late or missed execution neither kicks nor stalls it. Starts at its
 * first input. Not thread-safe; pure computation.
 */
final class FirstOrderLag {
  private final double timeConstantS;
  private double value = Double.NaN;
  private long lastNanos;

  FirstOrderLag(double timeConstantS) {
    this.timeConstantS = timeConstantS;
  }

  /** Feeds {@code x} at {@code nowNanos}; returns the filtered value. */
  double update(double x, long nowNanos) {
    if (Double.isNaN(value)) {
      value = x;
    } else {
      double h = Math.max(0, (nowNanos - lastNanos) / 1e9);
      value += (x - value) * (1 - Math.exp(-h / timeConstantS));
    }
    lastNanos = nowNanos;
    return value;
  }

  /** Sets the state to {@code x} at {@code nowNanos}, as if it had been there forever. */
  void reset(double x, long nowNanos) {
    value = x;
    lastNanos = nowNanos;
  }

  /** The filtered value, NaN before the first update. */
  double value() {
    return value;
  }
}
