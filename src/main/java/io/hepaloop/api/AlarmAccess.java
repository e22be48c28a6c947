package io.hepaloop.api;

import io.hepaloop.alarm.AlarmHealth;
import io.hepaloop.alarm.AlarmKind;
import io.hepaloop.alarm.AlarmPriority;
import io.hepaloop.alarm.AlarmState;
import io.hepaloop.alarm.Rationale;
import io.hepaloop.users.Role;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the REST routes may see of and do to the alarms: list them, act on them, read the
 * alarm-system health. Implemented over the running alarm engine, which lives on one thread: every
 * method is safe from any thread and answers with a Future.
 *
 * <p>An action names one or more alarms. It is checked whole before anything changes (every alarm
 * exists, the role suffices, the comment is given, each alarm's state allows it); if any check
 * fails, nothing is applied and the result names why.
 */
public interface AlarmAccess {

  /** One alarm of one reactor. */
  record AlarmRef(String reactorId, String alarmId) {
    @Override
    public String toString() {
      return reactorId + "/" + alarmId;
    }
  }

  /**
   * One alarm as an operator sees it, with its rationale.
   *
   * @param shelvedUntil when a shelved alarm comes back, else null
   * @param live the engine's view (value, since when active, who acknowledged, last message) for
   *     the alarm console; null when not known
   * @param maxShelve the longest an operator may shelve it; null when not known
   */
  record AlarmView(
      String reactorId,
      String alarmId,
      AlarmKind kind,
      String source,
      AlarmPriority priority,
      AlarmState state,
      double limit,
      boolean latched,
      Instant shelvedUntil,
      Rationale rationale,
      io.hepaloop.alarm.AlarmView live,
      Duration maxShelve) {

    /** Without the engine's live view. */
    public AlarmView(
        String reactorId,
        String alarmId,
        AlarmKind kind,
        String source,
        AlarmPriority priority,
        AlarmState state,
        double limit,
        boolean latched,
        Instant shelvedUntil,
        Rationale rationale) {
      this(
          reactorId,
          alarmId,
          kind,
          source,
          priority,
          state,
          limit,
          latched,
          shelvedUntil,
          rationale,
          null,
          null);
    }
  }

  /** List filters; null means any. */
  record Filter(String reactorId, AlarmState state, AlarmPriority priority) {
    public static final Filter ALL = new Filter(null, null, null);

    public boolean matches(AlarmView a) {
      return (reactorId == null || reactorId.equals(a.reactorId()))
          && (state == null || state == a.state())
          && (priority == null || priority == a.priority());
    }
  }

  /** Why an action was refused; each maps to one HTTP status. */
  enum Refusal {
    /** An alarm does not exist (404). */
    NOT_FOUND,
    /** The caller's role is too low (403). */
    FORBIDDEN,
    /** The request itself is wrong: no comment, bad duration (400). */
    INVALID,
    /** An alarm's state does not allow it (409). */
    CONFLICT
  }

  /**
   * Outcome of an action: applied to every alarm named, or refused (nothing applied).
   *
   * @param refusal null when applied
   * @param reason a sentence naming the alarm and why, null when applied
   * @param alarm the alarm the refusal concerns, null when applied or not about one alarm
   */
  record ActionResult(List<AlarmRef> applied, Refusal refusal, String reason, AlarmRef alarm) {
    public ActionResult {
      applied = List.copyOf(applied);
    }

    public static ActionResult applied(List<AlarmRef> alarms) {
      return new ActionResult(alarms, null, null, null);
    }

    public static ActionResult refused(Refusal refusal, AlarmRef alarm, String reason) {
      return new ActionResult(List.of(), refusal, reason, alarm);
    }

    public boolean ok() {
      return refusal == null;
    }
  }

  /** Health of the plant and of each reactor (reactors in configuration order). */
  record Health(AlarmHealth.Figures plant, List<AlarmHealth.Figures> reactors) {
    public Health {
      reactors = List.copyOf(reactors);
    }
  }

  /** Every defined alarm matching the filter. */
  Future<List<AlarmView>> list(Filter filter);

  Future<ActionResult> acknowledge(List<AlarmRef> alarms, String user, Role role, String comment);

  Future<ActionResult> shelve(
      List<AlarmRef> alarms, Duration duration, String user, Role role, String comment);

  Future<ActionResult> unshelve(List<AlarmRef> alarms, String user, Role role, String comment);

  /** Engineer only. */
  Future<ActionResult> removeFromService(
      List<AlarmRef> alarms, String user, Role role, String comment);

  /** Engineer only. */
  Future<ActionResult> returnToService(
      List<AlarmRef> alarms, String user, Role role, String comment);

  /**
   * Releases latched alarms whose condition is gone. Whether the condition is gone only the engine
   * knows at the moment it tries, so a reset names exactly one alarm.
   */
  Future<ActionResult> reset(AlarmRef alarm, String user, Role role, String comment);

  Future<Health> health();
}
