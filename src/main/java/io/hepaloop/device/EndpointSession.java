package io.hepaloop.device;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One endpoint's place in {@link EndpointSessions}: it outlives the OPC UA sessions it opens. While
 * a session is up, every link of the endpoint attaches to it; when it is lost (every link hears it
 * and goes DISCONNECTED), the first link to retry opens the next one and the others attach to that.
 *
 * <p>Links retry on their own backoff, so many links may ask for a session at once: they wait for
 * the one attempt under way instead of each knocking on the device. A failed attempt is also handed
 * to the links that ask within a short hold ({@link #holdMs}) — a device that is down sees about
 * one attempt per hold instead of one per reactor, and a wrong password is tried once per {@code
 * configurationRetryMs}, not once per reactor (PLCs lock accounts after a few).
 */
final class EndpointSession {
  private final EndpointSessions.Key key;
  private final Executor housekeeping;
  private final AtomicLong sessionsOpened;

  /** Links holding this entry; guarded by the owning {@link EndpointSessions}. */
  int references;

  private final Object connecting = new Object();
  private volatile MiloSession current;
  private volatile boolean closed;
  // guarded by connecting
  private LinkException lastFailure;
  private long lastFailureNanos;
  private long lastFailureHoldNanos;

  EndpointSession(EndpointSessions.Key key, Executor housekeeping, AtomicLong sessionsOpened) {
    this.key = key;
    this.housekeeping = housekeeping;
    this.sessionsOpened = sessionsOpened;
  }

  EndpointSessions.Key key() {
    return key;
  }

  boolean sessionUp() {
    MiloSession s = current;
    return s != null && !s.isLost();
  }

  /**
   * Attaches one reactor to the endpoint's session, opening the session first when there is none.
   * Blocking (worker thread). A failure of the session (unreachable, refused identity) is every
   * reactor's; a failure of the reactor's own part (a NodeId the device lacks, a data type that is
   * not the profile's) is this reactor's only and leaves the session and its neighbours alone.
   */
  ReactorSession open(DeviceLinkOptions o, MiloSession.Listener listener) throws LinkException {
    return session(o).attach(o, listener);
  }

  private MiloSession session(DeviceLinkOptions o) throws LinkException {
    synchronized (connecting) {
      if (closed) {
        throw new LinkException("link stopped while connecting");
      }
      MiloSession s = current;
      if (s != null && !s.isLost()) {
        return s;
      }
      if (lastFailure != null && System.nanoTime() - lastFailureNanos < lastFailureHoldNanos) {
        throw lastFailure;
      }
      try {
        s = MiloSession.connect(o, housekeeping);
      } catch (LinkException e) {
        lastFailure = e;
        lastFailureNanos = System.nanoTime();
        lastFailureHoldNanos = holdMs(o, e) * 1_000_000L;
        throw e;
      }
      lastFailure = null;
      sessionsOpened.incrementAndGet();
      current = s;
      if (closed) {
        // The last link stopped while this one was connecting: nobody else will close it.
        s.close();
        throw new LinkException("link stopped while connecting");
      }
      return s;
    }
  }

  /**
   * How long a failed attempt answers for the endpoint: a configuration failure until the links'
   * slow retry comes round again, a transient one for the first backoff step (which bounds the
   * extra delay a returning device sees).
   */
  static long holdMs(DeviceLinkOptions o, LinkException e) {
    return e.configuration()
        ? o.configurationRetryMs() * 9 / 10
        : Math.min(o.backoff().initialMs(), 500);
  }

  /** The last link is gone: close the session. Non-blocking. */
  void close() {
    closed = true;
    MiloSession s = current;
    if (s != null) {
      s.close();
    }
  }
}
