package io.hepaloop.report;

/**
 * Makes run reports (the API's view of {@link RunReportGatherer}). Blocks on disk and HTTP: call it
 * on a worker.
 */
@FunctionalInterface
public interface RunReports {
  /**
   * The report of {@code runId}; with {@code wide}, also the wide table of the CSV export.
   *
   * @throws UnknownRunException when there is no such run
   */
  RunReport gather(String runId, boolean wide);
}
