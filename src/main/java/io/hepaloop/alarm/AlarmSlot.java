package io.hepaloop.alarm;

import io.hepaloop.core.Quality;
import io.hepaloop.time.Clock;
import java.time.Instant;

/**
 * The state of one alarm and its lifecycle rules. Two layers: the process side (raw condition with
 * deadband → on/off delays → condition → latch) and the operator side (acknowledged, shelved,
 * suppressed, out of service). {@link #settle} combines them into the {@link AlarmState} and
 * reports every change. Not thread-safe: the engine calls it from one thread. Allocates only when
 * it reports a transition.
 */
final class AlarmSlot {
  final AlarmDefinition def;
  private final Clock clock;
  private final AlarmListener listener;
  private final long onDelayNanos;
  private final long offDelayNanos;
  private final long reAlarmNanos;
  private final RateWindow rate;

  private boolean raw;
  private long rawSinceNanos;
  private boolean condition;
  private boolean latchHeld;
  private double value = Double.NaN;

  private boolean saturated;
  private long saturatedSinceNanos;
  private boolean sampleSeen;
  private boolean qualityGood;
  private long sourceEpochNanos;

  private boolean acked = true;
  private long ackedAtNanos;
  private boolean shelved;
  private long shelvedUntilNanos;
  private boolean suppressed;
  private boolean outOfService;
  private AlarmState state = AlarmState.NORMAL;

  AlarmSlot(AlarmDefinition def, Clock clock, AlarmListener listener) {
    this.def = def;
    this.clock = clock;
    this.listener = listener;
    this.onDelayNanos = nanos(def.onDelayS());
    this.offDelayNanos = nanos(def.offDelayS());
    this.reAlarmNanos = nanos(def.reAlarmAfterS());
    this.rate = def.kind() == AlarmKind.RATE_OF_CHANGE ? new RateWindow() : null;
  }

  AlarmState state() {
    return state;
  }

  boolean isShelved() {
    return shelved;
  }

  long shelvedUntilNanos() {
    return shelvedUntilNanos;
  }

  // ---- process side ----

  void signal(double v, Quality quality, long sourceEpochNanos, long now, long wallNowEpochNanos) {
    boolean good = quality.isGood() && Double.isFinite(v);
    switch (def.kind()) {
      case HIGH_HIGH, HIGH -> {
        if (good) {
          value = v;
          above(v, now);
        }
      }
      case LOW, LOW_LOW -> {
        if (good) {
          value = v;
          setRaw(raw ? v <= def.limit() + def.deadbandInUnits() : v < def.limit(), now);
        }
      }
      case RATE_OF_CHANGE -> {
        if (good) {
          double perMin = rate.add(now, v);
          if (!Double.isNaN(perMin)) {
            value = perMin;
            above(Math.abs(perMin), now);
          }
        }
      }
      case BAD_QUALITY_OR_STALE -> {
        sampleSeen = true;
        qualityGood = quality.isGood();
        this.sourceEpochNanos = sourceEpochNanos;
        staleness(now, wallNowEpochNanos);
      }
      default -> {}
    }
  }

  void loop(double setpoint, double pv, Quality pvQuality, boolean saturatedNow, long now) {
    if (def.kind() == AlarmKind.DEVIATION) {
      if (pvQuality.isGood() && Double.isFinite(pv) && Double.isFinite(setpoint)) {
        value = pv - setpoint;
        above(Math.abs(value), now);
      }
    } else if (def.kind() == AlarmKind.LOOP_SATURATED) {
      if (saturatedNow && !saturated) {
        saturatedSinceNanos = now;
      }
      saturated = saturatedNow;
      saturation(now);
    }
  }

  void link(boolean up, long now) {
    setRaw(!up, now);
  }

  void interlock(boolean tripped, long now) {
    setRaw(tripped, now);
  }

  /** Re-evaluates the conditions that change with time alone (staleness, saturation length). */
  void elapse(long now, long wallNowEpochNanos) {
    if (def.kind() == AlarmKind.BAD_QUALITY_OR_STALE) {
      staleness(now, wallNowEpochNanos);
    } else if (def.kind() == AlarmKind.LOOP_SATURATED) {
      saturation(now);
    }
  }

  void suppress(boolean on) {
    suppressed = on;
  }

  private void above(double x, long now) {
    double limit = def.limit();
    setRaw(raw ? x >= limit - def.deadbandInUnits() : x > limit, now);
  }

  private void staleness(long now, long wallNowEpochNanos) {
    if (!sampleSeen) {
      return; // nothing to be stale yet; a link that never comes up is LINK_LOST's business
    }
    value = (wallNowEpochNanos - sourceEpochNanos) / 1e9;
    setRaw(!qualityGood || value > def.limit(), now);
  }

  private void saturation(long now) {
    value = saturated ? (now - saturatedSinceNanos) / 1e9 : 0.0;
    setRaw(saturated && value >= def.limit(), now);
  }

  private void setRaw(boolean r, long now) {
    if (r != raw) {
      raw = r;
      rawSinceNanos = now;
    }
  }

  // ---- operator side ----

  void acknowledge(Actor actor, String comment) {
    if (!state.needsAcknowledgement()) {
      throw refused("is " + state + ", nothing to acknowledge");
    }
    acked = true;
    ackedAtNanos = clock.nanoTime();
    settle(actor, comment, "acknowledged");
  }

  void shelve(long untilNanos, Actor actor, String comment) {
    if (outOfService) {
      throw refused("is out of service and cannot be shelved");
    }
    if (shelved) {
      throw refused("is already shelved; unshelve it first");
    }
    shelved = true;
    shelvedUntilNanos = untilNanos;
    settle(
        actor, comment, "shelved for " + Math.round((untilNanos - clock.nanoTime()) / 1e9) + " s");
  }

  void unshelve(Actor actor, String comment) {
    if (!shelved) {
      throw refused("is not shelved");
    }
    shelved = false;
    settle(actor, comment, "unshelved");
  }

  void removeFromService(Actor actor, String comment) {
    if (outOfService) {
      throw refused("is already out of service");
    }
    outOfService = true;
    shelved = false;
    settle(actor, comment, "removed from service");
  }

  void returnToService(Actor actor, String comment) {
    if (!outOfService) {
      throw refused("is not out of service");
    }
    outOfService = false;
    settle(actor, comment, "returned to service");
  }

  void reset(Actor actor, String comment) {
    if (!def.latched()) {
      throw refused("is not latched; there is nothing to reset");
    }
    if (condition) {
      throw refused("cannot be reset while its condition is still active (value " + value + ")");
    }
    if (!latchHeld) {
      throw refused("is not holding a latch");
    }
    latchHeld = false;
    settle(actor, comment, "reset");
  }

  private IllegalStateException refused(String why) {
    return new IllegalStateException(
        "alarm '" + def.id() + "' of reactor '" + def.reactorId() + "' " + why);
  }

  // ---- combining both ----

  /** Applies delays, latch, shelve expiry and re-alarm; reports the state if it changed. */
  void settle(Actor actor, String comment, String reason) {
    long now = clock.nanoTime();
    boolean activeBefore = condition || latchHeld;
    if (raw != condition) {
      long heldNanos = now - rawSinceNanos;
      if (raw ? heldNanos >= onDelayNanos : heldNanos >= offDelayNanos) {
        condition = raw;
      }
    }
    if (shelved && now - shelvedUntilNanos >= 0) {
      shelved = false;
      reason = "shelve expired";
    }
    boolean hidden = outOfService || shelved || suppressed;
    if (!hidden) {
      if (isHidden(state)) {
        // Leaving shelved, suppressed or out of service: the state the process condition implies.
        latchHeld = def.latched() && condition;
        acked = !condition;
        ackedAtNanos = now;
      } else {
        if (condition && def.latched()) {
          latchHeld = true;
        }
        if (!activeBefore && condition) {
          acked = false;
        }
        if (condition
            && acked
            && reAlarmNanos > 0
            && state == AlarmState.ACK_ACTIVE
            && now - ackedAtNanos >= reAlarmNanos) {
          acked = false;
          reason = "re-alarm: still active " + def.reAlarmAfterS() + " s after acknowledgement";
        }
      }
    }
    AlarmState next = target(hidden);
    if (next != state) {
      AlarmState from = state;
      state = next;
      listener.onTransition(
          new AlarmTransition(
              clock.now(),
              def.id(),
              def.reactorId(),
              from,
              next,
              value,
              def.limit(),
              actor,
              comment,
              message(from, next, reason)));
    }
  }

  private AlarmState target(boolean hidden) {
    if (outOfService) {
      return AlarmState.OUT_OF_SERVICE;
    }
    if (shelved) {
      return AlarmState.SHELVED;
    }
    if (suppressed) {
      return AlarmState.SUPPRESSED_BY_DESIGN;
    }
    boolean active = condition || latchHeld;
    if (active) {
      return acked ? AlarmState.ACK_ACTIVE : AlarmState.UNACK_ACTIVE;
    }
    return acked ? AlarmState.NORMAL : AlarmState.RTN_UNACK;
  }

  private static boolean isHidden(AlarmState s) {
    return s == AlarmState.SHELVED
        || s == AlarmState.SUPPRESSED_BY_DESIGN
        || s == AlarmState.OUT_OF_SERVICE;
  }

  private String message(AlarmState from, AlarmState to, String reason) {
    String what;
    if (reason != null) {
      what = reason;
    } else if (to == AlarmState.SUPPRESSED_BY_DESIGN) {
      Suppression s = def.suppression();
      what = "suppressed by design: loop " + s.loopId() + " in " + s.mode();
    } else if (from == AlarmState.SUPPRESSED_BY_DESIGN) {
      what = "suppression by design ended";
    } else if (to == AlarmState.UNACK_ACTIVE) {
      what = "activated";
    } else if (to == AlarmState.NORMAL || to == AlarmState.RTN_UNACK) {
      what = "returned to normal";
    } else {
      what = from + " -> " + to;
    }
    String on = def.source() == null ? "" : " on " + def.source();
    return what + ": " + def.kind() + on + ", value " + value + ", limit " + def.limit();
  }

  private static long nanos(double seconds) {
    return Math.round(seconds * 1e9);
  }

  static long epochNanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
