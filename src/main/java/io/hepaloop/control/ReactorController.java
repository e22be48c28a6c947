package io.hepaloop.control;

import io.hepaloop.bus.Addresses;
import io.hepaloop.bus.LocalCodec;
import io.hepaloop.bus.HepaEvent;
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
 * The control loops of one reactor as a Vert.x verticle. Everything runs on this verticle's context,
 * so the {@link ReactorControl} inside needs no locks and nothing here blocks:
 *
 * <ul>
 *   <li>consumes {@link SampleBatch} on {@link Addresses#samples} (sensors and actuator read-backs) and
 *       {@link LinkState} on {@link Addresses#link} (disconnected: PVs stale, loops hold; reconnected:
 *       loops continue from the actuator read-backs, bumplessly);
 *   <li>executes each loop on its own periodic timer (period divided by the clock's speed, so an
 *       accelerated simulator and its controller keep step);
 *   <li>sends {@link ActuatorCommand}s to {@link Addresses#commands} as request/reply, at most one in
 *       flight per actuator (a newer value replaces a queued one, so a slow link never builds a backlog);
 *   <li>publishes {@link LoopSnapshot}s on {@link Addresses#control} and {@link HepaEvent}s on
 *       {@link Addresses#EVENTS}; a refused or failed write becomes an event at most once a minute
 *       per actuator (no logging storms).
 * </ul>
 *
 * Human actions come in through {@link #command(ControlCommand)}, which runs on the context too.
 */
public final class ReactorController extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ReactorController.class);
  static final long WRITE_TIMEOUT_MS = 5_000;
  static final double WRITE_FAILURE_EVENT_EVERY_S = 60;

  private final String reactorId;
  private final DeviceProfile profile;
  private final Clock clock;
  private final LoopTiming timing;
  private ReactorControl control;
  private final List<Long> timers = new ArrayList<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final Map<String, Boolean> inFlight = new HashMap<>();
  private final Map<String, ActuatorCommand> queued = new HashMap<>();
  private final Map<String, Long> lastFailureEventNanos = new HashMap<>();
  private final java.util.Set<String> failing = new java.util.HashSet<>();

  public ReactorController(String reactorId, DeviceProfile profile, Clock clock) {
    this(reactorId, profile, clock, LoopTiming.NONE);
  }

  /** @param timing receives each loop's execution time and real period (metrics) */
  public ReactorController(String reactorId, DeviceProfile profile, Clock clock, LoopTiming timing) {
    this.reactorId = reactorId;
    this.profile = profile;
    this.clock = clock;
    this.timing = timing;
  }

  @Override
  public Future<?> start() {
    LocalCodec.registerAll(vertx, ActuatorCommand.class, LoopSnapshot.class, HepaEvent.class);
    control = new ReactorControl(reactorId, profile, clock, this::send, this::publishEvent, this::publishSnapshot);
    var bus = vertx.eventBus();
    MessageConsumer<SampleBatch> samples = bus.localConsumer(Addresses.samples(reactorId), m -> control.onSamples(m.body()));
    MessageConsumer<LinkState> link = bus.localConsumer(Addresses.link(reactorId), m -> control.onLinkState(m.body()));
    consumers.add(samples);
    consumers.add(link);
    for (ControlLoop loop : control.loops()) {
      long periodMs = Math.max(1, Math.round(loop.spec().periodMs() / clock.speed()));
      String id = loop.id();
      long[] previousStart = {0};
      timers.add(vertx.setPeriodic(periodMs, t -> {
        long start = System.nanoTime();
        if (previousStart[0] != 0) {
          timing.period(reactorId, id, start - previousStart[0], periodMs * 1_000_000L);
        }
        previousStart[0] = start;
        executeSafely(id);
        timing.executed(reactorId, id, System.nanoTime() - start);
      }));
    }
    return Future.join(samples.completion(), link.completion());
  }

  @Override
  public Future<?> stop() {
    timers.forEach(vertx::cancelTimer);
    List<Future<Void>> f = new ArrayList<>();
    consumers.forEach(c -> f.add(c.unregister()));
    return Future.join(f);
  }

  private void executeSafely(String loopId) {
    try {
      control.executeLoop(loopId);
      failing.remove(loopId);
    } catch (RuntimeException e) {
      // a bug must not kill the timer of a safety-relevant loop; log the first failure of a run of
      // failures only (no storm at 4 Hz), and tell the operators
      if (failing.add(loopId)) {
        LOG.error("reactor {} loop {} failed to execute (further failures not logged until it runs again)", reactorId, loopId, e);
        publishEvent(new HepaEvent(clock.now(), reactorId, "control", loopId, "critical",
            "Loop " + loopId + " failed to execute: " + e + "; the device watchdog keeps outputs safe if writes stop."));
      }
    }
  }

  /**
   * The one door for setpoint, mode, manual output, tuning and interlock reset; validated against the
   * profile. Safe to call from any thread: the command runs on this reactor's context.
   */
  public Future<CommandResult> command(ControlCommand c) {
    Promise<CommandResult> p = Promise.promise();
    context.runOnContext(v -> {
      try {
        p.complete(control.command(c));
      } catch (RuntimeException e) {
        p.complete(CommandResult.rejected("command failed: " + e.getMessage()));
      }
    });
    return p.future();
  }

  /** Runs {@code action} on the reactor's context with the control core (console/tests read-outs, autotune). */
  public <T> Future<T> withControl(java.util.function.Function<ReactorControl, T> action) {
    Promise<T> p = Promise.promise();
    context.runOnContext(v -> {
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
    vertx.eventBus()
        .<WriteResult>request(Addresses.commands(reactorId), cmd, new DeliveryOptions().setSendTimeout(WRITE_TIMEOUT_MS))
        .onComplete(ar -> {
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
    publishEvent(new HepaEvent(clock.now(), reactorId, "control", cmd.actuatorId(), "warning",
        "Write of " + cmd.actuatorId() + " = " + ReactorControl.fmt(cmd.value()) + " (" + cmd.reason() + ") failed: " + detail
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
