package io.hepaloop.device;

import java.time.Instant;

/**
 * Connection state of one reactor's device link, published on {@link
 * io.hepaloop.bus.Addresses#link(String)} at each change.
 */
public record LinkState(String reactorId, State state, Instant since, String reason) {
  /** Starts the part of a CONNECTED state's reason that says the heartbeat cannot be written. */
  public static final String HEARTBEAT_FAILING = "HEARTBEAT FAILING";

  /** Starts the part of a CONNECTED state's reason that says the heartbeat is withheld. */
  public static final String HEARTBEAT_WITHHELD = "heartbeat withheld";

  /**
   * Whether the device's watchdog no longer gets its heartbeat while the link is up: the write
   * fails, or the link withholds it because the controller's loops stalled. Either way the device
   * will put its outputs safe. False while the link is down (that is the link's own alarm).
   */
  public boolean heartbeatFailing() {
    return state == State.CONNECTED
        && reason != null
        && (reason.contains(HEARTBEAT_FAILING) || reason.contains(HEARTBEAT_WITHHELD));
  }

  public enum State {
    /** Not yet connected since start. */
    CONNECTING,
    /** Session up, subscriptions live, samples flowing. */
    CONNECTED,
    /** Link lost: values are stale, reconnecting with backoff. */
    DISCONNECTED,
    /** Stopped on purpose. */
    STOPPED
  }
}
