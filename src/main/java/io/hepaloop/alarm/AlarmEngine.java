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

  /**
   * Epoch nanoseconds minus {@link Clock#nanoTime()}, for staleness; refreshed by a tick at most
   * once a second of clock time, so that ticks, like evaluations, allocate nothing.
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
    AlarmListener guarded = this::deliver;
    this.listener = listener;
    Map<String, Map<String, List<AlarmSlot>>> signals = new LinkedHashMap<>();
    Map<String, Map<String, List<AlarmSlot>>> loops = new LinkedHashMap<>();
    Map<String, Map<String, List<AlarmSlot>>> suppressing = new LinkedHashMap<>();
    Map<String, Map<String, List<AlarmSlot>>> interlocks = new LinkedHashMap<>();
    Map<String, Map<String, List<AlarmSlot>>> links = new LinkedHashMap<>();
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
            default -> signals;
          };
      String source = d.kind() == AlarmKind.LINK_LOST ? "" : d.source();
      add(index, d.reactorId(), source, slot);
      if (d.suppression() != null) {
        add(suppressing, d.reactorId(), d.suppression().loopId(), slot);
      }
    }
    freeze(signals, bySignal);
    freeze(loops, byLoop);
    freeze(suppressing, bySuppressingLoop);
    freeze(interlocks, byInterlock);
    links.forEach((reactor, m) -> byLink.put(reactor, m.get("").toArray(AlarmSlot[]::new)));
    this.wallOffsetNanos = AlarmSlot.epochNanos(clock.now()) - clock.nanoTime();
    this.wallOffsetReadAtNanos = clock.nanoTime();
  }

  // ---- evaluations (the plant reports) ----

  /** A signal sample; {@code sourceTime} is the device's timestamp (null: now). */
  public void onSignal(
      String reactorId, String signalId, double value, Quality quality, Instant sourceTime) {
    AlarmSlot[] found = find(bySignal, reactorId, signalId);
    if (found == null) {
      return;
    }
    long now = clock.nanoTime();
    long wallNow = now + wallOffsetNanos;
    long source = sourceTime == null ? wallNow : AlarmSlot.epochNanos(sourceTime);
    Quality q = quality == null ? Quality.BAD : quality;
    for (AlarmSlot s : found) {
      s.signal(value, q, source, now, wallNow);
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

  /** Advances everything that depends on time alone: delays, expiry, re-alarm, staleness. */
  public void tick() {
    long now = clock.nanoTime();
    if (now - wallOffsetReadAtNanos >= 1_000_000_000L) {
      wallOffsetNanos = AlarmSlot.epochNanos(clock.now()) - clock.nanoTime();
      wallOffsetReadAtNanos = now;
    }
    long wallNow = now + wallOffsetNanos;
    for (AlarmSlot s : slots) {
      s.elapse(now, wallNow);
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

  // ---- queries ----

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
