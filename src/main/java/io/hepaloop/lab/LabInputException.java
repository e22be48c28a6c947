package io.hepaloop.lab;

/** A lab entry or correction refused: {@link #field()} names what is wrong, the message why. */
public final class LabInputException extends IllegalArgumentException {
  private final String field;

  public LabInputException(String field, String problem) {
    super(problem);
    this.field = field;
  }

  /** The field of the entry ("unit", "sampledAt"). */
  public String field() {
    return field;
  }
}
