package io.hepaloop.report;

/**
 * No run has the id asked for. An {@link IllegalArgumentException}: the command line prints it as
 * the user's error, the API answers 404.
 */
public final class UnknownRunException extends IllegalArgumentException {
  private final String runId;

  public UnknownRunException(String runId, String where) {
    super("no run '" + runId + "' in " + where + " (run ids look like r1-20260101-080000)");
    this.runId = runId;
  }

  public String runId() {
    return runId;
  }
}
