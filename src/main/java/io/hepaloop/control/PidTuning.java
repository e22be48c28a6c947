package io.hepaloop.control;

import io.hepaloop.profile.TuningSpec;

/**
 * PID parameters in ISA standard form (see {@link Pid}). All gains and times are non-negative; the
 * sign of the action comes from {@link Pid.Direction}, never from a negative gain.
 *
 * @param gain proportional gain K, output units per PV unit
 * @param integralTimeS integral time Ti in seconds; 0 disables integral action
 * @param derivativeTimeS derivative time Td in seconds; 0 disables derivative action
 * @param setpointWeightP b, weight of the setpoint in the proportional term (1 = classic, 0 = I-P)
 * @param setpointWeightD c, weight of the setpoint in the derivative term (0 = derivative on
 *     measurement, no kick)
 * @param derivativeFilterN N: the derivative is filtered with time constant Td/N
 * @param trackingTimeS Tt, anti-windup back-calculation time constant; 0 = default (sqrt(Ti·Td), or
 *     Ti without D)
 * @param outputRateLimitPerS largest output change per second; 0 = unlimited
 */
public record PidTuning(
    double gain,
    double integralTimeS,
    double derivativeTimeS,
    double setpointWeightP,
    double setpointWeightD,
    double derivativeFilterN,
    double trackingTimeS,
    double outputRateLimitPerS) {

  public PidTuning {
    requireNonNegative("gain", gain);
    requireNonNegative("integralTimeS", integralTimeS);
    requireNonNegative("derivativeTimeS", derivativeTimeS);
    requireNonNegative("setpointWeightP", setpointWeightP);
    requireNonNegative("setpointWeightD", setpointWeightD);
    requireNonNegative("trackingTimeS", trackingTimeS);
    requireNonNegative("outputRateLimitPerS", outputRateLimitPerS);
    if (!(derivativeFilterN > 0) || Double.isInfinite(derivativeFilterN)) {
      throw new IllegalArgumentException("derivativeFilterN must be > 0, got " + derivativeFilterN);
    }
  }

  /** K, Ti, Td with the defaults b = 1, c = 0, N = 10, default Tt, no rate limit. */
  public static PidTuning of(double gain, double integralTimeS, double derivativeTimeS) {
    return new PidTuning(gain, integralTimeS, derivativeTimeS, 1.0, 0.0, 10.0, 0.0, 0.0);
  }

  /** From the profile's tuning section (missing fields take the defaults of {@link #of}). */
  public static PidTuning from(TuningSpec s) {
    return new PidTuning(
        s.gain(),
        orDefault(s.integralTimeS(), 0.0),
        orDefault(s.derivativeTimeS(), 0.0),
        orDefault(s.setpointWeightP(), 1.0),
        0.0,
        orDefault(s.derivativeFilterN(), 10.0),
        orDefault(s.trackingTimeS(), 0.0),
        orDefault(s.outputRateLimitPerS(), 0.0));
  }

  public PidTuning withGains(double k, double ti, double td) {
    return new PidTuning(
        k,
        ti,
        td,
        setpointWeightP,
        setpointWeightD,
        derivativeFilterN,
        trackingTimeS,
        outputRateLimitPerS);
  }

  public PidTuning withSetpointWeights(double b, double c) {
    return new PidTuning(
        gain,
        integralTimeS,
        derivativeTimeS,
        b,
        c,
        derivativeFilterN,
        trackingTimeS,
        outputRateLimitPerS);
  }

  public PidTuning withOutputRateLimitPerS(double r) {
    return new PidTuning(
        gain,
        integralTimeS,
        derivativeTimeS,
        setpointWeightP,
        setpointWeightD,
        derivativeFilterN,
        trackingTimeS,
        r);
  }

  public PidTuning withDerivativeFilterN(double n) {
    return new PidTuning(
        gain,
        integralTimeS,
        derivativeTimeS,
        setpointWeightP,
        setpointWeightD,
        n,
        trackingTimeS,
        outputRateLimitPerS);
  }

  public PidTuning withTrackingTimeS(double tt) {
    return new PidTuning(
        gain,
        integralTimeS,
        derivativeTimeS,
        setpointWeightP,
        setpointWeightD,
        derivativeFilterN,
        tt,
        outputRateLimitPerS);
  }

  /** The back-calculation time constant actually used. */
  public double effectiveTrackingTimeS() {
    if (trackingTimeS > 0) {
      return trackingTimeS;
    }
    if (integralTimeS > 0 && derivativeTimeS > 0) {
      return Math.sqrt(integralTimeS * derivativeTimeS);
    }
    return integralTimeS;
  }

  private static double orDefault(Double v, double d) {
    return v == null ? d : v;
  }

  private static void requireNonNegative(String name, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + v);
    }
  }
}
