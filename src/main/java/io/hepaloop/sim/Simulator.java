package io.hepaloop.sim;

import io.hepaloop.sim.model.ReactorParameters;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.CompositeValidator;
import org.eclipse.milo.opcua.sdk.server.identity.IdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.UsernameIdentityValidator;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated liver-perfusion bioreactors served over real OPC UA (Eclipse Milo), the way the
 * controller meets real hardware. Start with {@link #start(SimulatorOptions)}; close when done.
 *
 * <h2>Time</h2>
 *
 * One shared tick thread (not a thread per reactor) runs every {@code tickMs} of real time: it
 * steps every plant model by {@code speed ×} the real time elapsed, runs scenarios and watchdogs,
 * and pushes the new values to subscribed clients. Source timestamps are the device's real wall
 * clock, not the simulated time: a controller judges staleness and latency by comparing source
 * timestamps with its own clock, and a historian orders points by them; simulated timestamps
 * running 60× ahead would look like a device whose clock is wrong by hours. The simulated time of a
 * reactor is {@link SimulatedReactor#simulatedSeconds()}.
 *
 * <h2>Layouts</h2>
 *
 * {@link Layout#SERVER_PER_REACTOR}: one server and port per reactor ({@code basePort + i}, or free
 * ports). {@link Layout#SHARED_SERVER}: one server, a folder per reactor; stopping, restarting or
 * silencing "a reactor's server" then affects every reactor on it.
 */
public final class Simulator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);

  static {
    // Milo's server rate limiter is one JVM-wide instance: at most 4 connects per second and 100
    // connections per remote address (loopback exempt). A controller on another host reconnecting
    // to 64 simulated reactors after a restart would be refused most of them. A simulator is a
    // test device: turn it off before the first server reads it.
    org.eclipse.milo.opcua.stack.core.Stack.ConnectionLimits.RATE_LIMIT_ENABLED = false;
  }

  private final SimulatorOptions options;
  private final ServerPki pki;
  private final Map<String, SimulatedReactor> reactors = new LinkedHashMap<>();
  private final Map<String, SimServer> serverOf = new LinkedHashMap<>();
  private final List<SimServer> servers = new ArrayList<>();
  private final ScheduledThreadPoolExecutor tick;
  private long lastTickNanos;
  private volatile boolean closed;

  private Simulator(SimulatorOptions options) throws Exception {
    this.options = options;
    if (options.scenario() != null) {
      List<String> unknown = options.scenario().unknownReactors(options.reactorIds());
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException(
            "scenario "
                + options.scenario().name()
                + ": "
                + String.join("; ", unknown)
                + ", which this simulator does not run (reactors: "
                + String.join(", ", options.reactorIds())
                + ")");
      }
    }
    this.pki = new ServerPki(options.pkiDir(), options.trustAllClients());
    this.tick =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "hepaloop-sim-tick");
              t.setDaemon(true);
              return t;
            });
    // on close, pending restarts and comms-drop ends are dropped; a running one finishes first
    tick.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    tick.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    long now = System.nanoTime();
    ReactorParameters base = ReactorParameters.defaults();
    for (String id : options.reactorIds()) {
      SimulatedReactor r =
          new SimulatedReactor(
              id,
              options.profile(),
              options.scenario(),
              base,
              options.sensorNoise(),
              options.seed(),
              now);
      r.onCommsDrop((reactor, d) -> tick.execute(() -> commsDrop(reactor.id(), d)));
      r.onRestart((reactor, d) -> tick.execute(() -> restart(reactor.id(), d)));
      reactors.put(id, r);
    }
    IdentityValidator identity = identityValidator(options);
    String host = advertisedHost(options.bindAddress());
    if (options.layout() == Layout.SHARED_SERVER) {
      SimServer s =
          new SimServer(
              "shared",
              new ArrayList<>(reactors.values()),
              options,
              pki,
              identity,
              host,
              port(options, 0));
      servers.add(s);
      reactors.keySet().forEach(id -> serverOf.put(id, s));
    } else {
      int i = 0;
      for (SimulatedReactor r : reactors.values()) {
        SimServer s =
            new SimServer(r.id(), List.of(r), options, pki, identity, host, port(options, i++));
        servers.add(s);
        serverOf.put(r.id(), s);
      }
    }
  }

  /** Builds the reactors, starts every server, and returns once they all listen. */
  public static Simulator start(SimulatorOptions options) throws Exception {
    Simulator sim = new Simulator(options);
    try {
      for (SimServer s : sim.servers) {
        sim.startFirstTime(s);
      }
    } catch (Exception e) {
      sim.close();
      throw e;
    }
    sim.lastTickNanos = System.nanoTime();
    sim.tick.scheduleAtFixedRate(
        sim::tickOnce, options.tickMs(), options.tickMs(), TimeUnit.MILLISECONDS);
    LOG.info(
        "simulator: {} reactor(s) on {} server(s), speed {}x, scenario {}",
        sim.reactors.size(),
        sim.servers.size(),
        options.speed(),
        options.scenario() == null ? "none" : options.scenario().name());
    return sim;
  }

  /**
   * A free port found by binding port 0 can be taken by someone else before the server binds it;
   * with {@code basePort 0} we then pick another and try again.
   */
  private void startFirstTime(SimServer s) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        s.start();
        return;
      } catch (IllegalStateException e) {
        if (options.basePort() != 0 || attempt >= 5) {
          throw e;
        }
        LOG.info("port {} was taken meanwhile, picking another", s.port());
        s.usePort(port(options, 0));
      }
    }
  }

  private void tickOnce() {
    try {
      long now = System.nanoTime();
      double dtSimS = (now - lastTickNanos) / 1e9 * options.speed();
      lastTickNanos = now;
      DateTime wall = DateTime.now();
      for (SimulatedReactor r : reactors.values()) {
        r.tick(dtSimS, now, wall);
      }
      for (SimServer s : servers) {
        s.publish(now);
      }
    } catch (RuntimeException e) {
      // never let one bad tick kill the scheduler (a thrown exception cancels a fixed-rate task)
      LOG.error("simulator tick failed", e);
    }
  }

  public SimulatorOptions options() {
    return options;
  }

  public List<String> reactorIds() {
    return List.copyOf(reactors.keySet());
  }

  /**
   * The endpoint URL a client uses for this reactor (the same for all reactors of a shared server).
   */
  public String endpointUrl(String reactorId) {
    return server(reactorId).endpointUrl();
  }

  /** Every distinct endpoint URL, in reactor order. */
  public List<String> endpointUrls() {
    return servers.stream().map(SimServer::endpointUrl).toList();
  }

  /** The reactor: its model (synchronise on the reactor), fault injection, watchdog state. */
  public SimulatedReactor reactor(String reactorId) {
    SimulatedReactor r = reactors.get(reactorId);
    if (r == null) {
      throw new IllegalArgumentException(
          "no simulated reactor '" + reactorId + "' (have " + reactors.keySet() + ")");
    }
    return r;
  }

  /** Stops the reactor's server (closes its port and connections); the reactor keeps running. */
  public void stopServer(String reactorId) {
    server(reactorId).stop();
  }

  /**
   * Starts the reactor's server again on the same port.
   *
   * @throws IllegalStateException when it cannot listen (the port was taken meanwhile)
   */
  public void startServer(String reactorId) {
    try {
      server(reactorId).start();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(
          "simulator server for " + reactorId + " could not start: " + e.getMessage(), e);
    }
  }

  /** Open client connections of the reactor's server. */
  public int serverConnections(String reactorId) {
    return server(reactorId).connections();
  }

  public boolean serverRunning(String reactorId) {
    return server(reactorId).running();
  }

  /**
   * The reactor's server stops answering for {@code duration} of real time, without closing its
   * connections (requests and responses are held, then released in order).
   */
  public void commsDrop(String reactorId, Duration duration) {
    SimServer s = server(reactorId);
    s.silence();
    tick.schedule(s::resume, duration.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops the reactor's server now and starts it again on the same port after {@code downtime}. */
  public void restart(String reactorId, Duration downtime) {
    SimServer s = server(reactorId);
    s.stop();
    tick.schedule(
        () -> {
          if (closed) {
            return;
          }
          try {
            s.start();
          } catch (Exception e) {
            LOG.error("simulator server for {} could not restart", reactorId, e);
          }
        },
        downtime.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Monitored items currently served, over all servers (for benchmarks and tests). */
  public int monitoredItemCount() {
    return servers.stream().mapToInt(SimServer::monitoredItemCount).sum();
  }

  private SimServer server(String reactorId) {
    reactor(reactorId);
    return serverOf.get(reactorId);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    tick.shutdown();
    try {
      if (!tick.awaitTermination(15, TimeUnit.SECONDS)) {
        tick.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (SimServer s : servers) {
      s.stop();
    }
    try {
      pki.close();
    } catch (IOException e) {
      LOG.warn("closing the simulator PKI: {}", e.toString());
    }
    LOG.info("simulator stopped");
  }

  // ---------------------------------------------------------------- helpers

  private static IdentityValidator identityValidator(SimulatorOptions o) {
    List<IdentityValidator> validators = new ArrayList<>();
    if (o.allowAnonymous()) {
      validators.add(AnonymousIdentityValidator.INSTANCE);
    }
    if (!o.users().isEmpty()) {
      Map<String, String> users = o.users();
      validators.add(
          new UsernameIdentityValidator(
              challenge -> {
                String expected = users.get(challenge.getUsername());
                return expected != null
                    && challenge.getPassword() != null
                    && MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.UTF_8),
                        challenge.getPassword().getBytes(StandardCharsets.UTF_8));
              }));
    }
    return new CompositeValidator(validators);
  }

  private static String advertisedHost(String bindAddress) {
    if ("0.0.0.0".equals(bindAddress) || "::".equals(bindAddress)) {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        return "localhost";
      }
    }
    return bindAddress;
  }

  private static final java.util.Set<Integer> PICKED = new java.util.HashSet<>();

  private static int port(SimulatorOptions o, int index) throws IOException {
    if (o.basePort() > 0) {
      return o.basePort() + index;
    }
    while (true) {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(o.bindAddress(), 0));
        int p = s.getLocalPort();
        synchronized (PICKED) {
          if (PICKED.add(p)) { // never hand the same free port to two servers of this JVM
            return p;
          }
        }
      }
    }
  }
}
