package io.hepaloop.alarm;

import io.hepaloop.alarm.Actor.Role;
import io.hepaloop.core.Quality;
import io.hepaloop.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates alarm definitions against what the plant reports and runs their lifecycle, on the
 * control clock.
 *
 * <p>It runs beside the control loop, so an evaluation never blocks, logs or allocates: the
 * definitions are indexed once by reactor and source, lookups use the caller's strings, and the
 * only objects made are the {@link AlarmTransition}s handed to the listener. Call {@link #tick()}
 * periodically (e.g. once per control period): on-/off-delays, shelve expiry, re-alarm, staleness
 * and saturation length advance only on an evaluation or a tick.
 *
 * <p>Not thread-safe: feed it, act on it and query it from one thread (the control context).
 * Operator actions are refused with {@link IllegalArgumentException} (bad input, unknown alarm),
 * {@link SecurityException} (role too low) or {@link IllegalStateException} (the alarm's state does
 * not allow it); a refused action changes nothing.
 */
public final class AlarmEngine {
  private final Clock clock;
  private final long maxShelveNanos;
  private final Duration maxShelve;
  private final AlarmSlot[] slots;
  private final Map<String, Map<String, AlarmSlot>> byId = new HashMap<>();
  private final Map<String, Map<String, AlarmSlot[]>> bySignal = new HashMap<>();
  private final Map<String, Map<String, AlarmSlot[]>> byLoop = new HashMap<>();
  private final Map<String, Map<String, AlarmSlot[]>> bySuppressingLoop = new HashMap<>();
  private final Map<String, Map<String, AlarmSlot[]>> byInterlock = new HashMap<>();
  private final Map<String, AlarmSlot[]> byLink = new HashMap<>();
  private final Map<String, AlarmSlot[]> byHeartbeat = new HashMap<>();
  private final Map<String, AlarmSlot[]> byOur = new HashMap<>();
  private final AlarmSlot[] spool;

  /**
   * Epoch nanoseconds minus {@link Clock#nanoTime()}, to compare source times with arrival (the
   * device clock's offset) and place OUR readings; refreshed by a tick at most once a second of
   * clock time, so that ticks, like evaluations, allocate nothing.
   */
  private long wallOffsetNanos;

  private long wallOffsetReadAtNanos;

  private final AlarmListener listener;
  private long listenerFailures;
  private RuntimeException lastListenerFailure;

  /**
   * @param maxShelve the longest an operator may shelve an alarm
   * @param listener receives every transition, on the caller's thread; must not block
   */
  public AlarmEngine(
      Clock clock, List<AlarmDefinition> definitions, Duration maxShelve, AlarmListener listener) {
    if (clock == null || definitions == null || listener == null) {
      throw new IllegalArgumentException("clock, definitions and listener are required");
    }
    if (maxShelve == null || maxShelve.isNegative() || maxShelve.isZero()) {
      throw new IllegalArgumentException("maxShelve must be a positive duration, got " + maxShelve);
    }
    this.clock = clock;
    this.maxShelve = maxShelve;
    this.maxShelveNanos = maxShelve.toNanos();
    this.slots = new AlarmSlot[definitions.size()];
    AlarmListener guarded =
        new AlarmListener() {
          @Override
          public void onTransition(AlarmTransition t) {
            deliver(t);
          }

          @Override
          public void onClockOffset(ClockOffset o) {
            deliverClockOffset(o);
          }
        };
    this.listener = listener;
    Map<String, Map<String, List<AlarmSlot>>> signals = new LinkedHashMap<>();
    Map<String, Map<String, List<AlarmSlot>>> loops = new LinkedHashMap<>();
    Map<String, Map<String, List<AlarmSlot>>> suppressing = new LinkedHashMap<>();
    Map<String, Map<String, List<AlarmSlot>>> interlocks = new LinkedHashMap<>();
    Map<String, Map<String, List<AlarmSlot>>> links = new LinkedHashMap<>();
    Map<String, Map<String, List<AlarmSlot>>> heartbeats = new LinkedHashMap<>();
    Map<String, Map<String, List<AlarmSlot>>> ours = new LinkedHashMap<>();
    List<AlarmSlot> spools = new ArrayList<>();
    for (int i = 0; i < slots.length; i++) {
      AlarmDefinition d = definitions.get(i);
      if (d == null) {
        throw new IllegalArgumentException("definition " + i + " is null");
      }
      AlarmSlot slot = new AlarmSlot(d, clock, guarded);
      slots[i] = slot;
      if (byId.computeIfAbsent(d.reactorId(), r -> new HashMap<>()).putIfAbsent(d.id(), slot)
          != null) {
        throw new IllegalArgumentException(
            "alarm '" + d.id() + "' is defined twice for reactor '" + d.reactorId() + "'");
      }
      Map<String, Map<String, List<AlarmSlot>>> index =
          switch (d.kind()) {
            case LINK_LOST -> links;
            case INTERLOCK_TRIPPED -> interlocks;
            case DEVIATION, LOOP_SATURATED -> loops;
            case HEARTBEAT_FAILING -> heartbeats;
            case OUR_DECLINE -> ours;
            case SPOOL_GROWING -> null;
            default -> signals;
          };
      if (index == null) {
        spools.add(slot);
      } else {
        add(index, d.reactorId(), d.kind().needsSource() ? d.source() : "", slot);
      }
      if (d.suppression() != null) {
        add(suppressing, d.reactorId(), d.suppression().loopId(), slot);
      }
    }
    freeze(signals, bySignal);
    freeze(loops, byLoop);
    freeze(suppressing, bySuppressingLoop);
    freeze(interlocks, byInterlock);
    links.forEach((reactor, m) -> byLink.put(reactor, m.get("").toArray(AlarmSlot[]::new)));
    heartbeats.forEach(
        (reactor, m) -> byHeartbeat.put(reactor, m.get("").toArray(AlarmSlot[]::new)));
    ours.forEach((reactor, m) -> byOur.put(reactor, m.get("").toArray(AlarmSlot[]::new)));
    this.spool = spools.toArray(AlarmSlot[]::new);
    this.wallOffsetNanos = AlarmSlot.epochNanos(clock.now()) - clock.nanoTime();
    this.wallOffsetReadAtNanos = clock.nanoTime();
  }

  // ---- evaluations (the plant reports) ----

  /** A fresh signal sample, arrived now; {@code sourceTime} is the device's timestamp or null. */
  public void onSignal(
      String reactorId, String signalId, double value, Quality quality, Instant sourceTime) {
    onSignal(reactorId, signalId, value, quality, sourceTime, false);
  }

  /**
   * A signal sample, arrived now (the controller's clock: what {@link
   * AlarmKind#BAD_QUALITY_OR_STALE} judges the age on). {@code sourceTime} is the device's
   * timestamp (null: none); it is compared with the arrival only to see whether the device's clock
   * is off ({@link AlarmListener#onClockOffset}). {@code stale}: the link re-publishes the last
   * value after a loss ({@code device.Sample#stale}); it is not fresh and does not make the signal
   * younger.
   */
  public void onSignal(
      String reactorId,
      String signalId,
      double value,
      Quality quality,
      Instant sourceTime,
      boolean stale) {
    AlarmSlot[] found = find(bySignal, reactorId, signalId);
    if (found == null) {
      return;
    }
    long now = clock.nanoTime();
    long wallNow = now + wallOffsetNanos;
    boolean sourceKnown = sourceTime != null;
    long source = sourceKnown ? AlarmSlot.epochNanos(sourceTime) : wallNow;
    Quality q = quality == null ? Quality.BAD : quality;
    for (AlarmSlot s : found) {
      s.signal(value, q, sourceKnown, source, stale, now, wallNow);
      s.settle(null, null, null);
    }
  }

  /** A loop snapshot: its mode (by name), working setpoint, PV and whether its output saturates. */
  public void onLoop(
      String reactorId,
      String loopId,
      String mode,
      double setpoint,
      double pv,
      Quality pvQuality,
      boolean saturated) {
    long now = clock.nanoTime();
    AlarmSlot[] suppressed = find(bySuppressingLoop, reactorId, loopId);
    if (suppressed != null) {
      for (AlarmSlot s : suppressed) {
        s.suppress(mode != null && mode.equalsIgnoreCase(s.def.suppression().mode()));
        s.settle(null, null, null);
      }
    }
    AlarmSlot[] found = find(byLoop, reactorId, loopId);
    if (found != null) {
      Quality q = pvQuality == null ? Quality.BAD : pvQuality;
      for (AlarmSlot s : found) {
        s.loop(setpoint, pv, q, saturated, now);
        s.settle(null, null, null);
      }
    }
  }

  /** The reactor's device link went up or down. */
  public void onLink(String reactorId, boolean up) {
    AlarmSlot[] found = reactorId == null ? null : byLink.get(reactorId);
    if (found == null) {
      return;
    }
    long now = clock.nanoTime();
    for (AlarmSlot s : found) {
      s.link(up, now);
      s.settle(null, null, null);
    }
  }

  /** An interlock tripped or cleared. */
  public void onInterlock(String reactorId, String interlockId, boolean tripped) {
    AlarmSlot[] found = find(byInterlock, reactorId, interlockId);
    if (found == null) {
      return;
    }
    long now = clock.nanoTime();
    for (AlarmSlot s : found) {
      s.interlock(tripped, now);
      s.settle(null, null, null);
    }
  }

  /**
   * Whether the reactor's device link can write its watchdog heartbeat ({@link
   * AlarmKind#HEARTBEAT_FAILING}); report every change, or on every heartbeat attempt.
   */
  public void onHeartbeat(String reactorId, boolean failing) {
    AlarmSlot[] found = reactorId == null ? null : byHeartbeat.get(reactorId);
    if (found == null) {
      return;
    }
    long now = clock.nanoTime();
    for (AlarmSlot s : found) {
      s.heartbeat(failing, now);
      s.settle(null, null, null);
    }
  }

  /**
   * Plant-wide telemetry backlog: the age of the oldest point not yet in InfluxDB, seconds (0 when
   * InfluxDB has everything). Feeds every {@link AlarmKind#SPOOL_GROWING} definition of every
   * reactor.
   */
  public void onTelemetryBacklog(double oldestUnsentAgeS) {
    long now = clock.nanoTime();
    for (AlarmSlot s : spool) {
      s.backlog(oldestUnsentAgeS, now);
      s.settle(null, null, null);
    }
  }

  /**
   * The reactor's oxygen uptake rate ({@code OurTracker} / {@code OxygenUptake}, nmol/min), arrived
   * now, for {@link AlarmKind#OUR_DECLINE}. {@code time} is the device's time of the reading (null:
   * none); the window places readings by their arrival on the controller's clock whatever it says,
   * as staleness does, so a device clock that is off or jumps cannot blind the alarm. Non-finite
   * values are ignored.
   */
  public void onOur(String reactorId, Instant time, double ourNmolPerMin) {
    AlarmSlot[] found = reactorId == null ? null : byOur.get(reactorId);
    if (found == null) {
      return;
    }
    // placed by its arrival on the controller's clock, as staleness is: a device clock that jumps
    // back would stop the window's buckets closing until the device's time caught up
    long now = clock.nanoTime();
    for (AlarmSlot s : found) {
      s.our(ourNmolPerMin, now, now);
      s.settle(null, null, null);
    }
  }

  /** Advances everything that depends on time alone: delays, expiry, re-alarm, staleness. */
  public void tick() {
    long now = clock.nanoTime();
    if (now - wallOffsetReadAtNanos >= 1_000_000_000L) {
      wallOffsetNanos = AlarmSlot.epochNanos(clock.now()) - clock.nanoTime();
      wallOffsetReadAtNanos = now;
    }
    for (AlarmSlot s : slots) {
      s.elapse(now);
      s.settle(null, null, null);
    }
  }

  // ---- operator actions ----

  public void acknowledge(String reactorId, String alarmId, Actor actor, String comment) {
    slot(reactorId, alarmId, actor, Role.OPERATOR, comment, "acknowledge")
        .acknowledge(actor, comment);
  }

  /** Hides the alarm for {@code duration} (at most the engine's maximum); it returns by itself. */
  public void shelve(
      String reactorId, String alarmId, Duration duration, Actor actor, String comment) {
    AlarmSlot s = slot(reactorId, alarmId, actor, Role.OPERATOR, comment, "shelve");
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("shelve duration must be positive, got " + duration);
    }
    if (duration.compareTo(maxShelve) > 0) {
      throw new IllegalArgumentException(
          "shelve duration " + duration + " exceeds the maximum of " + maxShelve);
    }
    s.shelve(clock.nanoTime() + Math.min(duration.toNanos(), maxShelveNanos), actor, comment);
  }

  public void unshelve(String reactorId, String alarmId, Actor actor, String comment) {
    slot(reactorId, alarmId, actor, Role.OPERATOR, comment, "unshelve").unshelve(actor, comment);
  }

  /** Engineer only. */
  public void removeFromService(String reactorId, String alarmId, Actor actor, String comment) {
    slot(reactorId, alarmId, actor, Role.ENGINEER, comment, "take out of service")
        .removeFromService(actor, comment);
  }

  /** Engineer only. */
  public void returnToService(String reactorId, String alarmId, Actor actor, String comment) {
    slot(reactorId, alarmId, actor, Role.ENGINEER, comment, "return to service")
        .returnToService(actor, comment);
  }

  /** Releases a latched alarm whose condition has returned to normal. */
  public void reset(String reactorId, String alarmId, Actor actor, String comment) {
    slot(reactorId, alarmId, actor, Role.OPERATOR, comment, "reset").reset(actor, comment);
  }

  // ---- a recipe phase's changes ----

  /**
   * Replaces an alarm's limit, deadband, delays, priority and re-alarm while the lifecycle state
   * stays (a recipe phase's override, or the profile's definition back). An alarm active under the
   * old limit is judged against the new one at its next value, without the old hysteresis; delays
   * count from the change. Only these fields may differ: id, reactor, kind, source, latch,
   * suppression, rationale, window and horizon must be the definition's own.
   *
   * @throws IllegalArgumentException naming the alarm, when it is unknown or a fixed field differs
   */
  public void redefine(AlarmDefinition next) {
    if (next == null) {
      throw new IllegalArgumentException("a definition is required");
    }
    AlarmSlot s = slot(next.reactorId(), next.id());
    AlarmDefinition d = s.def;
    if (d.kind() != next.kind()
        || !java.util.Objects.equals(d.source(), next.source())
        || d.latched() != next.latched()
        || !java.util.Objects.equals(d.suppression(), next.suppression())
        || !java.util.Objects.equals(d.rationale(), next.rationale())
        || d.windowS() != next.windowS()
        || d.horizonS() != next.horizonS()) {
      throw new IllegalArgumentException(
          "alarm '"
              + d.id()
              + "' of reactor '"
              + d.reactorId()
              + "': only limit, deadband, delays, priority and re-alarm may change at run time");
    }
    s.redefine(next);
    s.settle(null, null, null);
  }

  /**
   * Suppresses an alarm by design for {@code reason} (e.g. "recipe phase attachment"), or lifts
   * that suppression when {@code reason} is null. It is shown as {@link
   * AlarmState#SUPPRESSED_BY_DESIGN}, never announced while suppressed, and on release takes the
   * state its process condition implies, like the definition's own loop-mode suppression (which
   * holds independently).
   *
   * @throws IllegalArgumentException for an unknown alarm
   */
  public void suppressByDesign(String reactorId, String alarmId, String reason) {
    AlarmSlot s = slot(reactorId, alarmId);
    s.suppressForPhase(reason == null || reason.isBlank() ? null : reason);
    s.settle(null, null, null);
  }

  /** Why an alarm is suppressed by {@link #suppressByDesign}, or null. */
  public String designSuppression(String reactorId, String alarmId) {
    return slot(reactorId, alarmId).phaseSuppression();
  }

  // ---- restart ----

  /**
   * Puts each alarm back into the lifecycle state of its last stored transition, after a restart,
   * without announcing anything (the listener hears nothing): acknowledged or unacknowledged active
   * (with who acknowledged), returned to normal unacknowledged, shelved until the time named in the
   * shelve message ("... until 2026-01-01T08:00:00Z"; a time already past expires at the next
   * {@link #tick()}, with its ordinary "shelve expired" transition), out of service, suppressed by
   * design (until the next loop snapshot says otherwise), and latched (an active latched alarm
   * holds its latch until reset). The process side restarts from the stored state: an active alarm
   * stays active until new values clear it through the off-delay. Call it once, before the first
   * values.
   *
   * @param lastTransitionPerAlarm the newest stored transition of each alarm (later ones win)
   * @return "reactor/alarm" of each transition skipped because no such alarm is defined any more
   *     (or because it was malformed, e.g. a shelve without its end time), with the reason
   */
  public List<String> restore(List<AlarmTransition> lastTransitionPerAlarm) {
    List<String> skipped = new ArrayList<>();
    if (lastTransitionPerAlarm == null) {
      return skipped;
    }
    long now = clock.nanoTime();
    Instant wallNow = clock.now();
    for (AlarmTransition t : lastTransitionPerAlarm) {
      if (t == null || t.to() == null || t.time() == null) {
        skipped.add("(null): incomplete transition " + t);
        continue;
      }
      Map<String, AlarmSlot> reactor = t.reactorId() == null ? null : byId.get(t.reactorId());
      AlarmSlot s = reactor == null || t.alarmId() == null ? null : reactor.get(t.alarmId());
      String name = t.reactorId() + "/" + t.alarmId();
      if (s == null) {
        skipped.add(name + ": no such alarm defined any more");
        continue;
      }
      long at = now + Duration.between(wallNow, t.time()).toNanos();
      long until = 0;
      if (t.to() == AlarmState.SHELVED) {
        Instant end = shelveEnd(t.message());
        if (end == null) {
          skipped.add(name + ": shelved, but its message names no end ('until <instant>')");
          continue;
        }
        Duration left = Duration.between(wallNow, end);
        until = now + Math.min(left.toNanos(), maxShelveNanos);
      }
      String actor = t.actor() == null ? null : t.actor().name();
      s.restore(t.to(), at, actor, t.comment(), until, t.value(), t.message());
    }
    return skipped;
  }

  private static Instant shelveEnd(String message) {
    if (message == null) {
      return null;
    }
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("until (\\S+?)[:;,]?(\\s|$)").matcher(message);
    while (m.find()) {
      try {
        return Instant.parse(m.group(1));
      } catch (java.time.format.DateTimeParseException e) {
        // not an instant; look further
      }
    }
    return null;
  }

  // ---- queries ----

  /** Every alarm of the plant as the API shows it, in definition order. */
  public List<AlarmView> alarms() {
    long now = clock.nanoTime();
    Instant wall = clock.now();
    List<AlarmView> out = new ArrayList<>(slots.length);
    for (AlarmSlot s : slots) {
      out.add(s.view(now, wall));
    }
    return out;
  }

  /** The alarms of one reactor (empty for an unknown reactor), in definition order. */
  public List<AlarmView> alarms(String reactorId) {
    long now = clock.nanoTime();
    Instant wall = clock.now();
    List<AlarmView> out = new ArrayList<>();
    for (AlarmSlot s : slots) {
      if (s.def.reactorId().equals(reactorId)) {
        out.add(s.view(now, wall));
      }
    }
    return out;
  }

  /** The longest an operator may shelve an alarm. */
  public Duration maxShelve() {
    return maxShelve;
  }

  /** One alarm as the API shows it. */
  public AlarmView alarm(String reactorId, String alarmId) {
    return slot(reactorId, alarmId).view(clock.nanoTime(), clock.now());
  }

  /**
   * How many times the listener threw. A failing listener must not stop the engine (nor the control
   * loop beside it): the state change stands, the failure is counted here for health and logs.
   */
  public long listenerFailures() {
    return listenerFailures;
  }

  /** The listener's last failure, or null. */
  public RuntimeException lastListenerFailure() {
    return lastListenerFailure;
  }

  public AlarmState state(String reactorId, String alarmId) {
    return slot(reactorId, alarmId).state();
  }

  /** When a shelved alarm comes back, or null if it is not shelved. */
  public Instant shelvedUntil(String reactorId, String alarmId) {
    AlarmSlot s = slot(reactorId, alarmId);
    return s.isShelved() ? clock.now().plusNanos(s.shelvedUntilNanos() - clock.nanoTime()) : null;
  }

  public AlarmDefinition definition(String reactorId, String alarmId) {
    return slot(reactorId, alarmId).def;
  }

  public List<AlarmDefinition> definitions() {
    List<AlarmDefinition> out = new ArrayList<>(slots.length);
    for (AlarmSlot s : slots) {
      out.add(s.def);
    }
    return out;
  }

  private void deliver(AlarmTransition t) {
    try {
      listener.onTransition(t);
    } catch (RuntimeException e) {
      listenerFailures++;
      lastListenerFailure = e;
    }
  }

  private void deliverClockOffset(ClockOffset o) {
    try {
      listener.onClockOffset(o);
    } catch (RuntimeException e) {
      listenerFailures++;
      lastListenerFailure = e;
    }
  }

  private AlarmSlot slot(
      String reactorId, String alarmId, Actor actor, Role needed, String comment, String verb) {
    AlarmSlot s = slot(reactorId, alarmId);
    if (actor == null) {
      throw new IllegalArgumentException("an actor is required to " + verb + " an alarm");
    }
    if (!actor.role().atLeast(needed)) {
      throw new SecurityException(
          actor.name()
              + " ("
              + actor.role()
              + ") may not "
              + verb
              + " an alarm; that needs the "
              + needed
              + " role");
    }
    if (comment == null || comment.isBlank()) {
      throw new IllegalArgumentException("a comment is required to " + verb + " an alarm");
    }
    return s;
  }

  private AlarmSlot slot(String reactorId, String alarmId) {
    Map<String, AlarmSlot> reactor = reactorId == null ? null : byId.get(reactorId);
    AlarmSlot s = reactor == null || alarmId == null ? null : reactor.get(alarmId);
    if (s == null) {
      throw new IllegalArgumentException(
          "no alarm '" + alarmId + "' on reactor '" + reactorId + "'");
    }
    return s;
  }

  private static AlarmSlot[] find(
      Map<String, Map<String, AlarmSlot[]>> index, String reactorId, String sourceId) {
    if (reactorId == null || sourceId == null) {
      return null;
    }
    Map<String, AlarmSlot[]> reactor = index.get(reactorId);
    return reactor == null ? null : reactor.get(sourceId);
  }

  private static void add(
      Map<String, Map<String, List<AlarmSlot>>> index,
      String reactorId,
      String sourceId,
      AlarmSlot slot) {
    index
        .computeIfAbsent(reactorId, r -> new LinkedHashMap<>())
        .computeIfAbsent(sourceId, k -> new ArrayList<>())
        .add(slot);
  }

  private static void freeze(
      Map<String, Map<String, List<AlarmSlot>>> from, Map<String, Map<String, AlarmSlot[]>> to) {
    from.forEach(
        (reactor, m) -> {
          Map<String, AlarmSlot[]> frozen = new HashMap<>();
          m.forEach((source, list) -> frozen.put(source, list.toArray(AlarmSlot[]::new)));
          to.put(reactor, frozen);
        });
  }
}
