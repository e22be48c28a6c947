package io.hepaloop.device;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The OPC UA sessions of a set of {@link DeviceLink}s, one per endpoint, as SCADA drivers keep
 * them: links whose device has the same endpoint URL, security and identity share ONE session (a
 * PLC or gateway serving many skids on one endpoint typically allows only 10-32 sessions), each
 * reactor with its own monitored items, NodeIds, state, heartbeat and commands.
 *
 * <p>An entry ({@link EndpointSession}) is counted: a link takes it when it starts and gives it
 * back when it stops; the last one out closes the session. Links deployed on the same Vert.x
 * instance share {@link #of(Vertx)}; whoever deploys links can also create one and pass it to
 * {@link DeviceLink#DeviceLink(DeviceLinkOptions, EndpointSessions)}.
 *
 * <p>Thread-safe: links start and stop on their own contexts.
 */
public final class EndpointSessions implements Shareable {
  private static final String LOCAL_MAP = "hepaloop.device.endpoint-sessions";

  /**
   * What makes two links' sessions interchangeable: the endpoint, security and identity, and every
   * other session-level setting (PKI and trust, keep-alive and timeouts), so that no link silently
   * runs with another link's settings. The password is compared but never printed.
   */
  record Key(
      String endpointUrl,
      String securityPolicy,
      String securityMode,
      String username,
      String password,
      Path pkiDir,
      DeviceLinkOptions.ServerTrust serverTrust,
      long keepAliveIntervalMs,
      int keepAliveFailuresAllowed,
      long keepAliveTimeoutMs,
      long requestTimeoutMs,
      long connectTimeoutMs) {

    static Key of(DeviceLinkOptions o) {
      return new Key(
          o.endpointUrl(),
          o.securityPolicy(),
          o.securityMode(),
          o.username(),
          o.password(),
          o.pkiDir(),
          o.serverTrust(),
          o.keepAliveIntervalMs(),
          o.keepAliveFailuresAllowed(),
          o.keepAliveTimeoutMs(),
          o.requestTimeoutMs(),
          o.connectTimeoutMs());
    }

    @Override
    public String toString() {
      return endpointUrl
          + " ("
          + securityPolicy
          + "/"
          + securityMode
          + ", "
          + (username == null ? "anonymous" : "user " + username)
          + ")";
    }
  }

  private final Map<Key, EndpointSession> entries = new HashMap<>();
  private final AtomicLong sessionsOpened = new AtomicLong();
  private final AtomicLong heartbeatsSkipped = new AtomicLong();

  /**
   * Removing a reactor's monitored items when its link stops or loses only its own part uses Milo's
   * synchronous API; these daemon threads do it so that no event loop waits.
   */
  private final ExecutorService housekeeping = Executors.newCachedThreadPool(new DaemonThreads());

  /** The sessions of every link deployed on this Vert.x instance that was not given its own. */
  public static EndpointSessions of(Vertx vertx) {
    LocalMap<String, EndpointSessions> map = vertx.sharedData().getLocalMap(LOCAL_MAP);
    EndpointSessions s = map.get("default");
    if (s == null) {
      EndpointSessions fresh = new EndpointSessions();
      s = map.putIfAbsent("default", fresh);
      if (s == null) {
        s = fresh;
      }
    }
    return s;
  }

  /** The entry for the link's endpoint, security and identity, counted once more. */
  synchronized EndpointSession acquire(DeviceLinkOptions o) {
    EndpointSession e =
        entries.computeIfAbsent(
            Key.of(o), k -> new EndpointSession(k, housekeeping, sessionsOpened));
    e.references++;
    return e;
  }

  /** Gives an entry back; the last link out closes its session. Non-blocking. */
  void release(EndpointSession e) {
    boolean last;
    synchronized (this) {
      last = --e.references == 0;
      if (last) {
        entries.remove(e.key(), e);
      }
    }
    if (last) {
      e.close();
    }
  }

  /** Endpoints in use (one entry per endpoint, security and identity). */
  public synchronized int endpoints() {
    return entries.size();
  }

  /** OPC UA sessions open right now. */
  public synchronized int sessionsOpen() {
    return (int) entries.values().stream().filter(EndpointSession::sessionUp).count();
  }

  /**
   * OPC UA sessions opened since this object was created (one per endpoint, plus one per
   * reconnect).
   */
  public long sessionsOpened() {
    return sessionsOpened.get();
  }

  /**
   * Heartbeats the links of these sessions skipped because their previous heartbeat write was still
   * unanswered ({@link DeviceLink#heartbeatsSkipped()}, summed): a device or gateway that answers
   * writes slower than the watchdog interval.
   */
  public long heartbeatsSkipped() {
    return heartbeatsSkipped.get();
  }

  AtomicLong heartbeatsSkippedCounter() {
    return heartbeatsSkipped;
  }

  @Override
  public String toString() {
    return "EndpointSessions[endpoints="
        + endpoints()
        + ", open="
        + sessionsOpen()
        + ", opened="
        + sessionsOpened()
        + "]";
  }

  private static final class DaemonThreads implements java.util.concurrent.ThreadFactory {
    private final AtomicInteger n = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "hepaloop-endpoint-sessions-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }

  static boolean sameKey(DeviceLinkOptions a, DeviceLinkOptions b) {
    return Objects.equals(Key.of(a), Key.of(b));
  }
}
