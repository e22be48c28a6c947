package io.hepaloop.device;

import io.hepaloop.bus.Addresses;
import io.hepaloop.bus.HepaEvent;
import io.hepaloop.bus.LocalCodec;
import io.hepaloop.core.DataType;
import io.hepaloop.device.DeviceLinkOptions.HeartbeatSource;
import io.hepaloop.profile.SignalSpec;
import io.hepaloop.profile.WatchdogSpec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's side of one reactor's OPC UA device: a Vert.x verticle that keeps a Milo session
 * open, publishes every sensor and actuator read-back as {@link SampleBatch}es, writes {@link
 * ActuatorCommand}s, sends the watchdog heartbeat and survives the link failing.
 *
 * <h2>Heartbeat</h2>
 *
 * Every {@code watchdog.intervalMs} the link writes the next value of a counter that wraps at the
 * watchdog type's maximum ({@link DataType#nextHeartbeat}), so it runs for ever. With {@link
 * HeartbeatSource#CONTROLLER} (production) it writes only while the reactor's controller reports on
 * {@link Addresses#controllerAlive} that its loops executed within a few of their periods: a
 * stalled control loop stops the heartbeat, and the device puts its outputs safe. A heartbeat that
 * is withheld or cannot be written is a critical event, once per run of failures, and shows in the
 * CONNECTED state's reason.
 *
 * <h2>States ({@link LinkState})</h2>
 *
 * CONNECTING (never connected yet) → CONNECTED ⇄ DISCONNECTED (lost; values published once as
 * stale, reconnecting with {@link Backoff}) → STOPPED (undeployed). The reason of each state is a
 * sentence for the operator ("the device refused user 'operator' (Bad_UserAccessDenied): wrong user
 * name or password").
 *
 * <h2>Shared sessions</h2>
 *
 * Reactors whose devices share an endpoint, security and identity share one session ({@link
 * EndpointSessions}); each link still has its own items, state, stale values, heartbeat, commands
 * and backoff. A problem of the reactor's own part (a node the device lacks, a data type that is
 * not the profile's, a heartbeat the device answers with a communication error) is this link's
 * alone; a lost session is every link's on it, and each reconnects on its own backoff to the next
 * session the first of them opens. A subscription the device ends or that stops publishing is
 * re-created by the session: its links go DISCONNECTED (stale values, writes refused, heartbeat
 * going on) and back, and the session is ended only if re-creating fails.
 *
 * <h2>Threading</h2>
 *
 * All fields are touched on this verticle's context only, so there are no locks. Milo calls back on
 * its own threads; those callbacks convert the values (cheap, no I/O) and hand them over with
 * {@code context.runOnContext}, then return, so a slow consumer never stalls Milo's publishing. The
 * session is opened with Milo's synchronous API on a small worker pool of the links' own; writes
 * use Milo's asynchronous API, bridged to Vert.x futures on this context.
 *
 * <h2>Reconnect</h2>
 *
 * A lost session is closed and a fresh one opened with our own short backoff (default 200 ms → 1
 * s), which re-creates the reactor's monitored items; Milo's own reconnect (waits up to 16 s) and
 * its subscription transfer (which fails after a device restart) are not relied upon. Each session
 * carries a generation number; callbacks of an older session are ignored.
 */
public final class DeviceLink extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceLink.class);

  /**
   * Opening a session blocks a thread for up to connect + request timeout when a device hangs. The
   * links share their own small pool for that, so 64 hung devices never starve the default worker
   * pool that InfluxDB, SQLite and file I/O rely on.
   */
  static final String CONNECT_POOL = "hepaloop-device-link-connect";

  /**
   * A restored session lost again sooner than this makes the link "unstable": one warning says so,
   * and the next losses and restores are logged at debug level only, until a session holds this
   * long. A device that accepts sessions and drops them at once would otherwise give a warning and
   * two events every second or so, for as long as the fault lasts.
   */
  static final long STABLE_MS = 10_000;

  static final int CONNECT_POOL_SIZE = 8;

  private final DeviceLinkOptions opts;
  private final String reactorId;

  /** Null: the sessions of this Vert.x instance ({@link EndpointSessions#of}). */
  private final EndpointSessions sessions;

  // --- state: this verticle's context only ---
  private EndpointSession endpoint;
  private ReactorSession session;
  private long generation;
  private int failedAttempts;
  private boolean stopped;

  /** {@link #stopped} as seen from the connect pool's threads. */
  private volatile boolean stopRequested;

  private boolean everConnected;
  private long reconnectTimer = -1;
  private long heartbeatTimer = -1;
  private HeartbeatSequence beats = new HeartbeatSequence(0);
  private int heartbeatFailuresInARow;
  private int heartbeatsUnansweredInARow;

  /** Written on this context; volatile for {@link #heartbeatFailing()}. */
  private volatile boolean heartbeatFailing;

  /** From the controller: {@link System#nanoTime()} until which its loops count as running. */
  private long controllerAliveUntilNanos;

  private boolean controllerHeard;
  private int heartbeatsWithheldInARow;
  private boolean withholdReported;

  /**
   * Why the session is up but this reactor's data is not (its subscription is being re-created);
   * null when data flows.
   */
  private String dataStopped;

  private long dataStoppedAtNanos;

  /** What the CONNECTED state says, without the heartbeat's problems. */
  private String connectedReason;

  /**
   * Why the heartbeat does not reach the device (null when it does): part of the CONNECTED state's
   * reason.
   */
  private String heartbeatWithheldProblem;

  private String heartbeatFailingProblem;
  private MessageConsumer<Long> controllerAlive;
  private Instant outageSince;
  private long connectedAtNanos = -1;
  private long lastLossNanos = -1;

  /**
   * Lost again soon after each restore: further losses and restores are not announced one by one.
   */
  private boolean unstable;

  private int lossesWhileUnstable;
  private final Set<String> loggedFailures = new HashSet<>();
  private final Map<String, Sample> lastValues = new LinkedHashMap<>();
  private MessageConsumer<ActuatorCommand> commands;
  private WorkerExecutor connectPool;

  // --- readable from any thread (tests, bench, metrics) ---
  private volatile LinkState current;
  private final AtomicLong batchesPublished = new AtomicLong();
  private final AtomicLong heartbeatFailures = new AtomicLong();
  private final AtomicLong heartbeatsSkipped = new AtomicLong();
  private final AtomicLong connectAttempts = new AtomicLong();

  /**
   * A link that shares its session with the other links of this Vert.x instance on the same
   * endpoint.
   */
  public DeviceLink(DeviceLinkOptions opts) {
    this(opts, null);
  }

  /** A link that shares its session with the other links given the same {@code sessions}. */
  public DeviceLink(DeviceLinkOptions opts, EndpointSessions sessions) {
    this.opts = opts;
    this.reactorId = opts.reactorId();
    this.sessions = sessions;
  }

  /** The last published state (any thread). */
  public LinkState state() {
    return current;
  }

  public long batchesPublished() {
    return batchesPublished.get();
  }

  public long heartbeatFailures() {
    return heartbeatFailures.get();
  }

  /**
   * Beats not written because the previous heartbeat write was still unanswered when they fell due
   * (beats are never two in flight, so that they reach the device in order). Also summed over all
   * links in {@link EndpointSessions#heartbeatsSkipped()}.
   */
  public long heartbeatsSkipped() {
    return heartbeatsSkipped.get();
  }

  private AtomicLong skippedTotal() {
    return (sessions != null ? sessions : EndpointSessions.of(vertx)).heartbeatsSkippedCounter();
  }

  /** Sessions tried since start, successful or not. */
  public long connectAttempts() {
    return connectAttempts.get();
  }

  public DeviceLinkOptions options() {
    return opts;
  }

  @Override
  public Future<?> start() {
    // Deployable alone (tests, bench): it registers what it sends itself.
    LocalCodec.registerAll(
        vertx, SampleBatch.class, LinkState.class, WriteResult.class, HepaEvent.class);
    connectPool = vertx.createSharedWorkerExecutor(CONNECT_POOL, CONNECT_POOL_SIZE);
    EndpointSessions shared = sessions != null ? sessions : EndpointSessions.of(vertx);
    endpoint = shared.acquire(opts);
    commands = vertx.eventBus().consumer(Addresses.commands(reactorId), this::onCommand);
    publishState(LinkState.State.CONNECTING, "connecting to " + opts.endpointUrl());
    WatchdogSpec wd = opts.profile().watchdog();
    // Without a watchdog (a monitoring-only profile) the timer still runs: it also ends the
    // "unstable" state.
    heartbeatTimer =
        vertx.setPeriodic(wd == null ? 1000 : (long) wd.intervalMs(), id -> heartbeat());
    if (wd != null && opts.heartbeat() == HeartbeatSource.CONTROLLER) {
      controllerAlive =
          vertx
              .eventBus()
              .localConsumer(
                  Addresses.controllerAlive(reactorId),
                  m -> {
                    controllerAliveUntilNanos = m.body();
                    controllerHeard = true;
                  });
    }
    connect();
    // Deployment does not wait for the device: a link whose device is down is still a running link
    // (CONNECTING, retrying); the state tells when it is connected.
    return controllerAlive == null
        ? commands.completion()
        : Future.join(commands.completion(), controllerAlive.completion());
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    stopRequested = true;
    generation++;
    vertx.cancelTimer(reconnectTimer);
    vertx.cancelTimer(heartbeatTimer);
    ReactorSession s = session;
    session = null;
    publishStale();
    publishState(LinkState.State.STOPPED, "link stopped");
    LOG.info("reactor {}: device link stopped", reactorId);
    Future<Void> closed =
        s == null
            ? Future.succeededFuture()
            : Future.fromCompletionStage(s.close(), context)
                .timeout(3, TimeUnit.SECONDS)
                .otherwiseEmpty();
    EndpointSessions shared = sessions != null ? sessions : EndpointSessions.of(vertx);
    return closed
        .eventually(
            () -> {
              if (endpoint != null) {
                shared.release(endpoint);
              }
              return commands.unregister();
            })
        .compose(
            v ->
                controllerAlive == null
                    ? Future.<Void>succeededFuture()
                    : controllerAlive.unregister())
        .eventually(() -> connectPool.close());
  }

  // ---------------------------------------------------------------- connecting

  private void connect() {
    reconnectTimer = -1;
    if (stopped) {
      return;
    }
    long gen = ++generation;
    connectAttempts.incrementAndGet();
    MiloSession.Listener listener =
        new MiloSession.Listener() {
          @Override
          public void onSamples(List<Sample> samples) {
            context.runOnContext(v -> samplesArrived(gen, samples));
          }

          @Override
          public void onLost(String reason) {
            context.runOnContext(v -> lost(gen, reason));
          }

          @Override
          public void onSubscriptionLost(String reason) {
            context.runOnContext(v -> dataStopped(gen, reason));
          }

          @Override
          public void onSubscriptionRestored() {
            context.runOnContext(v -> dataRestored(gen));
          }
        };
    EndpointSession ep = endpoint;
    connectPool
        .<ReactorSession>executeBlocking(
            () -> {
              ReactorSession opened = ep.open(opts, listener);
              if (stopRequested) {
                // Undeployed while connecting: the completion may never run on a closed context, so
                // do not
                // leave a Milo client behind that would keep reconnecting on its own.
                opened.close();
                throw new LinkException("link stopped while connecting");
              }
              return opened;
            },
            false)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                connected(gen, ar.result());
              } else {
                connectFailed(gen, ar.cause());
              }
            });
  }

  private void connected(long gen, ReactorSession s) {
    if (stopped || gen != generation) {
      s.close();
      return;
    }
    if (s.isLost()) {
      s.close();
      connectFailed(gen, new LinkException("session lost while subscribing"));
      return;
    }
    session = s;
    dataStopped = null;
    connectedAtNanos = opts.clock().nanoTime();
    failedAttempts = 0;
    heartbeatFailuresInARow = 0;
    heartbeatsUnansweredInARow = 0;
    loggedFailures.clear();
    String how =
        opts.securityPolicy()
            + "/"
            + opts.securityMode()
            + ", "
            + (opts.username() == null ? "anonymous" : "user " + opts.username());
    if (outageSince != null) {
      double downS = Duration.between(outageSince, opts.clock().now()).toMillis() / 1000.0;
      String msg =
          String.format(
              "link to reactor %s restored after %.1f s (%s)",
              reactorId, downS, opts.endpointUrl());
      if (unstable) {
        LOG.debug(msg);
      } else {
        LOG.info(msg);
        publishEvent("info", msg);
      }
      outageSince = null;
    } else {
      LOG.info(
          "reactor {}: connected to {} ({}), {} signals subscribed",
          reactorId,
          opts.endpointUrl(),
          how,
          opts.profile().signals().size());
      if (everConnected) {
        publishEvent("info", "link to reactor " + reactorId + " connected");
      }
    }
    everConnected = true;
    // Heartbeat first, CONNECTED after it is acknowledged: a device whose watchdog tripped during
    // the
    // outage refuses commands until the counter moves again, and the loops write as soon as they
    // hear
    // CONNECTED. (If the beat fails, CONNECTED follows anyway and the next beat retries.)
    connectedReason = "connected to " + opts.endpointUrl() + " (" + how + ")";
    heartbeat()
        .onComplete(
            ar -> {
              if (!stopped && gen == generation) {
                publishState(LinkState.State.CONNECTED, connectedReason());
              }
            });
  }

  private void connectFailed(long gen, Throwable cause) {
    if (stopped || gen != generation) {
      return;
    }
    String reason =
        cause instanceof LinkException
            ? cause.getMessage()
            : "connecting failed: " + MiloSession.rootMessage(cause);
    LinkState.State st = everConnected ? LinkState.State.DISCONNECTED : LinkState.State.CONNECTING;
    boolean configuration = cause instanceof LinkException le && le.configuration();
    // Each distinct reason is said once per outage (or per start-up), however many retries fail;
    // during an outage only configuration problems are news (the loss itself was logged already).
    if (loggedFailures.size() < 20
        && loggedFailures.add(reason)
        && (outageSince == null || configuration)) {
      LOG.warn(
          "reactor {}: {}; retrying {}",
          reactorId,
          reason,
          configuration
              ? "every " + opts.configurationRetryMs() + " ms"
              : "every " + opts.backoff().maxMs() + " ms at most");
      publishEvent("warning", "device link of reactor " + reactorId + " cannot connect: " + reason);
    } else {
      LOG.debug("reactor {}: attempt {} failed: {}", reactorId, failedAttempts + 1, reason);
    }
    publishState(st, reason);
    scheduleReconnect(configuration ? opts.configurationRetryMs() : -1);
  }

  private void scheduleReconnect() {
    scheduleReconnect(-1);
  }

  /**
   * @param delayMs fixed delay, or -1 for the next backoff step
   */
  private void scheduleReconnect(long delayMs) {
    if (stopped || reconnectTimer != -1) {
      return;
    }
    long delay =
        delayMs > 0
            ? delayMs
            : opts.backoff()
                .delayMs(failedAttempts++, () -> ThreadLocalRandom.current().nextDouble());
    reconnectTimer = vertx.setTimer(delay, id -> connect());
  }

  private void lost(long gen, String reason) {
    if (stopped || gen != generation || session == null) {
      // An older session, or one still being opened: connected() sees isLost() and treats it as a
      // failed attempt.
      return;
    }
    ReactorSession s = session;
    // Every callback of the lost session is ignored from now on.
    generation++;
    session = null;
    dataStopped = null;
    if (s.lastRequestUnanswered()) {
      // The shared session itself carried no request (timeout, connection gone): every reactor on
      // it
      // loses it. Otherwise (the device answered, for this reactor's node with a communication
      // error,
      // as a gateway does whose PLC behind it is gone) only this reactor's part is dropped.
      s.endSession(reason);
    }
    s.close();
    long nowNanos = opts.clock().nanoTime();
    double heldS = (nowNanos - connectedAtNanos) / 1e9;
    boolean again = lastLossNanos >= 0 && heldS * 1000 < STABLE_MS;
    lastLossNanos = nowNanos;
    outageSince = opts.clock().now();
    failedAttempts = 0;
    loggedFailures.clear();
    String msg =
        "link to reactor " + reactorId + " lost: " + reason + "; values are stale, reconnecting";
    if (!again) {
      LOG.warn(msg);
      publishEvent("warning", msg);
    } else if (!unstable) {
      unstable = true;
      lossesWhileUnstable = 1;
      String unstableMsg =
          String.format(
              java.util.Locale.ROOT,
              "link to reactor %s lost again %.1f s after it was restored (%s): "
                  + "the link is unstable; values are stale while it is down; further losses and restores are not announced "
                  + "until it holds for %d s",
              reactorId,
              heldS,
              reason,
              STABLE_MS / 1000);
      LOG.warn(unstableMsg);
      publishEvent("warning", unstableMsg);
    } else {
      lossesWhileUnstable++;
      LOG.debug(msg);
    }
    publishState(LinkState.State.DISCONNECTED, reason);
    publishStale();
    // The first retry comes quickly: a device that restarts answers within a second.
    scheduleReconnect();
  }

  // ---------------------------------------------------------------- data

  /**
   * The subscription carrying this reactor's items stopped while the session is up; the session
   * re-creates it. Values are stale and writes refused meanwhile (DISCONNECTED with the reason),
   * but the heartbeat goes on: the session carries it, and the device must not put outputs safe for
   * a subscription's hiccup.
   */
  private void dataStopped(long gen, String reason) {
    if (stopped || gen != generation || session == null || dataStopped != null) {
      return;
    }
    dataStopped = reason;
    dataStoppedAtNanos = opts.clock().nanoTime();
    String msg =
        "data of reactor "
            + reactorId
            + " stopped: "
            + reason
            + "; values are stale, the session and heartbeat stay";
    LOG.warn(msg);
    publishEvent("warning", msg);
    publishState(LinkState.State.DISCONNECTED, reason);
    publishStale();
  }

  private void dataRestored(long gen) {
    if (stopped || gen != generation || session == null || dataStopped == null) {
      return;
    }
    dataStopped = null;
    String msg =
        String.format(
            java.util.Locale.ROOT,
            "data of reactor %s flows again after %.1f s: subscription re-created",
            reactorId,
            (opts.clock().nanoTime() - dataStoppedAtNanos) / 1e9);
    LOG.info(msg);
    publishEvent("info", msg);
    publishState(LinkState.State.CONNECTED, connectedReason());
  }

  private void samplesArrived(long gen, List<Sample> samples) {
    if (stopped || gen != generation) {
      return;
    }
    for (Sample s : samples) {
      lastValues.put(s.signalId(), s);
    }
    vertx.eventBus().publish(Addresses.samples(reactorId), new SampleBatch(reactorId, samples));
    batchesPublished.incrementAndGet();
  }

  /** The last values once more, as Bad and stale, so nobody keeps using them as if fresh. */
  private void publishStale() {
    if (lastValues.isEmpty()) {
      return;
    }
    List<Sample> stale = new ArrayList<>(lastValues.size());
    for (Sample s : lastValues.values()) {
      stale.add(SampleConverter.stale(s));
    }
    lastValues.clear();
    vertx.eventBus().publish(Addresses.samples(reactorId), new SampleBatch(reactorId, stale));
  }

  // ---------------------------------------------------------------- commands

  private void onCommand(Message<ActuatorCommand> msg) {
    ActuatorCommand c = msg.body();
    Optional<String> refusal = CommandCheck.refusal(opts.profile(), reactorId, c);
    if (refusal.isPresent()) {
      LOG.debug("reactor {}: refused {}: {}", reactorId, c, refusal.get());
      msg.reply(WriteResult.failed(c, refusal.get()));
      return;
    }
    ReactorSession s = session;
    if (s == null || dataStopped != null) {
      LinkState st = current;
      msg.reply(
          WriteResult.failed(
              c,
              "link to reactor "
                  + reactorId
                  + " is "
                  + st.state()
                  + " ("
                  + st.reason()
                  + "); nothing written"));
      return;
    }
    SignalSpec spec = opts.profile().requireSignal(c.actuatorId());
    Variant raw;
    try {
      raw = DataType.of(spec.dataType()).toVariant(spec.toRaw(c.value()));
    } catch (IllegalArgumentException e) {
      msg.reply(WriteResult.failed(c, c.actuatorId() + ": " + e.getMessage()));
      return;
    }
    NodeId node = s.node(spec.id());
    Future.fromCompletionStage(s.write(node, raw), context)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                msg.reply(
                    WriteResult.failed(
                        c,
                        "write of "
                            + c.actuatorId()
                            + " failed: "
                            + MiloSession.rootMessage(ar.cause())));
              } else if (ar.result().isGood()) {
                msg.reply(WriteResult.ok(c));
              } else {
                msg.reply(
                    WriteResult.failed(
                        c,
                        "the device refused the write of "
                            + c.actuatorId()
                            + ": "
                            + Qualities.name(ar.result())));
              }
            });
  }

  // ---------------------------------------------------------------- heartbeat

  /**
   * Heartbeats failing this many times in a row, on a session that is not lost, are reported: the
   * device's watchdog will put every output safe (and keep doing so), and the operator must know
   * why. A lost link fails a beat or two before the loss is noticed; the loss is reported on its
   * own.
   */
  static final int HEARTBEAT_FAILURES_REPORTED = 3;

  /**
   * Heartbeats nobody answered (timeout, connection or session gone) this many times in a row end
   * the session as lost, whatever Milo's own keep-alive thinks: the link must not sit CONNECTED on
   * a session that cannot carry a write, because the loops would go on "writing" into nothing. This
   * is the backstop behind Milo's session-activity and subscription-watchdog callbacks.
   */
  static final int HEARTBEATS_UNANSWERED_LOST = 3;

  /**
   * Where the counter starts (tests: a few beats before the type's wrap). Call before deploying.
   *
   * @param counter a value the watchdog type holds, as {@link DataType#heartbeatVariant} takes it
   */
  void startHeartbeatAt(long counter) {
    beats = new HeartbeatSequence(counter);
  }

  /**
   * The next counter value to the watchdog node (wrapping at its type's maximum); the device puts
   * outputs safe when it stops changing. Runs on the heartbeat timer and once at connect.
   */
  private Future<Void> heartbeat() {
    ReactorSession s = session;
    if (s == null) {
      return Future.succeededFuture();
    }
    if (unstable && (opts.clock().nanoTime() - connectedAtNanos) / 1_000_000 >= STABLE_MS) {
      unstable = false;
      String msg =
          "link to reactor "
              + reactorId
              + " holds again: connected for "
              + STABLE_MS / 1000
              + " s after "
              + lossesWhileUnstable
              + (lossesWhileUnstable == 1 ? " loss" : " losses")
              + " while unstable";
      LOG.info(msg);
      publishEvent("info", msg);
    }
    WatchdogSpec wd = opts.profile().watchdog();
    if (wd == null) {
      return Future.succeededFuture();
    }
    if (opts.heartbeat() == HeartbeatSource.CONTROLLER
        && (!controllerHeard || System.nanoTime() - controllerAliveUntilNanos >= 0)) {
      withheld();
      return Future.succeededFuture();
    }
    resumed();
    long gen = generation;
    DataType type = DataType.find(wd.dataType()).filter(DataType::holdsHeartbeat).orElse(null);
    if (type == null) {
      // A profile built in code can name a type the checks refuse: say so as loudly as a
      // refused write.
      heartbeatFailures.incrementAndGet();
      heartbeatDone(
          gen,
          "the watchdog's data type '" + wd.dataType() + "' cannot hold a heartbeat counter",
          false,
          true);
      return Future.succeededFuture();
    }
    Promise<Void> written = Promise.promise();
    boolean sent =
        beats.beat(
            type,
            v -> s.write(s.watchdogNode(), v),
            r -> context.runOnContext(x -> r.run()),
            o -> {
              String failure =
                  o.failure() != null
                      ? MiloSession.rootMessage(o.failure())
                      : o.accepted() ? null : Qualities.name(o.status());
              if (failure != null) {
                heartbeatFailures.incrementAndGet();
              }
              boolean unanswered = failure != null && Qualities.unanswered(o.failure(), o.status());
              heartbeatDone(gen, failure, unanswered, false);
              written.complete();
            });
    if (!sent) {
      // The previous beat is still unanswered: a second write in flight could overtake it at a
      // server that serves requests in parallel, and a watchdog that checks that the counter
      // increases would trip. The next beat follows the last value the device accepted.
      heartbeatsSkipped.incrementAndGet();
      skippedTotal().incrementAndGet();
      LOG.debug("reactor {}: heartbeat skipped, the previous write is unanswered", reactorId);
      return Future.succeededFuture();
    }
    return written.future();
  }

  /**
   * A beat not written because the controller has not reported a recent scan. Two beats in a row
   * (not one: a late timer is no news) make one critical event; the device trips after its timeout.
   */
  private void withheld() {
    heartbeatsWithheldInARow++;
    if (withholdReported || heartbeatsWithheldInARow < 2) {
      return;
    }
    withholdReported = true;
    WatchdogSpec wd = opts.profile().watchdog();
    heartbeatWithheldProblem =
        LinkState.HEARTBEAT_WITHHELD + ": the controller's loops have not executed in time";
    String msg =
        (!controllerHeard
                ? "no controller of reactor " + reactorId + " has reported a control scan"
                : "the controller of reactor "
                    + reactorId
                    + " has not executed its loops within a few of their periods")
            + ": heartbeat to "
            + wd.nodeIdFor(opts.nodeIdReactor())
            + " withheld; the device will put its outputs at"
            + " their safe values within "
            + (long) wd.timeoutMs()
            + " ms";
    LOG.error(msg);
    publishEvent("critical", msg);
    republishConnected();
  }

  private void resumed() {
    heartbeatsWithheldInARow = 0;
    if (!withholdReported) {
      return;
    }
    withholdReported = false;
    heartbeatWithheldProblem = null;
    String msg = "the controller of reactor " + reactorId + " runs its loops: heartbeat resumed";
    LOG.info(msg);
    publishEvent("info", msg);
    republishConnected();
  }

  /**
   * Once per run of failures (not per beat) a critical event, and the CONNECTED state's reason says
   * so; once when it works again. {@code now} reports at once (a failure no retry can cure).
   */
  private void heartbeatDone(long gen, String failure, boolean unanswered, boolean now) {
    if (stopped || gen != generation) {
      return;
    }
    heartbeatsUnansweredInARow = unanswered ? heartbeatsUnansweredInARow + 1 : 0;
    if (heartbeatsUnansweredInARow >= HEARTBEATS_UNANSWERED_LOST && session != null) {
      lost(gen, heartbeatsUnansweredInARow + " heartbeats in a row unanswered (" + failure + ")");
      return;
    }
    if (failure == null) {
      heartbeatFailuresInARow = 0;
      if (heartbeatFailing) {
        heartbeatFailing = false;
        heartbeatFailingProblem = null;
        String msg = "heartbeat to the watchdog of reactor " + reactorId + " works again";
        LOG.info(msg);
        publishEvent("info", msg);
        republishConnected();
      }
      return;
    }
    heartbeatFailuresInARow++;
    if (!heartbeatFailing && (now || heartbeatFailuresInARow >= HEARTBEAT_FAILURES_REPORTED)) {
      heartbeatFailing = true;
      String node = opts.profile().watchdog().nodeIdFor(opts.nodeIdReactor());
      heartbeatFailingProblem =
          LinkState.HEARTBEAT_FAILING + ": cannot write " + node + " (" + failure + ")";
      String msg =
          "heartbeat to the watchdog of reactor "
              + reactorId
              + " cannot be written (node "
              + node
              + ": "
              + failure
              + "): the device will put its outputs at their safe values";
      LOG.error(msg);
      publishEvent("critical", msg);
      republishConnected();
    } else {
      LOG.debug("reactor {}: heartbeat write failed: {}", reactorId, failure);
    }
  }

  /**
   * Whether the heartbeat is failing to be written (a run of failures reported and not yet over).
   */
  public boolean heartbeatFailing() {
    return heartbeatFailing;
  }

  private String connectedReason() {
    String r = connectedReason == null ? "connected" : connectedReason;
    if (heartbeatFailingProblem != null) {
      r += "; " + heartbeatFailingProblem;
    }
    if (heartbeatWithheldProblem != null) {
      r += "; " + heartbeatWithheldProblem;
    }
    return r;
  }

  /** The CONNECTED state again, with the heartbeat's news in its reason (only while connected). */
  private void republishConnected() {
    LinkState now = current;
    if (now != null && now.state() == LinkState.State.CONNECTED) {
      publishState(LinkState.State.CONNECTED, connectedReason());
    }
  }

  // ---------------------------------------------------------------- publishing state

  private void publishState(LinkState.State st, String reason) {
    LinkState prev = current;
    if (prev != null && prev.state() == st && prev.reason().equals(reason)) {
      return;
    }
    Instant since = prev != null && prev.state() == st ? prev.since() : opts.clock().now();
    LinkState ls = new LinkState(reactorId, st, since, reason);
    current = ls;
    vertx.eventBus().publish(Addresses.link(reactorId), ls);
  }

  private void publishEvent(String severity, String message) {
    vertx
        .eventBus()
        .publish(
            Addresses.EVENTS,
            new HepaEvent(opts.clock().now(), reactorId, "link", "device-link", severity, message));
  }
}
