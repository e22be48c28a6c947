package io.hepaloop.plantstate;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What operators and engineers changed of one loop at run time; the device profile's values apply
 * to whatever is null (or absent from {@code tunings}). The whole record is saved at each change:
 * it is the loop's run-time settings, not a single change.
 *
 * @param mode OFF, MANUAL, AUTO or CASCADE (case-insensitive; stored upper case), or null
 * @param setpoint the loop's setpoint in its PV units, or null
 * @param cascadeSetpoint the outer (cascade) loop's setpoint in its PV units, or null
 * @param manualOutput the output written in MANUAL, in the actuator's units, or null
 * @param tunings per controller of the loop, those changed at run time
 * @param changedBy who made the last change (a user name)
 * @param changedAt when
 */
public record LoopSetting(
    String reactorId,
    String loopId,
    String mode,
    Double setpoint,
    Double cascadeSetpoint,
    Double manualOutput,
    Map<Controller, LoopTuning> tunings,
    String changedBy,
    Instant changedAt) {

  /** The modes a loop knows (those of {@code io.hepaloop.control.LoopMode}). */
  public static final Set<String> MODES = Set.of("OFF", "MANUAL", "AUTO", "CASCADE");

  /** The controllers of a loop that have a tuning. */
  public enum Controller {
    MAIN,
    OVERRIDE,
    /** The outer loop of a cascade. */
    CASCADE;

    /** The name in the database ({@code main}, {@code override}, {@code cascade}). */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Controller fromId(String id) {
      return valueOf(id.toUpperCase(Locale.ROOT));
    }
  }

  public LoopSetting {
    required("reactorId", reactorId);
    required("loopId", loopId);
    required("changedBy", changedBy);
    if (changedAt == null) {
      throw new IllegalArgumentException("changedAt is required (loop " + loopId + ")");
    }
    if (mode != null) {
      String upper = mode.strip().toUpperCase(Locale.ROOT);
      if (!MODES.contains(upper)) {
        throw new IllegalArgumentException(
            "mode of loop '"
                + loopId
                + "' must be one of OFF, MANUAL, AUTO, CASCADE, got '"
                + mode
                + "'");
      }
      mode = upper;
    }
    finite(loopId, "setpoint", setpoint);
    finite(loopId, "cascadeSetpoint", cascadeSetpoint);
    finite(loopId, "manualOutput", manualOutput);
    EnumMap<Controller, LoopTuning> copy = new EnumMap<>(Controller.class);
    if (tunings != null) {
      tunings.forEach(
          (k, v) -> {
            if (k == null || v == null) {
              throw new IllegalArgumentException(
                  "tunings of loop '" + loopId + "' hold a null controller or tuning");
            }
            copy.put(k, v);
          });
    }
    tunings = java.util.Collections.unmodifiableMap(copy);
  }

  private static void required(String name, String v) {
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
  }

  private static void finite(String loopId, String name, Double v) {
    if (v != null && (v.isNaN() || v.isInfinite())) {
      throw new IllegalArgumentException(
          name + " of loop '" + loopId + "' must be a finite number, got " + v);
    }
  }
}
