package io.hepaloop.plantstate;

/**
 * How the alarm journal is doing, for {@code /metrics} and alarm-system health.
 *
 * @param queued transitions waiting for the writer
 * @param capacity the queue's bound; beyond it history rows are dropped (current state is kept)
 * @param droppedHistory history rows lost because the queue was full, since start: any is a
 *     critical problem (see {@link #problem()})
 * @param written history rows written since start
 * @param prunedRows history rows removed by retention since start
 * @param writeFailures batches the database refused (each kept and retried)
 * @param failing the last write was refused (the database fails now)
 * @param lastFailure the last refusal's message, or null
 */
public record JournalHealth(
    int queued,
    int capacity,
    long droppedHistory,
    long written,
    long prunedRows,
    long writeFailures,
    boolean failing,
    String lastFailure) {

  /** A sentence for a critical alarm-system problem, or null when there is none. */
  public String problem() {
    if (droppedHistory > 0) {
      return "alarm journal: "
          + droppedHistory
          + " history rows lost because its queue of "
          + capacity
          + " was full (the current alarm states were kept; the gaps are recorded)";
    }
    if (failing) {
      return "alarm journal: the database refuses writes ("
          + lastFailure
          + "); "
          + queued
          + " transitions wait";
    }
    return null;
  }
}
