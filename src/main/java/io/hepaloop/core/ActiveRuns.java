package io.hepaloop.core;

/**
 * Which run each reactor is growing now, for the parts that stamp their records with a run id
 * (telemetry points, alarm history, audit records, events). Answered from memory, without I/O:
 * callers include event loops and the alarm path.
 */
@FunctionalInterface
public interface ActiveRuns {
  /** No reactor has a run. */
  ActiveRuns NONE = reactorId -> null;

  /**
   * The id of the run on {@code reactorId} that has been created and not yet ended (stopped,
   * aborted or complete), or null when it has none.
   */
  String runIdOf(String reactorId);
}
