package io.hepaloop.profile;

import java.util.List;

/**
 * One alarm definition of a device profile ({@code alarms:}), as written: plain configuration, read
 * and checked with file:line by {@link ProfileLoader} ({@link AlarmChecks}). The alarm engine gets
 * it as an {@code io.hepaloop.alarm.AlarmDefinition} through {@code alarm.ProfileAlarms}; a plant
 * configuration may override some fields per reactor ({@link #overridden}).
 *
 * @param id unique within the profile
 * @param kind one of {@link #KINDS} (the {@code AlarmKind} constants, lower case)
 * @param source signal id (limit, rate, quality, predicted kinds), loop id (deviation, saturation),
 *     interlock id (interlock_tripped); absent for link_lost, heartbeat_failing, spool_growing,
 *     our_decline
 * @param limit in the meaning the kind gives it (signal units, PV units, seconds, percent)
 * @param deadband hysteresis in the limit's units; default 0
 * @param onDelayS the condition must hold this long before the alarm activates; default 0
 * @param offDelayS the condition must be gone this long before the alarm clears; default 0
 * @param priority one of {@link #PRIORITIES}
 * @param latched stays active until reset; default false
 * @param reAlarmAfterS an acknowledged alarm still active after this long is announced again; 0 or
 *     absent = never
 * @param suppressWhen not announced while a loop is in a mode; null = never suppressed
 * @param windowS how far back rate_of_change, our_decline and predicted_low look
 * @param horizonS predicted_low: how far ahead a crossing is announced
 * @param rationale why the alarm exists (ISA-18.2 master alarm database); all four fields required
 */
public record AlarmSpec(
    String id,
    String kind,
    String source,
    Double limit,
    Double deadband,
    Double onDelayS,
    Double offDelayS,
    String priority,
    Boolean latched,
    Double reAlarmAfterS,
    SuppressWhen suppressWhen,
    Double windowS,
    Double horizonS,
    Rationale rationale) {

  /** The kinds a profile may name, in {@code AlarmKind} order. */
  public static final List<String> KINDS =
      List.of(
          "high_high",
          "high",
          "low",
          "low_low",
          "deviation",
          "rate_of_change",
          "bad_quality_or_stale",
          "link_lost",
          "interlock_tripped",
          "loop_saturated",
          "heartbeat_failing",
          "spool_growing",
          "our_decline",
          "predicted_low");

  /** The priorities, most urgent first, in {@code AlarmPriority} order. */
  public static final List<String> PRIORITIES = List.of("critical", "high", "medium", "low");

  /** Loop modes a suppression may name (the {@code control.LoopMode} constants, lower case). */
  public static final List<String> LOOP_MODES = List.of("off", "manual", "auto", "cascade");

  /** The fields a plant configuration may override per reactor. */
  public static final List<String> OVERRIDABLE =
      List.of("limit", "deadband", "onDelayS", "offDelayS", "priority", "reAlarmAfterS");

  /**
   * Not announced while loop {@code loop} of the same reactor is in {@code mode} (one of {@link
   * #LOOP_MODES}).
   */
  public record SuppressWhen(String loop, String mode) {}

  /**
   * @param cause what makes the condition happen
   * @param consequence what happens if nobody acts
   * @param correctiveAction what the operator should do
   * @param maxResponseTimeS how long the operator has, seconds
   */
  public record Rationale(
      String cause, String consequence, String correctiveAction, double maxResponseTimeS) {}

  public double limitOrZero() {
    return limit == null ? 0 : limit;
  }

  public double deadbandOrZero() {
    return deadband == null ? 0 : deadband;
  }

  public double onDelaySOrZero() {
    return onDelayS == null ? 0 : onDelayS;
  }

  public double offDelaySOrZero() {
    return offDelayS == null ? 0 : offDelayS;
  }

  public double reAlarmAfterSOrZero() {
    return reAlarmAfterS == null ? 0 : reAlarmAfterS;
  }

  public double windowSOrZero() {
    return windowS == null ? 0 : windowS;
  }

  public double horizonSOrZero() {
    return horizonS == null ? 0 : horizonS;
  }

  public boolean isLatched() {
    return Boolean.TRUE.equals(latched);
  }

  /**
   * This definition with a plant's per-reactor values; a null argument keeps the profile's value.
   */
  public AlarmSpec overridden(
      Double newLimit,
      Double newDeadband,
      Double newOnDelayS,
      Double newOffDelayS,
      String newPriority,
      Double newReAlarmAfterS) {
    return new AlarmSpec(
        id,
        kind,
        source,
        newLimit != null ? newLimit : limit,
        newDeadband != null ? newDeadband : deadband,
        newOnDelayS != null ? newOnDelayS : onDelayS,
        newOffDelayS != null ? newOffDelayS : offDelayS,
        newPriority != null ? newPriority : priority,
        latched,
        newReAlarmAfterS != null ? newReAlarmAfterS : reAlarmAfterS,
        suppressWhen,
        windowS,
        horizonS,
        rationale);
  }
}
