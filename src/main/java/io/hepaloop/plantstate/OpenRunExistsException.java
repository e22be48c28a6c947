package io.hepaloop.plantstate;

/** A run cannot be created: the reactor has one not yet ended (one open run per reactor). */
public final class OpenRunExistsException extends RuntimeException {
  private final String reactorId;
  private final String openRunId;
  private final String openState;

  public OpenRunExistsException(String reactorId, String openRunId, String openState) {
    super(
        "reactor "
            + reactorId
            + " already has run "
            + openRunId
            + " ("
            + openState
            + "): a reactor runs one culture at a time; stop, abort or complete it first");
    this.reactorId = reactorId;
    this.openRunId = openRunId;
    this.openState = openState;
  }

  public String reactorId() {
    return reactorId;
  }

  public String openRunId() {
    return openRunId;
  }

  public String openState() {
    return openState;
  }
}
