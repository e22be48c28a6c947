package io.hepaloop.alarm;

import java.time.Instant;

/**
 * One change of an alarm's state: the alarm history, stored later with every transition.
 *
 * @param time when it happened (control clock)
 * @param value the watched quantity at that time, in the definition's units (signal value,
 *     deviation, rate per minute, age or saturated seconds); NaN where there is none (link,
 *     interlock) or none seen yet
 * @param limit the definition's limit
 * @param actor who caused it, or null when the process or the clock did
 * @param comment the actor's comment, or null
 * @param message a sentence saying what happened
 * @param priority the alarm's priority when it happened: the effective one, a recipe phase's
 *     override while the phase runs ({@link AlarmEngine#redefine}); null when not known (a
 *     transition built without one, e.g. read back from storage)
 */
public record AlarmTransition(
    Instant time,
    String alarmId,
    String reactorId,
    AlarmState from,
    AlarmState to,
    double value,
    double limit,
    Actor actor,
    String comment,
    String message,
    AlarmPriority priority) {

  /** Without a priority (read back from storage, tests). */
  public AlarmTransition(
      Instant time,
      String alarmId,
      String reactorId,
      AlarmState from,
      AlarmState to,
      double value,
      double limit,
      Actor actor,
      String comment,
      String message) {
    this(time, alarmId, reactorId, from, to, value, limit, actor, comment, message, null);
  }

  /**
   * A new annunciation of the process condition (not a re-alarm of an acknowledged alarm): what
   * flood and chattering figures count.
   */
  public boolean isActivation() {
    return to == AlarmState.UNACK_ACTIVE && from != AlarmState.ACK_ACTIVE;
  }
}
