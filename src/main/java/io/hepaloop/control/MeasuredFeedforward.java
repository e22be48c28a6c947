package io.hepaloop.control;

import io.hepaloop.profile.LoopSpec.FeedforwardSpec;

/**
 * Feedforward from a measured disturbance (e.g. room temperature → heater): {@code ff = gain ·
 * leadLag(d − d₀)}, where {@code d₀} is the disturbance when the feedforward started and the
 * lead-lag is {@code (1 + lead·s) / (1 + lag·s)}, integrated exactly for the real elapsed time.
 *
 * <p>Deviation form on purpose: the feedforward is zero when the loop starts and the PID's integral
 * carries the steady output, so enabling it never bumps the output, and a wrong static gain costs
 * only a slower rejection, never an offset.
 *
 * <p>Quality: while the disturbance reading is not usable the contribution holds its last value (a
 * failed room sensor must not kick the heater); when readings return, the reference is moved so the
 * contribution continues from the held value instead of jumping.
 *
 * <p>Not thread-safe: the loop's context executes it; pure computation, no I/O.
 */
final class MeasuredFeedforward {
  private final FeedforwardSpec spec;
  private double reference = Double.NaN;

  /** The lag part, on the deviation; null for a static feedforward. */
  private final FirstOrderLag lagged;

  private double contribution;

  MeasuredFeedforward(FeedforwardSpec spec) {
    this.spec = spec;
    this.lagged = spec.lagOrZero() > 0 ? new FirstOrderLag(spec.lagOrZero()) : null;
  }

  FeedforwardSpec spec() {
    return spec;
  }

  /**
   * One execution.
   *
   * @param disturbance the disturbance reading now
   * @param usable whether that reading may be used (Good, fresh, finite)
   * @param nowNanos the loop clock
   * @return the output contribution, in output units
   */
  double update(double disturbance, boolean usable, long nowNanos) {
    if (!usable || !Double.isFinite(disturbance)) {
      reference = Double.NaN; // hold; rebase when readings return
      return contribution;
    }
    double gain = spec.gainPerUnit();
    if (Double.isNaN(reference)) {
      // first reading, or back after an outage: continue from the held contribution, no transient
      reference = gain == 0 ? disturbance : disturbance - contribution / gain;
      if (lagged != null) {
        lagged.reset(disturbance - reference, nowNanos);
      }
      return contribution;
    }
    double x = disturbance - reference;
    double y = x;
    if (lagged != null) {
      double l = lagged.update(x, nowNanos);
      y = l + spec.leadOrZero() / spec.lagOrZero() * (x - l);
    }
    contribution = gain * y;
    return contribution;
  }
}
