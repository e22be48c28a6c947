package io.hepaloop.device;

/**
 * A device link could not be established; the message is meant for the operator (LinkState reason,
 * events). {@link #configuration()} failures (wrong password, untrusted certificate, no matching
 * endpoint, profile not matching the device) do not heal by retrying quickly, and retrying a wrong
 * password every second can lock the account on a real PLC, so the link retries those slowly.
 */
public final class LinkException extends Exception {
  private final boolean configuration;

  public LinkException(String message) {
    this(message, null, false);
  }

  public LinkException(String message, Throwable cause) {
    this(message, cause, false);
  }

  public LinkException(String message, Throwable cause, boolean configuration) {
    super(message, cause);
    this.configuration = configuration;
  }

  /** A configuration or commissioning problem, not a transient outage. */
  public boolean configuration() {
    return configuration;
  }

  static LinkException configuration(String message) {
    return new LinkException(message, null, true);
  }

  static LinkException configuration(String message, Throwable cause) {
    return new LinkException(message, cause, true);
  }
}
