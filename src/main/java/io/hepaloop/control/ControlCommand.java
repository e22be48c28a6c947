package io.hepaloop.control;

/**
 * The one door for human (and recipe) actions on the control loops of one reactor. Each command is
 * validated against the device profile by {@link ReactorControl#command(ControlCommand)}, which
 * applies it or rejects it with a reason naming what is wrong.
 */
public sealed interface ControlCommand {

  /** Who asked (user name, "recipe", "autotune"), for events and audit. */
  String actor();

  /** New setpoint of a loop, in its PV's units; must lie within the loop's setpointLimits. */
  record SetSetpoint(String loopId, double setpoint, String actor) implements ControlCommand {}

  /** New setpoint of a loop's outer (cascade) controller; within the cascade's setpointLimits. */
  record SetCascadeSetpoint(String loopId, double setpoint, String actor)
      implements ControlCommand {}

  /** OFF, MANUAL, AUTO or CASCADE (CASCADE only where the loop has a cascade). */
  record SetMode(String loopId, LoopMode mode, String actor) implements ControlCommand {}

  /** Operator output for MANUAL, in actuator units; within the actuator's allowed range. */
  record SetManualOutput(String loopId, double output, String actor) implements ControlCommand {}

  /**
   * New tuning of one controller of a loop: {@code controller} is {@code main}, {@code override} or
   * {@code cascade}. Applied bumplessly.
   */
  record SetTuning(String loopId, String controller, PidTuning tuning, String actor)
      implements ControlCommand {}

  /** Explicit reset of a latched interlock; refused while its condition is still present. */
  record ResetInterlock(String interlockId, String actor) implements ControlCommand {}
}
