package io.hepaloop.control;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What was changed of one loop at run time (mode, setpoints, manual output, tunings), whole: {@link
 * ReactorControl} publishes it after every applied change of the loop (a command, an accepted
 * auto-tune), so that it can be kept, and takes it back at start ({@link ReactorControl#restore}).
 * A null field, or a controller absent from {@code tunings}, was never changed at run time: the
 * device profile's value applies.
 *
 * @param mode the loop's mode, or null
 * @param setpoint the operator setpoint in the PV's units, or null
 * @param cascadeSetpoint the outer (cascade) controller's setpoint in its PV's units, or null
 * @param manualOutput the output held in MANUAL, in the actuator's units, or null
 * @param tunings by controller ({@code main}, {@code override}, {@code cascade})
 * @param changedBy who made the last change
 * @param changedAt when
 */
public record LoopSettings(
    String reactorId,
    String loopId,
    LoopMode mode,
    Double setpoint,
    Double cascadeSetpoint,
    Double manualOutput,
    Map<String, PidTuning> tunings,
    String changedBy,
    Instant changedAt) {

  public LoopSettings {
    tunings =
        tunings == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tunings));
  }
}
