package io.hepaloop.lab;

/** The run or sample a lab request names does not exist. */
public final class LabNotFoundException extends RuntimeException {
  public LabNotFoundException(String message) {
    super(message);
  }
}
