package io.hepaloop.profile;

/**
 * One control loop of a device model.
 *
 * @param pv sensor signal id the loop controls
 * @param output actuator signal id the loop drives
 * @param periodMs execution period
 * @param setpoint default setpoint in the PV's units
 * @param setpointLimits the range an operator or recipe may set
 * @param setpointRampPerMin setpoint changes move at most this fast (null = step)
 * @param direction {@code reverse} (output rises when PV is below setpoint, e.g. heater) or {@code
 *     direct}
 * @param badPvSafeAfterS a Bad/stale PV holds the output; after this long the output goes to its
 *     safe value
 * @param override optional select-low override on another PV (e.g. inlet pressure limiting the
 *     pump)
 * @param cascade optional outer loop whose output sets this loop's setpoint (outlet pO2 → inlet
 *     pO2)
 * @param feedforward optional measured-disturbance feedforward (ambient temperature → heater)
 */
public record LoopSpec(
    String id,
    String pv,
    String output,
    double periodMs,
    double setpoint,
    Range setpointLimits,
    Double setpointRampPerMin,
    String direction,
    TuningSpec tuning,
    Double badPvSafeAfterS,
    OverrideSpec override,
    CascadeSpec cascade,
    FeedforwardSpec feedforward) {

  /**
   * Select-low override: a second controller on {@code pv} whose output limits the loop's output.
   */
  public record OverrideSpec(String pv, double setpoint, String direction, TuningSpec tuning) {}

  /**
   * Outer loop: controls {@code pv} by moving the inner loop's setpoint within the inner
   * setpointLimits.
   */
  public record CascadeSpec(
      String pv, double setpoint, Range setpointLimits, String direction, TuningSpec tuning) {}

  /**
   * Measured-disturbance feedforward: the output moves by {@code gainPerUnit} for each unit the
   * disturbance {@code signal} moves away from where it was when the loop started, through a
   * lead-lag {@code (1 + leadS·s) / (1 + lagS·s)} that can cancel the actuator's own lag. The
   * integral carries the steady part, so the feedforward starts at zero and never bumps the output.
   *
   * @param signal sensor id of the disturbance (not the loop's pv)
   * @param gainPerUnit output units per disturbance unit; its sign says which way (heater per °C of
   *     ambient: negative)
   * @param leadS lead time constant, s (null or 0 = none)
   * @param lagS lag time constant, s (null or 0 = none; required with a lead)
   */
  public record FeedforwardSpec(String signal, double gainPerUnit, Double leadS, Double lagS) {
    public double leadOrZero() {
      return leadS == null ? 0.0 : leadS;
    }

    public double lagOrZero() {
      return lagS == null ? 0.0 : lagS;
    }
  }
}
