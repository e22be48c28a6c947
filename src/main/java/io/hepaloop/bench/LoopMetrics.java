package io.hepaloop.bench;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * Control-quality figures of one loop over one scenario, computed on the plant's <em>true</em>
 * values (what the cells see), not on the noisy measurement. Recorded every {@link #EVERY_TICKS}
 * ticks.
 *
 * <ul>
 *   <li>IAE: integral of |PV − SP| over the window, PV unit × minutes;
 *   <li>max deviation: largest |PV − SP| in the window;
 *   <li>overshoot: for a setpoint step, how far the PV went past the new setpoint (NaN otherwise);
 *   <li>settling time: from the scenario's event until the PV last left the band (NaN = never
 *       settled);
 *   <li>in band: share of the time |PV − SP| ≤ band; for a step, counted after settling;
 *   <li>output travel: sum of |Δu| of the actuator, % (wear and noise amplification).
 * </ul>
 */
public final class LoopMetrics {
  static final int EVERY_TICKS = 5;

  private final String loopId;
  private final String pvSignal;
  private final String actuatorId;
  private final DoubleUnaryOperator bandForSetpoint;
  private final double windowStartS;
  private final double eventS;
  private final double stepSign; // +1 / −1 for a setpoint step on this loop, 0 otherwise

  private int n;
  private double[] t = new double[1024];
  private double[] err = new double[1024];
  private double[] band = new double[1024];
  private double lastU = Double.NaN;
  private double travel;
  private double finalSetpoint = Double.NaN;
  private long ticks;

  public LoopMetrics(
      String loopId,
      String pvSignal,
      String actuatorId,
      DoubleUnaryOperator bandForSetpoint,
      double windowStartS,
      double eventS,
      double stepSign) {
    this.loopId = loopId;
    this.pvSignal = pvSignal;
    this.actuatorId = actuatorId;
    this.bandForSetpoint = bandForSetpoint;
    this.windowStartS = windowStartS;
    this.eventS = eventS;
    this.stepSign = stepSign;
  }

  public void record(PlantHarness h) {
    if (++ticks % EVERY_TICKS != 0 || h.timeS() < windowStartS) {
      return;
    }
    double u = h.actuator(actuatorId);
    if (Double.isFinite(lastU)) {
      travel += Math.abs(u - lastU);
    }
    lastU = u;
    double sp = h.setpoint(loopId);
    finalSetpoint = sp;
    if (n == t.length) {
      t = Arrays.copyOf(t, n * 2);
      err = Arrays.copyOf(err, n * 2);
      band = Arrays.copyOf(band, n * 2);
    }
    t[n] = h.timeS();
    err[n] = h.trueValue(pvSignal) - sp;
    band[n] = bandForSetpoint.applyAsDouble(sp);
    n++;
  }

  public String loopId() {
    return loopId;
  }

  public double iaePerMin() {
    double dt = PlantHarness.TICK_S * EVERY_TICKS / 60.0;
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += Math.abs(err[i]) * dt;
    }
    return s;
  }

  public double maxDeviation() {
    double m = 0;
    for (int i = 0; i < n; i++) {
      m = Math.max(m, Math.abs(err[i]));
    }
    return m;
  }

  /** Past the new setpoint, in the step's direction; NaN when this loop had no step. */
  public double overshoot() {
    if (stepSign == 0) {
      return Double.NaN;
    }
    double m = 0;
    for (int i = 0; i < n; i++) {
      if (t[i] >= eventS) {
        m = Math.max(m, stepSign * err[i]);
      }
    }
    return m;
  }

  /**
   * Seconds from the event until the PV was last outside its band; NaN if still outside at the end.
   */
  public double settlingTimeS() {
    double last = eventS;
    for (int i = 0; i < n; i++) {
      if (t[i] >= eventS && Math.abs(err[i]) > band[i]) {
        last = t[i];
      }
    }
    if (n > 0 && last >= t[n - 1] && Math.abs(err[n - 1]) > band[n - 1]) {
      return Double.NaN;
    }
    return last - eventS;
  }

  /**
   * Percent of the time within the band: the whole window, or after settling for a setpoint step.
   */
  public double percentInBand() {
    double from = windowStartS;
    if (stepSign != 0) {
      double s = settlingTimeS();
      if (Double.isNaN(s)) {
        return 0;
      }
      from = eventS + s;
    }
    int in = 0;
    int all = 0;
    for (int i = 0; i < n; i++) {
      if (t[i] >= from) {
        all++;
        if (Math.abs(err[i]) <= band[i]) {
          in++;
        }
      }
    }
    return all == 0 ? 100.0 : 100.0 * in / all;
  }

  public double outputTravel() {
    return travel;
  }

  public double finalSetpoint() {
    return finalSetpoint;
  }
}
