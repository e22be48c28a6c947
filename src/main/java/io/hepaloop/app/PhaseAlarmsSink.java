package io.hepaloop.app;

import io.hepaloop.recipe.Recipe;

/**
 * Where the run service sends the alarm overrides and suppressions of a reactor's current recipe
 * phase: when a phase starts, when a run resumes after a restart, and {@link
 * Recipe.PhaseAlarms#NONE} when the run ends (the profile's alarms apply again). Called on the
 * reactor's control context: must not block (hop to the alarm service's own context).
 */
@FunctionalInterface
public interface PhaseAlarmsSink {
  /** Changes nothing (until the alarm service implements it). */
  PhaseAlarmsSink NONE = (reactorId, alarms) -> {};

  void apply(String reactorId, Recipe.PhaseAlarms alarms);
}
