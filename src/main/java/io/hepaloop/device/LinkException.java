package io.hepaloop.device;

/** A device link could not be established; the message is meant for the operator (LinkState reason, events). */
public final class LinkException extends Exception {
  public LinkException(String message) {
    super(message);
  }

  public LinkException(String message, Throwable cause) {
    super(message, cause);
  }
}
