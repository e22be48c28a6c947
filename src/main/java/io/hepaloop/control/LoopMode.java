package io.hepaloop.control;

/**
 * What a loop does with its actuator.
 *
 * <ul>
 *   <li>OFF: the loop writes nothing; it follows the actuator read-back so that leaving OFF is
 *       bumpless.
 *   <li>MANUAL: the operator's output is written.
 *   <li>AUTO: the PID holds the operator's setpoint.
 *   <li>CASCADE: an outer loop moves this loop's setpoint (only for loops with a {@code cascade}
 *       section).
 * </ul>
 *
 * Interlocks win in every mode.
 */
public enum LoopMode {
  OFF,
  MANUAL,
  AUTO,
  CASCADE;

  /** Parses a mode name, case-insensitive; a clear error names the allowed values. */
  public static LoopMode parse(String s) {
    if (s != null) {
      for (LoopMode m : values()) {
        if (m.name().equalsIgnoreCase(s.trim())) {
          return m;
        }
      }
    }
    throw new IllegalArgumentException(
        "mode must be one of OFF, MANUAL, AUTO, CASCADE, got '" + s + "'");
  }
}
