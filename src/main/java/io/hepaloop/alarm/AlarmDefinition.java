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
    Rationale rationale) {

  public AlarmDefinition {
    List<String> problems = problems(this);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "alarm '" + id + "' of reactor '" + reactorId + "': " + String.join("; ", problems));
    }
  }

  private static List<String> problems(AlarmDefinition d) {
    List<String> p = new ArrayList<>();
    if (blank(d.id)) {
      p.add("id is required");
    }
    if (blank(d.reactorId)) {
      p.add("reactorId is required");
    }
    if (d.kind == null) {
      p.add("kind is required");
    } else {
      if (d.kind != AlarmKind.LINK_LOST && blank(d.source)) {
        p.add("source (the " + sourceNoun(d.kind) + " id) is required for " + d.kind);
      }
      checkLimit(d, p);
    }
    nonNegative(p, "deadbandInUnits", d.deadbandInUnits);
    nonNegative(p, "onDelayS", d.onDelayS);
    nonNegative(p, "offDelayS", d.offDelayS);
    nonNegative(p, "reAlarmAfterS", d.reAlarmAfterS);
    if (d.priority == null) {
      p.add("priority is required (CRITICAL, HIGH, MEDIUM, LOW)");
    }
    if (d.suppression != null && (blank(d.suppression.loopId()) || blank(d.suppression.mode()))) {
      p.add("suppression needs both loopId and mode");
    }
    if (d.rationale == null) {
      p.add("rationale (cause, consequence, correctiveAction, maxResponseTimeS) is required");
    } else {
      Rationale r = d.rationale;
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

  private static void checkLimit(AlarmDefinition d, List<String> p) {
    switch (d.kind) {
      case HIGH_HIGH, HIGH, LOW, LOW_LOW -> {
        if (!Double.isFinite(d.limit)) {
          p.add("limit must be a finite number, got " + d.limit);
        }
      }
      case DEVIATION, RATE_OF_CHANGE -> {
        if (!(d.limit > 0) || Double.isInfinite(d.limit)) {
          p.add("limit must be a positive number for " + d.kind + ", got " + d.limit);
        } else if (d.deadbandInUnits >= d.limit) {
          p.add(
              "deadbandInUnits ("
                  + d.deadbandInUnits
                  + ") must be below the limit ("
                  + d.limit
                  + ") or "
                  + d.kind
                  + " could never clear");
        }
      }
      case BAD_QUALITY_OR_STALE -> {
        if (!(d.limit > 0) || Double.isInfinite(d.limit)) {
          p.add("limit (maximum age, s) must be a positive number, got " + d.limit);
        }
      }
      case LOOP_SATURATED -> {
        if (!(d.limit >= 0) || Double.isInfinite(d.limit)) {
          p.add("limit (saturated seconds) must be a number >= 0, got " + d.limit);
        }
      }
      case LINK_LOST, INTERLOCK_TRIPPED -> {}
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
