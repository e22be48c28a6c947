package io.hepaloop.app;

import io.hepaloop.core.ActiveRuns;

/**
 * The plant's one answer to "which run is this reactor growing?", handed to the journal, audit,
 * event stream and routes when the plant starts, before the run service exists (the run service
 * needs the running plant): they ask this switch, and the run service is plugged in later with
 * {@link PlantRuntime#useActiveRuns}. Until then, and after {@code null}, no reactor has a run.
 */
final class ActiveRunsSwitch implements ActiveRuns {
  private volatile ActiveRuns delegate = ActiveRuns.NONE;

  void use(ActiveRuns runs) {
    delegate = runs == null ? ActiveRuns.NONE : runs;
  }

  @Override
  public String runIdOf(String reactorId) {
    return reactorId == null ? null : delegate.runIdOf(reactorId);
  }
}
