package io.hepaloop.control;

/** Outcome of a {@link ControlCommand}: accepted, or rejected with a reason a person can act on. */
public record CommandResult(boolean accepted, String message) {
  public static CommandResult accepted(String message) {
    return new CommandResult(true, message);
  }

  public static CommandResult rejected(String reason) {
    return new CommandResult(false, reason);
  }
}
