package io.hepaloop.alarm;

import java.util.ArrayList;
import java.util.List;

/**
 * One alarm on one reactor: what it watches, when it activates and clears, how urgent it is, and
 * why it exists. Checked when built; every problem is named in one message.
 *
 * <p>Limit ordering across definitions (HH ≥ H > L ≥ LL) is checked by the profile loader, which
 * sees them together; this record checks what one definition alone can get wrong.
 *
 * @param id unique within the reactor
 * @param reactorId the reactor it belongs to
 * @param source signal id (limit, rate, quality kinds), loop id (deviation, saturation), interlock
 *     id; null or ignored for {@link AlarmKind#LINK_LOST}
 * @param limit meaning depends on the kind (see {@link AlarmKind})
 * @param deadbandInUnits hysteresis in the limit's units: a HIGH alarm clears only below limit −
 *     deadband
 * @param onDelayS the condition must hold this long, continuously, before the alarm activates
 * @param offDelayS the condition must be gone this long, continuously, before the alarm clears
 * @param latched stays active after the condition clears, until reset
 * @param reAlarmAfterS an acknowledged alarm still active after this long is announced again; 0 =
 *     never
 * @param suppression suppression by design, or null
 * @param rationale cause, consequence, corrective action and response time; all required
 * @param windowS how far back the kind looks, seconds: the rate-of-change window ({@link
 *     AlarmKind#RATE_OF_CHANGE}, 0 = 60 s), the OUR comparison window ({@link
 *     AlarmKind#OUR_DECLINE}), the trend window ({@link AlarmKind#PREDICTED_LOW}); 0 = the kind's
 *     default
 * @param horizonS {@link AlarmKind#PREDICTED_LOW}: alarm when the predicted crossing lies within
 *     this many seconds; unused by other kinds
 */
public record AlarmDefinition(
    String id,
    String reactorId,
    AlarmKind kind,
    String source,
    double limit,
    double deadbandInUnits,
    double onDelayS,
    double offDelayS,
    AlarmPriority priority,
    boolean latched,
    double reAlarmAfterS,
    Suppression suppression,
    Rationale rationale,
    double windowS,
    double horizonS) {

  /** A definition whose kind needs no window or horizon. */
  public AlarmDefinition(
      String id,
      String reactorId,
      AlarmKind kind,
      String source,
      double limit,
      double deadbandInUnits,
      double onDelayS,
      double offDelayS,
      AlarmPriority priority,
      boolean latched,
      double reAlarmAfterS,
      Suppression suppression,
      Rationale rationale) {
    this(
        id,
        reactorId,
        kind,
        source,
        limit,
        deadbandInUnits,
        onDelayS,
        offDelayS,
        priority,
        latched,
        reAlarmAfterS,
        suppression,
        rationale,
        0,
        0);
  }

  public AlarmDefinition {
    List<String> problems =
        problems(
            id,
            reactorId,
            kind,
            source,
            limit,
            deadbandInUnits,
            onDelayS,
            offDelayS,
            priority,
            reAlarmAfterS,
            suppression,
            rationale,
            windowS,
            horizonS);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "alarm '" + id + "' of reactor '" + reactorId + "': " + String.join("; ", problems));
    }
  }

  // The compact constructor has not assigned the fields yet, so the components come as arguments.
  private static List<String> problems(
      String id,
      String reactorId,
      AlarmKind kind,
      String source,
      double limit,
      double deadbandInUnits,
      double onDelayS,
      double offDelayS,
      AlarmPriority priority,
      double reAlarmAfterS,
      Suppression suppression,
      Rationale rationale,
      double windowS,
      double horizonS) {
    List<String> p = new ArrayList<>();
    if (blank(id)) {
      p.add("id is required");
    }
    if (blank(reactorId)) {
      p.add("reactorId is required");
    }
    if (kind == null) {
      p.add("kind is required");
    } else {
      if (kind.needsSource() && blank(source)) {
        p.add("source (the " + sourceNoun(kind) + " id) is required for " + kind);
      }
      checkLimit(kind, limit, deadbandInUnits, p);
      checkWindow(kind, windowS, horizonS, p);
    }
    nonNegative(p, "deadbandInUnits", deadbandInUnits);
    nonNegative(p, "onDelayS", onDelayS);
    nonNegative(p, "offDelayS", offDelayS);
    nonNegative(p, "reAlarmAfterS", reAlarmAfterS);
    if (priority == null) {
      p.add("priority is required (CRITICAL, HIGH, MEDIUM, LOW)");
    }
    if (suppression != null && (blank(suppression.loopId()) || blank(suppression.mode()))) {
      p.add("suppression needs both loopId and mode");
    }
    if (rationale == null) {
      p.add("rationale (cause, consequence, correctiveAction, maxResponseTimeS) is required");
    } else {
      Rationale r = rationale;
      if (blank(r.cause())) {
        p.add("rationale.cause is required");
      }
      if (blank(r.consequence())) {
        p.add("rationale.consequence is required");
      }
      if (blank(r.correctiveAction())) {
        p.add("rationale.correctiveAction is required");
      }
      if (!(r.maxResponseTimeS() > 0) || Double.isInfinite(r.maxResponseTimeS())) {
        p.add("rationale.maxResponseTimeS must be a positive number, got " + r.maxResponseTimeS());
      }
    }
    return p;
  }

  private static void checkLimit(
      AlarmKind kind, double limit, double deadbandInUnits, List<String> p) {
    switch (kind) {
      case HIGH_HIGH, HIGH, LOW, LOW_LOW -> {
        if (!Double.isFinite(limit)) {
          p.add("limit must be a finite number, got " + limit);
        }
      }
      case DEVIATION, RATE_OF_CHANGE -> {
        if (!(limit > 0) || Double.isInfinite(limit)) {
          p.add("limit must be a positive number for " + kind + ", got " + limit);
        } else if (deadbandInUnits >= limit) {
          p.add(
              "deadbandInUnits ("
                  + deadbandInUnits
                  + ") must be below the limit ("
                  + limit
                  + ") or "
                  + kind
                  + " could never clear");
        }
      }
      case BAD_QUALITY_OR_STALE -> {
        if (!(limit > 0) || Double.isInfinite(limit)) {
          p.add("limit (maximum age, s) must be a positive number, got " + limit);
        }
      }
      case LOOP_SATURATED -> {
        if (!(limit >= 0) || Double.isInfinite(limit)) {
          p.add("limit (saturated seconds) must be a number >= 0, got " + limit);
        }
      }
      case SPOOL_GROWING -> {
        if (!(limit > 0) || Double.isInfinite(limit)) {
          p.add("limit (backlog age, s) must be a positive number, got " + limit);
        }
      }
      case OUR_DECLINE -> {
        if (!(limit > 0 && limit < 100)) {
          p.add("limit (decline, %) must lie between 0 and 100, got " + limit);
        }
      }
      case PREDICTED_LOW -> {
        if (!Double.isFinite(limit)) {
          p.add("limit (the floor the trend must not cross) must be a finite number, got " + limit);
        }
      }
      case LINK_LOST, INTERLOCK_TRIPPED, HEARTBEAT_FAILING -> {}
    }
  }

  private static void checkWindow(AlarmKind kind, double windowS, double horizonS, List<String> p) {
    nonNegative(p, "windowS", windowS);
    nonNegative(p, "horizonS", horizonS);
    if ((kind == AlarmKind.OUR_DECLINE || kind == AlarmKind.PREDICTED_LOW) && !(windowS > 0)) {
      p.add("windowS (how far back the trend looks, s) must be positive for " + kind);
    }
    if (kind == AlarmKind.PREDICTED_LOW && !(horizonS > 0)) {
      p.add("horizonS (how far ahead a crossing is announced, s) must be positive for " + kind);
    }
  }

  private static String sourceNoun(AlarmKind kind) {
    if (kind.watchesLoop()) {
      return "loop";
    }
    return kind == AlarmKind.INTERLOCK_TRIPPED ? "interlock" : "signal";
  }

  private static void nonNegative(List<String> p, String name, double v) {
    if (!(v >= 0) || Double.isInfinite(v)) {
      p.add(name + " must be a number >= 0, got " + v);
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
