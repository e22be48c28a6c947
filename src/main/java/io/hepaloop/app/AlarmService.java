package io.hepaloop.app;

import io.hepaloop.alarm.Actor;
import io.hepaloop.alarm.AlarmDefinition;
import io.hepaloop.alarm.AlarmEngine;
import io.hepaloop.alarm.AlarmHealth;
import io.hepaloop.alarm.AlarmKind;
import io.hepaloop.alarm.AlarmListener;
import io.hepaloop.alarm.AlarmPriority;
import io.hepaloop.alarm.AlarmState;
import io.hepaloop.alarm.AlarmTransition;
import io.hepaloop.alarm.ClockOffset;
import io.hepaloop.bus.Addresses;
import io.hepaloop.bus.HepaEvent;
import io.hepaloop.control.InterlockChange;
import io.hepaloop.control.LoopSnapshot;
import io.hepaloop.core.Quality;
import io.hepaloop.device.LinkState;
import io.hepaloop.device.Sample;
import io.hepaloop.device.SampleBatch;
import io.hepaloop.recipe.Recipe;
import io.hepaloop.telemetry.OurTracker;
import io.hepaloop.telemetry.Spool;
import io.hepaloop.time.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plant's one alarm engine, as a Vert.x verticle of its own: it listens to what the plant
 * publishes (samples, loop snapshots, link states, interlock changes) and to a periodic tick, runs
 * the {@link AlarmEngine} on its own context (which serialises every call into the single-threaded
 * engine), and delivers each {@link AlarmTransition}:
 *
 * <ul>
 *   <li>on {@link Addresses#ALARM_EVENTS} as the record itself, and on {@link Addresses#EVENTS} as
 *       a {@link HepaEvent} of type {@code alarm} (so telemetry stores it);
 *   <li>to the alarm-system health figures ({@link AlarmHealth}, exported to {@code /metrics});
 *   <li>to notifications ({@link NotificationPlan}: webhooks, mail, escalation), which queue and
 *       return at once;
 *   <li>to the journal ({@link Setup#journal}), which must not block either.
 * </ul>
 *
 * <p>The control path never waits for it: it is a separate context, fed by published messages.
 * Operator actions ({@link #acknowledge} and the others) may be called from any thread; they run on
 * this context and complete with an {@link ActionResult} that names why a refusal happened.
 */
public final class AlarmService extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AlarmService.class);
  public static final Duration DEFAULT_MAX_SHELVE = Duration.ofHours(8);
  public static final Duration DEFAULT_TICK = Duration.ofMillis(500);

  /** How often (control-clock time) a derived OUR is handed to the engine, per reactor. */
  static final Duration OUR_INTERVAL = Duration.ofSeconds(10);

  /**
   * What the plant hands the engine.
   *
   * @param definitions every alarm of every reactor ({@code alarm.ProfileAlarms.definitions})
   * @param maxShelve the longest an operator may shelve an alarm
   * @param tick how often (control-clock time) delays, expiry, re-alarm and escalation advance
   * @param notifications who is told; {@link NotificationPlan#none()} for nobody
   * @param journal receives every transition after the bus, health and notifications (the SQLite
   *     journal, {@code plantstate.AlarmJournal::record}); must not block; null for none
   * @param restored the stored history to bring back (active, acknowledged, shelved alarms) before
   *     the first evaluation; empty for a fresh start
   */
  public record Setup(
      List<AlarmDefinition> definitions,
      Duration maxShelve,
      Duration tick,
      NotificationPlan notifications,
      AlarmListener journal,
      List<AlarmTransition> restored) {
    public Setup {
      definitions = List.copyOf(definitions == null ? List.of() : definitions);
      maxShelve = maxShelve == null ? DEFAULT_MAX_SHELVE : maxShelve;
      tick = tick == null ? DEFAULT_TICK : tick;
      if (tick.isNegative() || tick.isZero()) {
        throw new IllegalArgumentException("alarm tick must be positive, got " + tick);
      }
      notifications = notifications == null ? NotificationPlan.none() : notifications;
      restored = List.copyOf(restored == null ? List.of() : restored);
    }

    public static Setup of(List<AlarmDefinition> definitions) {
      return new Setup(definitions, null, null, null, null, null);
    }

    public Setup withNotifications(NotificationPlan plan) {
      return new Setup(definitions, maxShelve, tick, plan, journal, restored);
    }

    public Setup withJournal(AlarmListener journal) {
      return new Setup(definitions, maxShelve, tick, notifications, journal, restored);
    }

    public Setup withRestored(List<AlarmTransition> restored) {
      return new Setup(definitions, maxShelve, tick, notifications, journal, restored);
    }

    public Setup withTick(Duration tick) {
      return new Setup(definitions, maxShelve, tick, notifications, journal, restored);
    }
  }

  /** Why an operator action was refused. */
  public enum Refusal {
    /** No such alarm on that reactor. */
    UNKNOWN_ALARM,
    /** The actor's role is below what the action needs. */
    ROLE_TOO_LOW,
    /** A required input is missing or out of range (comment, duration). */
    INVALID_REQUEST,
    /** The alarm's state does not allow it (not active, not shelved, not latched ...). */
    NOT_ALLOWED_IN_STATE,
    /** The service is not running. */
    NOT_RUNNING
  }

  /**
   * @param refusal null when done
   * @param detail what happened, or why not, in one sentence
   * @param alarm the alarm after the action (before it, when refused); null for an unknown alarm
   */
  public record ActionResult(boolean done, Refusal refusal, String detail, AlarmView alarm) {}

  /**
   * One alarm as the list shows it.
   *
   * @param since when it entered its state (null: normal since start)
   * @param shelvedUntil when a shelved alarm returns, else null
   * @param last its last transition, or null
   */
  public record AlarmView(
      AlarmDefinition definition,
      AlarmState state,
      Instant since,
      Instant shelvedUntil,
      AlarmTransition last) {}

  /** Health of one reactor's alarms: ISA-18.2 figures plus the unacknowledged count by priority. */
  public record ReactorHealth(
      AlarmHealth.Figures figures, Map<AlarmPriority, Integer> unacknowledged) {}

  /** OUR handed to the engine. */
  public record OurReading(Instant time, double ourNmolPerMin, Quality quality) {}

  /**
   * The values last handed to the engine's heartbeat, telemetry-backlog and OUR inputs.
   *
   * @param oldestUnsentTelemetryAgeS NaN when no telemetry backlog is watched
   */
  public record Inputs(
      Map<String, Boolean> heartbeatFailing,
      double oldestUnsentTelemetryAgeS,
      Map<String, OurReading> our) {}

  private final Map<String, Double> oxygenSolubilityByReactor;
  private final Setup setup;
  private final Clock clock;
  private final AlarmServiceNotifier notifier;
  private final Supplier<Spool.Backlog> telemetryBacklog;

  /** The profile's (with the plant's overrides) definition of each alarm: what NONE restores. */
  private final Map<String, List<AlarmDefinition>> baseByReactor = new LinkedHashMap<>();

  /** Phase alarms handed in before the engine exists, applied at start. */
  private final Map<String, Recipe.PhaseAlarms> pendingPhaseAlarms =
      new java.util.concurrent.ConcurrentHashMap<>();

  // Read and written on this verticle's context once started (a recipe phase changes it).
  private final Map<String, AlarmDefinition> definitionsByKey = new LinkedHashMap<>();
  private final Set<String> reactorIds = new TreeSet<>();

  // --- this verticle's context only ---
  private AlarmEngine engine;
  private AlarmHealth health;
  private final Map<String, AlarmTransition> lastTransition = new HashMap<>();
  private final Map<String, OurTracker> ourTrackers = new HashMap<>();
  private final TelemetryBacklog backlog = new TelemetryBacklog();
  private final Map<String, Boolean> heartbeatFailing = new LinkedHashMap<>();
  private final Map<String, OurReading> lastOur = new LinkedHashMap<>();
  private double lastBacklogAgeS = Double.NaN;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private long tickTimer = -1;

  /** Health figures for the API and {@code /metrics} (gauges read its snapshot, any thread). */
  private final AlarmServiceHealth healthGauges;

  /**
   * Call off any Vert.x context (the notifier's channels take contexts of their own).
   *
   * @param oxygenSolubilityByReactor the reactors, each with α for its OUR (nmol/(mL·mmHg))
   * @param telemetryBacklog the spool's backlog ({@code telemetry.writer().spool()::backlog}), or
   *     null when telemetry is not meant to reach InfluxDB (spool only)
   */
  public AlarmService(
      io.vertx.core.Vertx vertx,
      Map<String, Double> oxygenSolubilityByReactor,
      Setup setup,
      Clock clock,
      MeterRegistry registry,
      Supplier<Spool.Backlog> telemetryBacklog) {
    this.oxygenSolubilityByReactor = Map.copyOf(oxygenSolubilityByReactor);
    this.setup = setup;
    this.clock = clock;
    this.telemetryBacklog = telemetryBacklog;
    reactorIds.addAll(oxygenSolubilityByReactor.keySet());
    for (AlarmDefinition d : setup.definitions()) {
      definitionsByKey.put(key(d.reactorId(), d.id()), d);
      baseByReactor.computeIfAbsent(d.reactorId(), r -> new ArrayList<>()).add(d);
      reactorIds.add(d.reactorId());
    }
    this.notifier =
        setup.notifications().isEmpty()
            ? null
            : new AlarmServiceNotifier(vertx, setup.notifications(), clock, registry);
    this.healthGauges = new AlarmServiceHealth(reactorIds, registry);
  }

  @Override
  public Future<?> start() {
    Codecs.register(vertx);
    health = new AlarmHealth(clock);
    engine =
        new AlarmEngine(
            clock,
            setup.definitions(),
            setup.maxShelve(),
            new AlarmListener() {
              @Override
              public void onTransition(AlarmTransition t) {
                deliver(t);
              }

              @Override
              public void onClockOffset(ClockOffset o) {
                deliverClockOffset(o);
              }
            });
    restoreEngine(setup.restored());
    pendingPhaseAlarms.forEach(this::phaseAlarms);
    pendingPhaseAlarms.clear();
    var bus = vertx.eventBus();
    List<Future<Void>> ready = new ArrayList<>();
    for (String r : reactorIds) {
      Double alpha = oxygenSolubilityByReactor.get(r);
      if (alpha != null) {
        ourTrackers.put(r, new OurTracker(alpha, OUR_INTERVAL, Duration.ofSeconds(10)));
      }
      consumers.add(bus.<SampleBatch>localConsumer(Addresses.samples(r), m -> onSamples(m.body())));
      consumers.add(
          bus.<LoopSnapshot>localConsumer(Addresses.control(r), m -> onSnapshot(m.body())));
      consumers.add(bus.<LinkState>localConsumer(Addresses.link(r), m -> onLinkState(m.body())));
      consumers.add(
          bus.<InterlockChange>localConsumer(
              Addresses.interlocks(r), m -> onInterlockChange(m.body())));
    }
    consumers.forEach(c -> ready.add(c.completion()));
    long periodMs = Math.max(1, Math.round(setup.tick().toMillis() / clock.speed()));
    tickTimer = vertx.setPeriodic(periodMs, t -> tick());
    refreshHealth();
    LOG.info(
        "alarm service: {} alarm(s) on {} reactor(s), tick {} ms",
        definitionsByKey.size(),
        reactorIds.size(),
        periodMs);
    return Future.all(ready);
  }

  /**
   * The alarms as the REST routes see them (after start): every call hops onto this service's
   * context, where the engine lives, and an action naming several alarms is checked whole first.
   */
  public io.hepaloop.api.AlarmAccess access() {
    return new io.hepaloop.api.AlarmEngineAccess(
        context, engine, health, java.util.List.copyOf(reactorIds));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(tickTimer);
    List<Future<Void>> f = new ArrayList<>();
    consumers.forEach(c -> f.add(c.unregister()));
    if (notifier != null) {
      notifier.close();
    }
    return Future.join(f);
  }

  // ---------------------------------------------------------------- inputs (this context)

  private void onSamples(SampleBatch batch) {
    OurTracker our = ourTrackers.get(batch.reactorId());
    for (Sample s : batch.samples()) {
      engine.onSignal(
          s.reactorId(), s.signalId(), s.value(), s.quality(), s.sourceTime(), s.stale());
      if (our != null) {
        OurTracker.Derived d = our.accept(s);
        if (d != null) {
          feedOur(
              batch.reactorId(),
              new OurReading(d.time(), d.result().ourNmolPerMin(), d.result().quality()));
        }
      }
    }
  }

  private void onSnapshot(LoopSnapshot s) {
    engine.onLoop(
        s.reactorId(), s.loopId(), s.mode(), s.setpoint(), s.pv(), s.pvQuality(), s.saturated());
  }

  private void onLinkState(LinkState s) {
    if (s.state() == LinkState.State.STOPPED) {
      return; // stopped on purpose (shutdown): no alarm
    }
    engine.onLink(s.reactorId(), s.state() == LinkState.State.CONNECTED);
    feedHeartbeat(s.reactorId(), s.heartbeatFailing());
  }

  private void onInterlockChange(InterlockChange c) {
    engine.onInterlock(c.reactorId(), c.interlockId(), c.tripped());
  }

  private void tick() {
    engine.tick();
    if (telemetryBacklog != null) {
      Spool.Backlog b = telemetryBacklog.get();
      feedTelemetryBacklog(backlog.sample(clock.nanoTime(), b.nextPoint(), b.pendingPoints()));
    }
    if (notifier != null) {
      notifier.tick();
    }
    refreshHealth();
  }

  // ---- the engine's restore and its heartbeat, backlog and OUR inputs ----

  /**
   * The engine's restore of the journal's last transition per alarm, before the first evaluation.
   */
  private void restoreEngine(List<AlarmTransition> transitions) {
    if (transitions.isEmpty()) {
      return;
    }
    List<String> skipped = engine.restore(transitions);
    LOG.info(
        "alarm service: {} alarm state(s) restored from the journal{}",
        transitions.size() - skipped.size(),
        skipped.isEmpty() ? "" : "; skipped: " + skipped);
  }

  /** Called on each link state. */
  private void feedHeartbeat(String reactorId, boolean failing) {
    heartbeatFailing.put(reactorId, failing);
    engine.onHeartbeat(reactorId, failing);
  }

  /** Called on each tick. */
  private void feedTelemetryBacklog(double oldestUnsentAgeS) {
    lastBacklogAgeS = oldestUnsentAgeS;
    engine.onTelemetryBacklog(oldestUnsentAgeS);
  }

  /**
   * Good OUR readings go to the engine ({@link AlarmKind#OUR_DECLINE}); called every {@link
   * #OUR_INTERVAL} of source time per reactor with OUR (nmol/min) and its quality.
   */
  private void feedOur(String reactorId, OurReading our) {
    lastOur.put(reactorId, our);
    if (our.quality() != null && our.quality().isGood() && Double.isFinite(our.ourNmolPerMin())) {
      engine.onOur(reactorId, our.time(), our.ourNmolPerMin()); // an uncertain OUR is no trend
    }
  }

  // ---------------------------------------------------------------- output (this context)

  private Map<String, ReactorHealth> refreshHealth() {
    return healthGauges.refresh(engine, health, definitionsByKey.values());
  }

  private void deliver(AlarmTransition t) {
    lastTransition.put(key(t.reactorId(), t.alarmId()), t);
    AlarmDefinition d = definitionsByKey.get(key(t.reactorId(), t.alarmId()));
    var bus = vertx.eventBus();
    guarded("bus", () -> bus.publish(Addresses.ALARM_EVENTS, t));
    guarded("bus", () -> bus.publish(Addresses.EVENTS, event(t, d)));
    guarded("health", () -> health.onTransition(t));
    if (notifier != null && d != null) {
      guarded("notifications", () -> notifier.onTransition(t, d));
    }
    if (setup.journal() != null) {
      guarded("journal", () -> setup.journal().onTransition(t));
    }
  }

  /**
   * A device clock beyond (or back within) what its staleness alarm tolerates: one event and one
   * log line per crossing, never per sample.
   */
  private void deliverClockOffset(ClockOffset o) {
    if (o.large()) {
      LOG.warn("alarm service: {}", o.message());
    } else {
      LOG.info("alarm service: {}", o.message());
    }
    guarded("bus", () -> vertx.eventBus().publish(Addresses.EVENTS, event(o)));
  }

  static HepaEvent event(ClockOffset o) {
    return new HepaEvent(
        o.time(), o.reactorId(), "alarm", o.alarmId(), o.large() ? "warning" : "info", o.message());
  }

  /** One failing consumer of transitions must not keep the others from theirs. */
  private static void guarded(String what, Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.error("alarm service: delivering a transition to {} failed", what, e);
    }
  }

  static HepaEvent event(AlarmTransition t, AlarmDefinition d) {
    String severity = "info";
    if (t.to().isActive() && d != null) {
      severity =
          switch (d.priority()) {
            case CRITICAL -> "critical";
            case HIGH, MEDIUM -> "warning";
            case LOW -> "info";
          };
    }
    StringBuilder m =
        new StringBuilder("Alarm ")
            .append(t.alarmId())
            .append(d == null ? "" : " (" + d.priority() + ")")
            .append(": ")
            .append(t.from())
            .append(" → ")
            .append(t.to())
            .append(": ")
            .append(t.message());
    if (t.actor() != null) {
      m.append(" [by ").append(t.actor().name()).append(" (").append(t.actor().role()).append(")");
      if (t.comment() != null) {
        m.append(": ").append(t.comment());
      }
      m.append(']');
    }
    return new HepaEvent(t.time(), t.reactorId(), "alarm", t.alarmId(), severity, m.toString());
  }

  // ---------------------------------------------------------------- recipe phases (any thread)

  /** The reason a phase's suppression shows in the alarm's message. */
  static final String PHASE_SUPPRESSION = "suppressed by the running recipe phase";

  /**
   * Applies a recipe phase's alarm changes to one reactor, without waiting: the work runs on this
   * service's context. Overrides change limit, deadband, delays, priority and re-alarm of the
   * profile's alarms (by id); suppressed alarms go to {@link AlarmState#SUPPRESSED_BY_DESIGN}
   * (shown, not announced); every other alarm of the reactor, and all of them for {@link
   * Recipe.PhaseAlarms#NONE}, returns to its base definition (the profile's with the plant's
   * overrides) and is no longer suppressed by a phase. An alarm active under an old limit is judged
   * against the new one at its next value. Entries naming an alarm the reactor lacks, or values the
   * engine refuses, are logged and leave the base definition in place. Shaped for the run service's
   * {@code PhaseAlarmsSink} ({@code alarms::applyPhaseAlarms}).
   */
  public void applyPhaseAlarms(String reactorId, Recipe.PhaseAlarms alarms) {
    phaseAlarmsApplied(reactorId, alarms);
  }

  /**
   * {@link #applyPhaseAlarms}, completing with the problems left out (tests and callers that wait).
   */
  Future<List<String>> phaseAlarmsApplied(String reactorId, Recipe.PhaseAlarms alarms) {
    Recipe.PhaseAlarms phase = alarms == null ? Recipe.PhaseAlarms.NONE : alarms;
    if (context == null) {
      pendingPhaseAlarms.put(reactorId, phase);
      return Future.succeededFuture(List.of());
    }
    return onContext(e -> phaseAlarms(reactorId, phase));
  }

  private List<String> phaseAlarms(String reactorId, Recipe.PhaseAlarms alarms) {
    List<AlarmDefinition> base = baseByReactor.get(reactorId);
    if (base == null) {
      LOG.warn("alarm service: phase alarms for unknown reactor '{}' ignored", reactorId);
      return List.of("no alarms on reactor '" + reactorId + "'");
    }
    PhaseAlarmDefinitions.Plan plan = PhaseAlarmDefinitions.plan(base, alarms);
    // Suppress first and lift last, so that no alarm announces in between.
    for (String id : plan.suppressed()) {
      if (engine.designSuppression(reactorId, id) == null) {
        engine.suppressByDesign(reactorId, id, PHASE_SUPPRESSION);
      }
    }
    for (AlarmDefinition d : plan.definitions().values()) {
      String k = key(reactorId, d.id());
      if (!d.equals(definitionsByKey.get(k))) {
        definitionsByKey.put(k, d); // before the engine settles: a transition reads the new one
        engine.redefine(d);
      }
    }
    for (AlarmDefinition d : plan.definitions().values()) {
      if (!plan.suppressed().contains(d.id())
          && engine.designSuppression(reactorId, d.id()) != null) {
        engine.suppressByDesign(reactorId, d.id(), null);
      }
    }
    if (!plan.problems().isEmpty()) {
      LOG.warn(
          "alarm service: phase alarms of reactor '{}': {}",
          reactorId,
          String.join("; ", plan.problems()));
    }
    refreshHealth();
    return plan.problems();
  }

  // ---------------------------------------------------------------- actions (any thread)

  public Future<ActionResult> acknowledge(
      String reactorId, String alarmId, Actor actor, String comment) {
    return act(
        reactorId,
        alarmId,
        "acknowledged",
        () -> engine.acknowledge(reactorId, alarmId, actor, comment));
  }

  /** Shelves for {@code duration} (at most {@link Setup#maxShelve}); it returns by itself. */
  public Future<ActionResult> shelve(
      String reactorId, String alarmId, Duration duration, Actor actor, String comment) {
    return act(
        reactorId,
        alarmId,
        "shelved",
        () -> engine.shelve(reactorId, alarmId, duration, actor, comment));
  }

  public Future<ActionResult> unshelve(
      String reactorId, String alarmId, Actor actor, String comment) {
    return act(
        reactorId, alarmId, "unshelved", () -> engine.unshelve(reactorId, alarmId, actor, comment));
  }

  /** Engineer only. */
  public Future<ActionResult> removeFromService(
      String reactorId, String alarmId, Actor actor, String comment) {
    return act(
        reactorId,
        alarmId,
        "taken out of service",
        () -> engine.removeFromService(reactorId, alarmId, actor, comment));
  }

  /** Engineer only. */
  public Future<ActionResult> returnToService(
      String reactorId, String alarmId, Actor actor, String comment) {
    return act(
        reactorId,
        alarmId,
        "returned to service",
        () -> engine.returnToService(reactorId, alarmId, actor, comment));
  }

  /** Releases a latched alarm whose condition has gone. */
  public Future<ActionResult> reset(String reactorId, String alarmId, Actor actor, String comment) {
    return act(reactorId, alarmId, "reset", () -> engine.reset(reactorId, alarmId, actor, comment));
  }

  /** Every defined alarm with its state, in definition order. */
  public Future<List<AlarmView>> alarms() {
    return onContext(
        e -> {
          List<AlarmView> out = new ArrayList<>(definitionsByKey.size());
          for (AlarmDefinition d : definitionsByKey.values()) {
            out.add(view(d));
          }
          return out;
        });
  }

  /** Health per reactor (fresh), also what {@code /metrics} shows. */
  public Future<Map<String, ReactorHealth>> health() {
    return onContext(e -> refreshHealth());
  }

  /** The plant's figures (sums over reactors; flood judged on the sum). */
  public Future<AlarmHealth.Figures> plantHealth() {
    return onContext(e -> health.plant());
  }

  /** What the heartbeat, telemetry-backlog and OUR inputs last received. */
  public Future<Inputs> inputs() {
    return onContext(
        e ->
            new Inputs(
                Map.copyOf(heartbeatFailing), lastBacklogAgeS, Map.copyOf(new HashMap<>(lastOur))));
  }

  /** Runs a tick now (tests on a {@code ManualClock}: advance the clock, then tick). */
  Future<Void> tickNow() {
    return onContext(
        e -> {
          tick();
          return null;
        });
  }

  /** Notifications handed to channels, and alarms still escalating (tests). */
  Future<long[]> notificationCounts() {
    return onContext(
        e -> notifier == null ? new long[2] : new long[] {notifier.sent(), notifier.escalating()});
  }

  private Future<ActionResult> act(String reactorId, String alarmId, String done, Runnable action) {
    if (context == null) {
      return Future.succeededFuture(
          new ActionResult(false, Refusal.NOT_RUNNING, "the alarm service is not running", null));
    }
    return onContext(
        e -> {
          AlarmDefinition d = definitionsByKey.get(key(reactorId, alarmId));
          if (d == null) {
            return new ActionResult(
                false,
                Refusal.UNKNOWN_ALARM,
                "no alarm '" + alarmId + "' on reactor '" + reactorId + "'",
                null);
          }
          Refusal refusal;
          try {
            action.run();
            return new ActionResult(
                true, null, "alarm " + alarmId + " on " + reactorId + " " + done, view(d));
          } catch (SecurityException x) {
            refusal = Refusal.ROLE_TOO_LOW;
            return new ActionResult(false, refusal, x.getMessage(), view(d));
          } catch (IllegalStateException x) {
            refusal = Refusal.NOT_ALLOWED_IN_STATE;
            return new ActionResult(false, refusal, x.getMessage(), view(d));
          } catch (IllegalArgumentException x) {
            refusal = Refusal.INVALID_REQUEST;
            return new ActionResult(false, refusal, x.getMessage(), view(d));
          }
        });
  }

  private <T> Future<T> onContext(Function<AlarmEngine, T> work) {
    if (context == null) {
      return Future.failedFuture("the alarm service is not deployed");
    }
    Promise<T> p = Promise.promise();
    context.runOnContext(
        v -> {
          try {
            p.complete(work.apply(engine));
          } catch (RuntimeException e) {
            p.fail(e);
          }
        });
    return p.future();
  }

  private AlarmView view(AlarmDefinition d) {
    AlarmTransition last = lastTransition.get(key(d.reactorId(), d.id()));
    return new AlarmView(
        d,
        engine.state(d.reactorId(), d.id()),
        last == null ? null : last.time(),
        engine.shelvedUntil(d.reactorId(), d.id()),
        last);
  }

  private static String key(String reactorId, String alarmId) {
    return reactorId + "/" + alarmId;
  }
}
