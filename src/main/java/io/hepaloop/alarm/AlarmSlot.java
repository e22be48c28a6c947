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
  /** Replaced only by {@link #redefine} (a recipe phase's limits), same kind and source. */
  AlarmDefinition def;

  private final Clock clock;
  private final AlarmListener listener;
  private long onDelayNanos;
  private long offDelayNanos;
  private long reAlarmNanos;

  /**
   * Set by {@link #redefine}: the next value is judged against the new limit afresh, without the
   * old state's hysteresis, so an alarm raised under an old limit does not linger on its deadband.
   */
  private boolean rejudge;

  /** Suppressed by design by a recipe phase (besides the definition's loop-mode suppression). */
  private String phaseSuppression;

  private final RateWindow rate;
  private final BucketSeries series;
  private final BucketSeries.Trend trend;

  /** OUR_DECLINE: the compared levels and the hours between them, for the message. */
  private double ourStart = Double.NaN;

  private double ourRecent = Double.NaN;
  private double ourSpanH;

  /** PREDICTED_LOW: the last trend judgement, for the message. */
  private boolean trendClear;

  private long predictedCrossNanos;
  private double slopePerH = Double.NaN;
  private double levelNow = Double.NaN;

  /** For the view: when it became active, last change, last message, who acknowledged. */
  private boolean activeSinceKnown;

  private long activeSinceNanos;
  private long lastChangeNanos;
  private boolean changed;
  private String lastMessage;
  private String ackedBy;
  private String ackComment;

  private boolean raw;
  private long rawSinceNanos;
  private boolean condition;
  private boolean latchHeld;
  private double value = Double.NaN;

  private boolean saturated;
  private long saturatedSinceNanos;
  private boolean sampleSeen;
  private boolean qualityGood;

  /**
   * BAD_QUALITY_OR_STALE: when (monotonic, the controller's clock) the last fresh sample arrived; a
   * sample the link re-publishes as stale after a loss is not fresh.
   */
  private long receivedNanos;

  /**
   * The next fresh sample is a subscription's initial value (the first one, or the first after a
   * stale one): its source time may be the time of the last change, hours old, so it says nothing
   * about the device's clock.
   */
  private boolean initialValue = true;

  /** The device clock's lead over the controller's: the largest of the current window. */
  private boolean leadWindowOpen;

  private long leadWindowStartNanos;
  private long leadWindowMaxNanos;
  private double clockOffsetS = Double.NaN;
  private boolean clockOffsetLarge;

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
    this.rate = def.kind() == AlarmKind.RATE_OF_CHANGE ? new RateWindow(def.windowS()) : null;
    boolean windowed = def.kind() == AlarmKind.OUR_DECLINE || def.kind() == AlarmKind.PREDICTED_LOW;
    this.series = windowed ? new BucketSeries(def.windowS()) : null;
    this.trend = def.kind() == AlarmKind.PREDICTED_LOW ? new BucketSeries.Trend() : null;
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

  /**
   * The alarm as the API shows it; {@code nowNanos}/{@code now} map monotonic times to instants.
   */
  AlarmView view(long nowNanos, Instant now) {
    return new AlarmView(
        def.id(),
        def.reactorId(),
        def.kind(),
        def.priority(),
        state,
        value,
        activeSinceKnown ? now.plusNanos(activeSinceNanos - nowNanos) : null,
        changed ? now.plusNanos(lastChangeNanos - nowNanos) : null,
        ackedBy,
        ackComment,
        shelved ? now.plusNanos(shelvedUntilNanos - nowNanos) : null,
        latchHeld,
        lastMessage,
        def.rationale());
  }

  /**
   * Puts the alarm back into a stored lifecycle state without a transition (nothing is announced
   * again). Active states assume the condition still holds until a new value says otherwise, so an
   * alarm whose cause went away during the restart returns to normal through the ordinary off-delay
   * (unacknowledged if it was). A latched alarm that was active holds its latch.
   *
   * @param atNanos when the stored transition happened (monotonic)
   * @param shelvedUntil for {@link AlarmState#SHELVED}: when the shelve ends (monotonic); a time
   *     already past expires at the next tick, as a shelve does
   */
  void restore(
      AlarmState s,
      long atNanos,
      String actorName,
      String comment,
      long shelvedUntil,
      double storedValue,
      String message) {
    value = storedValue;
    boolean active = s.isActive();
    raw = active;
    condition = active;
    rawSinceNanos = atNanos;
    latchHeld = active && def.latched();
    acked = s != AlarmState.UNACK_ACTIVE && s != AlarmState.RTN_UNACK;
    ackedAtNanos = atNanos;
    ackedBy = s == AlarmState.ACK_ACTIVE ? actorName : null;
    ackComment = s == AlarmState.ACK_ACTIVE ? comment : null;
    shelved = s == AlarmState.SHELVED;
    shelvedUntilNanos = shelvedUntil;
    outOfService = s == AlarmState.OUT_OF_SERVICE;
    // A loop-mode suppression holds until the next snapshot says otherwise; a phase's suppression
    // is the run's to apply again (until then the alarm leaves it at its next settle).
    suppressed = s == AlarmState.SUPPRESSED_BY_DESIGN && def.suppression() != null;
    activeSinceKnown = active;
    activeSinceNanos = atNanos;
    changed = true;
    lastChangeNanos = atNanos;
    lastMessage = message;
    state = s;
  }

  // ---- process side ----

  /**
   * @param sourceKnown false when the sample came without a source time ({@code sourceEpochNanos}
   *     is then meaningless)
   * @param stale the link's re-publication of a last value after a loss: not a fresh sample
   */
  void signal(
      double v,
      Quality quality,
      boolean sourceKnown,
      long sourceEpochNanos,
      boolean stale,
      long now,
      long wallNowEpochNanos) {
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
          setRaw(holding() ? v <= def.limit() + def.deadbandInUnits() : v < def.limit(), now);
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
      case PREDICTED_LOW -> {
        if (good) {
          value = v;
          if (series.add(now, v)) {
            predict(now);
          }
        }
      }
      case BAD_QUALITY_OR_STALE -> {
        if (!sampleSeen || !stale) {
          receivedNanos = now;
        }
        sampleSeen = true;
        qualityGood = quality.isGood() && !stale;
        if (stale) {
          initialValue = true; // the next fresh sample comes from a new subscription
        } else if (sourceKnown) {
          if (initialValue) {
            initialValue = false;
          } else {
            clockLead(sourceEpochNanos - wallNowEpochNanos, now);
          }
        }
        staleness(now);
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
  void elapse(long now) {
    if (def.kind() == AlarmKind.BAD_QUALITY_OR_STALE) {
      staleness(now);
    } else if (def.kind() == AlarmKind.LOOP_SATURATED) {
      saturation(now);
    }
  }

  void heartbeat(boolean failing, long now) {
    setRaw(failing, now);
  }

  void backlog(double oldestUnsentAgeS, long now) {
    if (Double.isFinite(oldestUnsentAgeS)) {
      value = oldestUnsentAgeS;
      above(oldestUnsentAgeS, now);
    }
  }

  /**
   * One OUR value at {@code atNanos} (monotonic). When a bucket closes and the window is full: the
   * mean of the newest tenth of the window against the mean of its oldest tenth.
   */
  void our(double ourNmolPerMin, long atNanos, long now) {
    if (!Double.isFinite(ourNmolPerMin) || !series.add(atNanos, ourNmolPerMin)) {
      return;
    }
    if (!series.filled()) {
      setRaw(false, now);
      return;
    }
    int k = Math.max(1, series.count() / 10);
    ourStart = series.meanOfOldest(k);
    ourRecent = series.meanOfNewest(k);
    ourSpanH = series.spanH();
    if (!(ourStart > 0)) {
      setRaw(false, now); // no uptake to decline from (e.g. before seeding)
      return;
    }
    value = (ourStart - ourRecent) / ourStart * 100;
    above(value, now);
  }

  /** Trend thresholds: |t| of the slope and the line's R² needed to activate / to stay active. */
  static final double T_ACTIVATE = 6;

  static final double T_HOLD = 4;
  static final double R2_ACTIVATE = 0.85;
  static final double R2_HOLD = 0.7;

  /**
   * PREDICTED_LOW, on every closed bucket: a least-squares line through the window's bucket means;
   * a clear fall (slope &lt; 0, slope/stderr beyond {@link #T_ACTIVATE}, R² at least {@link
   * #R2_ACTIVATE}, so noise and a step are not trends) extrapolated to the limit. Active while the
   * crossing lies within the horizon; once active the limit is raised by the deadband and the
   * thresholds relax to the HOLD values, so the alarm does not chatter.
   */
  private void predict(long now) {
    if (!series.filled()) {
      trendClear = false;
      setRaw(false, now);
      return;
    }
    series.fit(trend);
    double b = trend.slopePerS;
    slopePerH = b * 3600;
    levelNow = trend.levelNow;
    trendClear =
        b < 0
            && trend.t() <= -(raw ? T_HOLD : T_ACTIVATE)
            && trend.rSquared >= (raw ? R2_HOLD : R2_ACTIVATE);
    if (!trendClear) {
      setRaw(false, now);
      return;
    }
    double floor = def.limit() + (raw ? def.deadbandInUnits() : 0);
    double untilS = levelNow <= floor ? 0 : (floor - levelNow) / b;
    predictedCrossNanos = series.newestNanos() + Math.round(untilS * 1e9);
    setRaw((predictedCrossNanos - now) / 1e9 <= def.horizonS(), now);
  }

  void suppress(boolean on) {
    suppressed = on;
  }

  /**
   * Suppression by design for a reason other than the definition's loop mode (a recipe phase); null
   * lifts it. Takes effect at the next {@link #settle}.
   */
  void suppressForPhase(String reason) {
    phaseSuppression = reason;
  }

  String phaseSuppression() {
    return phaseSuppression;
  }

  /**
   * Takes {@code next}'s limit, deadband, delays, priority and re-alarm (same id, reactor, kind and
   * source, checked by the engine); the lifecycle state stays, and the next value is judged against
   * the new limit afresh. Takes effect at the next evaluation and {@link #settle}.
   */
  void redefine(AlarmDefinition next) {
    def = next;
    onDelayNanos = nanos(next.onDelayS());
    offDelayNanos = nanos(next.offDelayS());
    reAlarmNanos = nanos(next.reAlarmAfterS());
    rejudge = true;
  }

  /** The raw state's hysteresis, unless {@link #redefine} asked for a fresh judgement. */
  private boolean holding() {
    boolean hold = raw && !rejudge;
    rejudge = false;
    return hold;
  }

  private void above(double x, long now) {
    double limit = def.limit();
    setRaw(holding() ? x >= limit - def.deadbandInUnits() : x > limit, now);
  }

  /**
   * The age of the newest fresh sample on the controller's clock (when it arrived), not on the
   * device's (its source time): a device clock running ahead would never go stale, one lagging by
   * more than the limit would be stale forever.
   */
  private void staleness(long now) {
    if (!sampleSeen) {
      return; // nothing to be stale yet; a link that never comes up is LINK_LOST's business
    }
    value = (now - receivedNanos) / 1e9;
    setRaw(!qualityGood || value > def.limit(), now);
  }

  /**
   * One fresh sample's source time minus its arrival (wall clock). A source time can be older than
   * the arrival for good reasons (transport delay, an unchanged value's initial notification) but
   * never newer, so the largest lead of a window (the freshest sample) is the clock's offset.
   * Judged once per window of the alarm's limit; said once when it exceeds the limit and once when
   * it is back within half of it.
   */
  private void clockLead(long leadNanos, long now) {
    if (!leadWindowOpen) {
      leadWindowOpen = true;
      leadWindowStartNanos = now;
      leadWindowMaxNanos = leadNanos;
    } else if (leadNanos > leadWindowMaxNanos) {
      leadWindowMaxNanos = leadNanos;
    }
    if (now - leadWindowStartNanos < nanos(def.limit())) {
      return;
    }
    leadWindowOpen = false;
    clockOffsetS = leadWindowMaxNanos / 1e9;
    double off = Math.abs(clockOffsetS);
    if (!clockOffsetLarge && off > def.limit()) {
      clockOffsetLarge = true;
      announceClockOffset();
    } else if (clockOffsetLarge && off <= def.limit() / 2) {
      clockOffsetLarge = false;
      announceClockOffset();
    }
  }

  private void announceClockOffset() {
    String text =
        clockOffsetLarge
            ? "the device clock of reactor "
                + def.reactorId()
                + " is "
                + clockOffsetText()
                + " (source times of "
                + def.source()
                + " against their arrival), more than the "
                + def.limit()
                + " s alarm "
                + def.id()
                + " allows for staleness: staleness is judged on arrival, but the device's"
                + " timestamps are off"
            : "the device clock of reactor "
                + def.reactorId()
                + " agrees with the controller's again: "
                + clockOffsetText()
                + " (source times of "
                + def.source()
                + ", alarm "
                + def.id()
                + ")";
    listener.onClockOffset(
        new ClockOffset(
            clock.now(),
            def.id(),
            def.reactorId(),
            def.source(),
            clockOffsetS,
            clockOffsetLarge,
            text));
  }

  private String clockOffsetText() {
    return String.format(
        java.util.Locale.ROOT,
        "%.1f s %s the controller's",
        Math.abs(clockOffsetS),
        clockOffsetS >= 0 ? "ahead of" : "behind");
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
    ackedBy = actor.name();
    ackComment = comment;
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
    Instant until = clock.now().plusNanos(untilNanos - clock.nanoTime());
    settle(
        actor,
        comment,
        "shelved for " + Math.round((untilNanos - clock.nanoTime()) / 1e9) + " s until " + until);
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
    boolean hidden = outOfService || shelved || suppressed || phaseSuppression != null;
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
          ackedBy = null;
          ackComment = null;
        }
        if (condition
            && acked
            && reAlarmNanos > 0
            && state == AlarmState.ACK_ACTIVE
            && now - ackedAtNanos >= reAlarmNanos) {
          acked = false;
          ackedBy = null;
          ackComment = null;
          reason = "re-alarm: still active " + def.reAlarmAfterS() + " s after acknowledgement";
        }
      }
    }
    AlarmState next = target(hidden);
    if (next != state) {
      AlarmState from = state;
      state = next;
      if (next.isActive() && !from.isActive()) {
        activeSinceKnown = true;
        activeSinceNanos = now;
      } else if (next == AlarmState.NORMAL || next == AlarmState.RTN_UNACK) {
        activeSinceKnown = false;
      }
      changed = true;
      lastChangeNanos = now;
      lastMessage = message(from, next, reason);
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
              lastMessage,
              def.priority()));
    }
  }

  private AlarmState target(boolean hidden) {
    if (outOfService) {
      return AlarmState.OUT_OF_SERVICE;
    }
    if (shelved) {
      return AlarmState.SHELVED;
    }
    if (suppressed || phaseSuppression != null) {
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
      what =
          suppressed && s != null
              ? "suppressed by design: loop " + s.loopId() + " in " + s.mode()
              : "suppressed by design: " + phaseSuppression;
    } else if (from == AlarmState.SUPPRESSED_BY_DESIGN) {
      what = "suppression by design ended";
    } else if (to == AlarmState.UNACK_ACTIVE) {
      what = "activated";
    } else if (to == AlarmState.NORMAL || to == AlarmState.RTN_UNACK) {
      what = "returned to normal";
    } else {
      what = from + " -> " + to;
    }
    String on = def.source() == null || !def.kind().needsSource() ? "" : " on " + def.source();
    String detail = detail(to);
    return what
        + ": "
        + def.kind()
        + on
        + ", value "
        + value
        + ", limit "
        + def.limit()
        + (detail == null ? "" : "; " + detail);
  }

  /** What the windowed kinds add to a message: the decline, or the predicted crossing. */
  private String detail(AlarmState to) {
    if (def.kind() == AlarmKind.BAD_QUALITY_OR_STALE && clockOffsetLarge) {
      return "device clock " + clockOffsetText() + "; age judged on arrival";
    }
    if (def.kind() == AlarmKind.OUR_DECLINE && Double.isFinite(ourStart)) {
      return String.format(
          java.util.Locale.ROOT,
          "OUR fell %.1f %% over %.1f h (from %.3g to %.3g nmol/min)",
          (ourStart - ourRecent) / ourStart * 100,
          ourSpanH,
          ourStart,
          ourRecent);
    }
    if (def.kind() == AlarmKind.PREDICTED_LOW && Double.isFinite(slopePerH)) {
      String trendText =
          String.format(
              java.util.Locale.ROOT,
              "now %.2f, slope %+.2f per hour over the last %.1f h",
              levelNow,
              slopePerH,
              series.windowS() / 3600);
      if (!trendClear || !(raw || to.isActive())) {
        return "no crossing of " + def.limit() + " predicted within the horizon; " + trendText;
      }
      Instant cross =
          clock
              .now()
              .plusNanos(predictedCrossNanos - clock.nanoTime())
              .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
      return "predicted to cross "
          + def.limit()
          + " at "
          + cross
          + " (in "
          + Math.max(0, Math.round((predictedCrossNanos - clock.nanoTime()) / 60e9))
          + " min); "
          + trendText;
    }
    return null;
  }

  private static long nanos(double seconds) {
    return Math.round(seconds * 1e9);
  }

  static long epochNanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
