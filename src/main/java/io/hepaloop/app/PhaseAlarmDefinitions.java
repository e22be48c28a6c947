package io.hepaloop.app;

import io.hepaloop.alarm.AlarmDefinition;
import io.hepaloop.alarm.AlarmPriority;
import io.hepaloop.recipe.Recipe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A recipe phase's {@code alarms:} translated into the alarm engine's terms, so that the alarm
 * package needs nothing of recipes: per alarm of one reactor, the definition the phase wants (the
 * base one — the profile's with the plant's overrides — with the phase's limit, deadband, delays,
 * priority and re-alarm) and whether the phase suppresses it. An entry naming an alarm the reactor
 * does not have (disabled in the plant configuration) or giving a value the engine refuses is left
 * out and named in {@link Plan#problems}: the base definition then stays, nothing is lost.
 */
final class PhaseAlarmDefinitions {
  private PhaseAlarmDefinitions() {}

  /**
   * @param definitions every alarm of the reactor, in effect while no phase changes it (by id)
   * @param suppressed ids the phase suppresses by design
   * @param problems what was left out, one sentence each
   */
  record Plan(
      Map<String, AlarmDefinition> definitions, Set<String> suppressed, List<String> problems) {}

  /** The plan for {@code base} (one reactor's base definitions) under {@code alarms}. */
  static Plan plan(List<AlarmDefinition> base, Recipe.PhaseAlarms alarms) {
    Map<String, AlarmDefinition> out = new LinkedHashMap<>();
    base.forEach(d -> out.put(d.id(), d));
    Set<String> suppressed = new LinkedHashSet<>();
    List<String> problems = new ArrayList<>();
    Recipe.PhaseAlarms phase = alarms == null ? Recipe.PhaseAlarms.NONE : alarms;
    for (Recipe.AlarmOverride o : phase.overrides()) {
      AlarmDefinition d = o == null ? null : out.get(o.id());
      if (d == null) {
        problems.add("override of alarm '" + (o == null ? null : o.id()) + "': no such alarm");
        continue;
      }
      try {
        out.put(d.id(), overridden(d, o));
      } catch (IllegalArgumentException e) {
        problems.add("override of alarm '" + o.id() + "' refused: " + e.getMessage());
      }
    }
    for (String id : phase.suppress()) {
      if (out.containsKey(id)) {
        suppressed.add(id);
      } else {
        problems.add("suppression of alarm '" + id + "': no such alarm");
      }
    }
    return new Plan(out, suppressed, problems);
  }

  /** {@code d} with the override's non-null fields. */
  static AlarmDefinition overridden(AlarmDefinition d, Recipe.AlarmOverride o) {
    AlarmPriority priority = d.priority();
    if (o.priority() != null) {
      try {
        priority = AlarmPriority.valueOf(o.priority().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown priority '" + o.priority() + "' (CRITICAL, HIGH, MEDIUM, LOW)", e);
      }
    }
    return new AlarmDefinition(
        d.id(),
        d.reactorId(),
        d.kind(),
        d.source(),
        o.limit() != null ? o.limit() : d.limit(),
        o.deadband() != null ? o.deadband() : d.deadbandInUnits(),
        o.onDelayS() != null ? o.onDelayS() : d.onDelayS(),
        o.offDelayS() != null ? o.offDelayS() : d.offDelayS(),
        priority,
        d.latched(),
        o.reAlarmAfterS() != null ? o.reAlarmAfterS() : d.reAlarmAfterS(),
        d.suppression(),
        d.rationale(),
        d.windowS(),
        d.horizonS());
  }
}
