package io.hepaloop.plantstate;

/**
 * A PID controller's parameters as stored: plain numbers of the ISA standard form, the same fields
 * as {@code io.hepaloop.control.PidTuning} (which this package does not use; the caller maps).
 *
 * @param gain proportional gain K, output units per PV unit
 * @param integralTimeS Ti in seconds; 0 disables integral action
 * @param derivativeTimeS Td in seconds; 0 disables derivative action
 * @param setpointWeightP b, setpoint weight of the proportional term
 * @param setpointWeightD c, setpoint weight of the derivative term
 * @param derivativeFilterN N, derivative filter time constant Td/N; greater than 0
 * @param trackingTimeS Tt, anti-windup tracking time; 0 = the controller's default
 * @param outputRateLimitPerS largest output change per second; 0 = unlimited
 */
public record LoopTuning(
    double gain,
    double integralTimeS,
    double derivativeTimeS,
    double setpointWeightP,
    double setpointWeightD,
    double derivativeFilterN,
    double trackingTimeS,
    double outputRateLimitPerS) {

  public LoopTuning {
    nonNegative("gain", gain);
    nonNegative("integralTimeS", integralTimeS);
    nonNegative("derivativeTimeS", derivativeTimeS);
    nonNegative("setpointWeightP", setpointWeightP);
    nonNegative("setpointWeightD", setpointWeightD);
    nonNegative("trackingTimeS", trackingTimeS);
    nonNegative("outputRateLimitPerS", outputRateLimitPerS);
    if (!(derivativeFilterN > 0) || Double.isInfinite(derivativeFilterN)) {
      throw new IllegalArgumentException(
          "derivativeFilterN must be a finite number > 0, got " + derivativeFilterN);
    }
  }

  /** K, Ti, Td with b = 1, c = 0, N = 10, default Tt, no rate limit (as {@code PidTuning.of}). */
  public static LoopTuning of(double gain, double integralTimeS, double derivativeTimeS) {
    return new LoopTuning(gain, integralTimeS, derivativeTimeS, 1.0, 0.0, 10.0, 0.0, 0.0);
  }

  private static void nonNegative(String name, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + v);
    }
  }
}
