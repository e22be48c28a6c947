package io.hepaloop.device;

import java.time.Instant;

/**
 * Connection state of one reactor's device link, published on {@link
 * io.hepaloop.bus.Addresses#link(String)} at each change.
 */
public record LinkState(String reactorId, State state, Instant since, String reason) {
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
