package io.hepaloop.control;

import io.hepaloop.bus.Addresses;
import io.hepaloop.bus.HepaEvent;
import io.hepaloop.bus.LocalCodec;
import io.hepaloop.device.ActuatorCommand;
import io.hepaloop.device.LinkState;
import io.hepaloop.device.SampleBatch;
import io.hepaloop.device.WriteResult;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control loops of one reactor as a Vert.x verticle. Everything runs on this verticle's
 * context, so the {@link ReactorControl} inside needs no locks and nothing here blocks:
 *
 * <ul>
 *   <li>consumes {@link SampleBatch} on {@link Addresses#samples} (sensors and actuator read-backs)
 *       and {@link LinkState} on {@link Addresses#link} (disconnected: PVs stale, loops hold;
 *       reconnected: loops continue from the actuator read-backs, bumplessly);
 *   <li>executes each loop on its own periodic timer (period divided by the clock's speed, so an
 *       accelerated simulator and its controller keep step);
 *   <li>sends {@link ActuatorCommand}s to {@link Addresses#commands} as request/reply, at most one
 *       in flight per actuator (a newer value replaces a queued one, so a slow link never builds a
 *       backlog);
 *   <li>after each loop execution, publishes on {@link Addresses#controllerAlive} until when every
 *       loop counts as running (executed within {@value #LIVENESS_PERIODS} of its periods): the
 *       device link writes the watchdog heartbeat only until then, so a stalled loop lets the
 *       device put its outputs safe;
 *   <li>publishes {@link LoopSnapshot}s on {@link Addresses#control}, {@link InterlockChange}s on
 *       {@link Addresses#interlocks} and {@link HepaEvent}s on {@link Addresses#EVENTS}; a refused
 *       or failed write becomes an event at most once a minute per actuator (no logging storms).
 * </ul>
 *
 * Human actions come in through {@link #command(ControlCommand)}, which runs on the context too.
 */
public final class ReactorController extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ReactorController.class);
  static final long WRITE_TIMEOUT_MS = 5_000;
  static final double WRITE_FAILURE_EVENT_EVERY_S = 60;

  /** A loop counts as running while it has executed within this many of its periods. */
  static final int LIVENESS_PERIODS = 3;

  /**
   * The shortest liveness window (real time): a loop of an accelerated controller (1 s at speed 60
   * is 17 ms) must not stop the heartbeat at every garbage collection. The device's watchdog
   * timeout comes on top of it.
   */
  static final long MIN_LIVENESS_WINDOW_MS = 500;

  private final String reactorId;
  private final DeviceProfile profile;
  private final Clock clock;
  private final LoopTiming timing;
  private ReactorControl control;
  private List<LoopSettings> restored = List.of();
  private final List<Long> timers = new ArrayList<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final Map<String, Boolean> inFlight = new HashMap<>();
  private final Map<String, ActuatorCommand> queued = new HashMap<>();
  private final Map<String, Long> lastFailureEventNanos = new HashMap<>();
  private final java.util.Set<String> failing = new java.util.HashSet<>();

  /**
   * Per loop (in {@link ReactorControl#loops()} order): last successful execution and liveness
   * window, real nanos.
   */
  private long[] lastExecutedNanos = new long[0];

  private long[] livenessWindowNanos = new long[0];

  /** Loops a test has stalled: their timers fire but do not execute them. */
  private final java.util.Set<String> stalled = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public ReactorController(String reactorId, DeviceProfile profile, Clock clock) {
    this(reactorId, profile, clock, LoopTiming.NONE);
  }

  /**
   * @param timing receives each loop's execution time and real period (metrics)
   */
  public ReactorController(
      String reactorId, DeviceProfile profile, Clock clock, LoopTiming timing) {
    this.reactorId = reactorId;
    this.profile = profile;
    this.clock = clock;
    this.timing = timing;
  }

  /**
   * Loop settings kept from before a restart, applied at start before the loops first execute
   * ({@link ReactorControl#restore}); call before deploying.
   */
  public ReactorController restoring(List<LoopSettings> settings) {
    this.restored = settings == null ? List.of() : List.copyOf(settings);
    return this;
  }

  @Override
  public Future<?> start() {
    LocalCodec.registerAll(
        vertx,
        ActuatorCommand.class,
        LoopSnapshot.class,
        HepaEvent.class,
        InterlockChange.class,
        LoopSettings.class);
    control =
        new ReactorControl(
            reactorId, profile, clock, this::send, this::publishEvent, this::publishSnapshot);
    control.onInterlockChange(c -> vertx.eventBus().publish(Addresses.interlocks(reactorId), c));
    control.onLoopSettingsChange(
        s -> vertx.eventBus().publish(Addresses.loopSettings(reactorId), s));
    try {
      control.restore(restored);
    } catch (RuntimeException e) {
      // kept settings that cannot be applied must not keep the loops from running
      LOG.error("reactor {}: restoring the kept loop settings failed", reactorId, e);
      publishEvent(
          new HepaEvent(
              clock.now(),
              reactorId,
              "control",
              "loop-settings",
              "warning",
              "Kept loop settings not (all) restored: " + e + "; the profile's values apply."));
    }
    var bus = vertx.eventBus();
    MessageConsumer<SampleBatch> samples =
        bus.localConsumer(Addresses.samples(reactorId), m -> control.onSamples(m.body()));
    MessageConsumer<LinkState> link =
        bus.localConsumer(
            Addresses.link(reactorId),
            m -> {
              control.onLinkState(m.body());
              if (m.body().state() == LinkState.State.CONNECTED) {
                signalAlive(); // a link that started after us hears at once whether the loops run
              }
            });
    consumers.add(samples);
    consumers.add(link);
    List<ControlLoop> loops = control.loops();
    lastExecutedNanos = new long[loops.size()];
    livenessWindowNanos = new long[loops.size()];
    long now = System.nanoTime();
    for (int i = 0; i < loops.size(); i++) {
      ControlLoop loop = loops.get(i);
      long periodMs = Math.max(1, Math.round(loop.spec().periodMs() / clock.speed()));
      String id = loop.id();
      int index = i;
      lastExecutedNanos[i] = now; // due within its periods from now
      livenessWindowNanos[i] =
          Math.max(LIVENESS_PERIODS * periodMs, MIN_LIVENESS_WINDOW_MS) * 1_000_000L;
      long[] previousStart = {0};
      timers.add(
          vertx.setPeriodic(
              periodMs,
              t -> {
                if (stalled.contains(id)) {
                  return;
                }
                long start = System.nanoTime();
                if (previousStart[0] != 0) {
                  timing.period(reactorId, id, start - previousStart[0], periodMs * 1_000_000L);
                }
                previousStart[0] = start;
                if (executeSafely(id)) {
                  lastExecutedNanos[index] = System.nanoTime();
                  signalAlive();
                }
                timing.executed(reactorId, id, System.nanoTime() - start);
              }));
    }
    if (loops.isEmpty() && profile.watchdog() != null) {
      // Actuators but no loops (interlocks or manual outputs only): the scan is this timer.
      long scanMs = Math.max(1, Math.round(profile.watchdog().intervalMs()));
      timers.add(vertx.setPeriodic(scanMs, t -> signalAlive()));
    }
    signalAlive();
    return Future.join(samples.completion(), link.completion());
  }

  @Override
  public Future<?> stop() {
    timers.forEach(vertx::cancelTimer);
    List<Future<Void>> f = new ArrayList<>();
    consumers.forEach(c -> f.add(c.unregister()));
    return Future.join(f);
  }

  /**
   * Tells the device link until when this controller counts as alive: the earliest deadline of its
   * loops (each loop's last successful execution plus {@value #LIVENESS_PERIODS} periods). A loop
   * that throws, or whose timer stops, pulls the deadline in; the link stops the heartbeat after
   * it.
   */
  private void signalAlive() {
    long until;
    if (lastExecutedNanos.length == 0) {
      long scanMs = profile.watchdog() == null ? 1000 : Math.round(profile.watchdog().intervalMs());
      until =
          System.nanoTime()
              + Math.max(LIVENESS_PERIODS * scanMs, MIN_LIVENESS_WINDOW_MS) * 1_000_000L;
    } else {
      until = lastExecutedNanos[0] + livenessWindowNanos[0];
      for (int i = 1; i < lastExecutedNanos.length; i++) {
        long u = lastExecutedNanos[i] + livenessWindowNanos[i];
        if (u - until < 0) {
          until = u;
        }
      }
    }
    vertx.eventBus().publish(Addresses.controllerAlive(reactorId), until);
  }

  /**
   * Test hook: a stalled loop's timer keeps firing but the loop does not execute, as when its
   * execution hangs or its timer is lost. Any thread.
   */
  void stall(String loopId, boolean stall) {
    if (stall) {
      stalled.add(loopId);
    } else {
      stalled.remove(loopId);
    }
  }

  /**
   * @return whether the loop executed (a failure is logged once per run of failures)
   */
  private boolean executeSafely(String loopId) {
    try {
      control.executeLoop(loopId);
      failing.remove(loopId);
      return true;
    } catch (RuntimeException e) {
      // a bug must not kill the timer of a safety-relevant loop; log the first failure of a run of
      // failures only (no storm at 4 Hz), and tell the operators
      if (failing.add(loopId)) {
        LOG.error(
            "reactor {} loop {} failed to execute (further failures not logged until it runs again)",
            reactorId,
            loopId,
            e);
        publishEvent(
            new HepaEvent(
                clock.now(),
                reactorId,
                "control",
                loopId,
                "critical",
                "Loop "
                    + loopId
                    + " failed to execute: "
                    + e
                    + "; the heartbeat stops after "
                    + LIVENESS_PERIODS
                    + " of its periods and the device watchdog puts the outputs safe."));
      }
      return false;
    }
  }

  /**
   * The one door for setpoint, mode, manual output, tuning and interlock reset; validated against
   * the profile. Safe to call from any thread: the command runs on this reactor's context.
   */
  public Future<CommandResult> command(ControlCommand c) {
    Promise<CommandResult> p = Promise.promise();
    context.runOnContext(
        v -> {
          try {
            p.complete(control.command(c));
          } catch (RuntimeException e) {
            p.complete(CommandResult.rejected("command failed: " + e.getMessage()));
          }
        });
    return p.future();
  }

  /**
   * Runs {@code action} on the reactor's context with the control core (console/tests read-outs,
   * autotune).
   */
  public <T> Future<T> withControl(java.util.function.Function<ReactorControl, T> action) {
    Promise<T> p = Promise.promise();
    context.runOnContext(
        v -> {
          try {
            p.complete(action.apply(control));
          } catch (RuntimeException e) {
            p.fail(e);
          }
        });
    return p.future();
  }

  private void send(String actuatorId, double value, String reason) {
    ActuatorCommand cmd = new ActuatorCommand(reactorId, actuatorId, value, reason);
    if (Boolean.TRUE.equals(inFlight.get(actuatorId))) {
      queued.put(actuatorId, cmd); // newest value wins; sent when the write in flight completes
      return;
    }
    dispatch(cmd);
  }

  private void dispatch(ActuatorCommand cmd) {
    inFlight.put(cmd.actuatorId(), true);
    vertx
        .eventBus()
        .<WriteResult>request(
            Addresses.commands(reactorId),
            cmd,
            new DeliveryOptions().setSendTimeout(WRITE_TIMEOUT_MS))
        .onComplete(
            ar -> {
              inFlight.put(cmd.actuatorId(), false);
              if (ar.failed()) {
                writeFailed(cmd, ar.cause().getMessage());
              } else if (!ar.result().body().ok()) {
                writeFailed(cmd, ar.result().body().detail());
              }
              ActuatorCommand next = queued.remove(cmd.actuatorId());
              if (next != null) {
                dispatch(next);
              }
            });
  }

  private void writeFailed(ActuatorCommand cmd, String detail) {
    long now = clock.nanoTime();
    Long last = lastFailureEventNanos.get(cmd.actuatorId());
    if (last != null && (now - last) / 1e9 < WRITE_FAILURE_EVENT_EVERY_S) {
      return;
    }
    lastFailureEventNanos.put(cmd.actuatorId(), now);
    publishEvent(
        new HepaEvent(
            clock.now(),
            reactorId,
            "control",
            cmd.actuatorId(),
            "warning",
            "Write of "
                + cmd.actuatorId()
                + " = "
                + ReactorControl.fmt(cmd.value())
                + " ("
                + cmd.reason()
                + ") failed: "
                + detail
                + " (further failures of this actuator are reported at most once a minute)"));
  }

  private void publishEvent(HepaEvent e) {
    vertx.eventBus().publish(Addresses.EVENTS, e);
  }

  private void publishSnapshot(LoopSnapshot s) {
    vertx.eventBus().publish(Addresses.control(reactorId), s);
  }

  public String reactorId() {
    return reactorId;
  }
}
