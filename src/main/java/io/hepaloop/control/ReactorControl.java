package io.hepaloop.control;

import io.hepaloop.bus.HepaEvent;
import io.hepaloop.device.LinkState;
import io.hepaloop.device.Sample;
import io.hepaloop.device.SampleBatch;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.InterlockSpec;
import io.hepaloop.profile.LoopSpec;
import io.hepaloop.profile.Range;
import io.hepaloop.profile.SignalSpec;
import io.hepaloop.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Everything that controls one reactor, without Vert.x: the process image, the profile's loops, the
 * interlocks and the one command door. The production verticle (ReactorController) and the
 * plant-in-the-loop harness both drive this same class, so what the benchmark measures is what
 * runs.
 *
 * <p>Order of one loop execution: interlocks are evaluated, the loop computes its output, a tripped
 * interlock on the loop's actuator replaces it, the value finally applied is fed back to the loop's
 * controllers (anti-windup and bumpless recovery), the output is written, events and a snapshot are
 * published. Interlocks are also evaluated on every sample batch, so a trip acts on the next
 * sample, not on the next loop period.
 *
 * <p>Not thread-safe: one reactor context calls it.
 */
public final class ReactorControl {

  /** Where outputs go (the event bus in production, the plant model in the harness). */
  @FunctionalInterface
  public interface Outputs {
    void write(String actuatorId, double value, String reason);
  }

  /**
   * Interlocks clear (non-latched) or may be reset (latched) once the signal is this fraction back
   * inside the limit.
   */
  static final double INTERLOCK_HYSTERESIS = 0.01;

  /**
   * An unchanged output is re-written this often, so a lost write does not leave the device behind.
   */
  static final double REFRESH_S = 5.0;

  private final String reactorId;
  private final DeviceProfile profile;
  private final Clock clock;
  private final Outputs outputs;
  private final Consumer<HepaEvent> events;
  private final Consumer<LoopSnapshot> snapshots;
  private Consumer<InterlockChange> interlockChanges = c -> {};
  private Consumer<LoopSettings> settingsChanges = c -> {};
  private final RuntimeSettings runtimeSettings;
  private final ProcessImage image = new ProcessImage();
  private final Map<String, ControlLoop> loops = new LinkedHashMap<>();
  private final Map<String, Interlock> interlocks = new LinkedHashMap<>();
  private final Map<String, LoopFlags> flags = new HashMap<>();
  private final Map<String, double[]> lastWrite = new HashMap<>(); // actuator -> {value, nanos}
  private final Map<String, AutotuneSession> autotunes = new HashMap<>();
  private boolean linkUp = true;
  private long linkUpNanos = -1;
  private long linkDownNanos = -1;

  /**
   * The link came back and dropped again within {@link #LINK_STABLE_S}: its ups and downs are not
   * announced one by one.
   */
  private boolean linkUnstable;

  /**
   * A link lost again sooner than this after it came back is "unstable" (as the DeviceLink says
   * too).
   */
  static final double LINK_STABLE_S = 10.0;

  /**
   * A loop held at its output limit (or by its override) this long raises a warning: actuator or
   * process fault.
   */
  static final double SATURATION_FLAG_S = 120.0;

  private static final class LoopFlags {
    boolean pvBad;
    boolean overridePvBad;
    boolean cascadePvBad;
    boolean safe;
    long saturatedSinceNanos = -1;
    boolean saturationFlag;
  }

  /** Runtime state of one interlock. */
  public static final class Interlock {
    final InterlockSpec spec;
    boolean tripped;
    String cause;

    Interlock(InterlockSpec spec) {
      this.spec = spec;
    }

    public boolean tripped() {
      return tripped;
    }

    public String cause() {
      return cause;
    }

    public InterlockSpec spec() {
      return spec;
    }

    boolean conditionPresent(double v) {
      return (spec.above() != null && v > spec.above())
          || (spec.below() != null && v < spec.below());
    }

    boolean clearWithHysteresis(double v) {
      boolean ok = true;
      if (spec.above() != null) {
        ok &= v <= spec.above() - INTERLOCK_HYSTERESIS * Math.abs(spec.above());
      }
      if (spec.below() != null) {
        ok &= v >= spec.below() + INTERLOCK_HYSTERESIS * Math.abs(spec.below());
      }
      return ok;
    }
  }

  public ReactorControl(
      String reactorId,
      DeviceProfile profile,
      Clock clock,
      Outputs outputs,
      Consumer<HepaEvent> events,
      Consumer<LoopSnapshot> snapshots) {
    this.reactorId = reactorId;
    this.profile = profile;
    this.clock = clock;
    this.outputs = outputs;
    this.events = events;
    this.snapshots = snapshots;
    for (LoopSpec spec : profile.loops()) {
      SignalSpec actuator = profile.requireSignal(spec.output());
      profile.requireSignal(spec.pv());
      loops.put(spec.id(), new ControlLoop(spec, actuator, clock));
      flags.put(spec.id(), new LoopFlags());
    }
    for (InterlockSpec spec : profile.interlocks()) {
      profile.requireSignal(spec.signal());
      profile.requireSignal(spec.action().actuator());
      interlocks.put(spec.id(), new Interlock(spec));
    }
    runtimeSettings = new RuntimeSettings(reactorId, profile, loops::get);
  }

  public String reactorId() {
    return reactorId;
  }

  /**
   * Receives every trip, clear and reset of an interlock, on the control thread (must not block);
   * the controller publishes them for the alarm engine.
   */
  public void onInterlockChange(Consumer<InterlockChange> listener) {
    this.interlockChanges = listener == null ? c -> {} : listener;
  }

  /**
   * Receives a loop's whole run-time settings after each applied change of them (a command, an
   * accepted auto-tune), on the control thread (must not block); the controller publishes them so
   * that the application can keep them across a restart. A refused command sends nothing.
   */
  public void onLoopSettingsChange(Consumer<LoopSettings> listener) {
    this.settingsChanges = listener == null ? c -> {} : listener;
  }

  /**
   * The loop's settings changed at run time, now (null for an unknown loop): what {@link
   * #onLoopSettingsChange} last sent, or what a restore applied.
   */
  public LoopSettings loopSettings(String loopId, String actor) {
    return loops.containsKey(loopId)
        ? runtimeSettings.current(loopId, actorName(actor), clock.now())
        : null;
  }

  /**
   * Applies loop settings kept from before a restart; call before the loops first execute (the
   * controller does, at its start). Each value is validated as a command would be: a setpoint now
   * outside the profile's changed limits is refused with a warning event naming it, not clamped; a
   * loop no longer in the profile is skipped with a warning. One event per restored loop says from
   * when and by whom. The loops then start as they would with the profile's settings: from the
   * actuator read-backs, bumplessly, in the restored mode.
   */
  public void restore(List<LoopSettings> stored) {
    for (RuntimeSettings.Notice n : runtimeSettings.restore(stored)) {
      event("control", n.loopId(), n.severity(), n.message());
    }
  }

  public DeviceProfile profile() {
    return profile;
  }

  public Clock clock() {
    return clock;
  }

  public ProcessImage image() {
    return image;
  }

  public List<ControlLoop> loops() {
    return List.copyOf(loops.values());
  }

  public ControlLoop loop(String id) {
    return loops.get(id);
  }

  public Interlock interlock(String id) {
    return interlocks.get(id);
  }

  public boolean linkUp() {
    return linkUp;
  }

  // ---- inputs ----

  public void onSamples(SampleBatch batch) {
    long now = clock.nanoTime();
    for (Sample s : batch.samples()) {
      image.put(s, now);
    }
    evaluateInterlocks();
  }

  /**
   * One sample without a batch (the harness feeds values this way, then calls {@link
   * #evaluateInterlocks()}).
   */
  public void onSample(Sample s) {
    image.put(s, clock.nanoTime());
  }

  public void onLinkState(LinkState state) {
    boolean up = state.state() == LinkState.State.CONNECTED;
    if (up == linkUp) {
      return;
    }
    linkUp = up;
    long now = clock.nanoTime();
    if (!up) {
      image.markAllStale();
      if (state.state() == LinkState.State.CONNECTING) {
        return; // not connected yet: nothing to say beyond what the link itself reports
      }
      boolean again =
          linkDownNanos >= 0 && linkUpNanos >= 0 && (now - linkUpNanos) / 1e9 < LINK_STABLE_S;
      linkDownNanos = now;
      if (again) {
        if (!linkUnstable) {
          linkUnstable = true;
          event(
              "control",
              "link",
              "warning",
              "Device link keeps dropping ("
                  + state.reason()
                  + "): loops hold their outputs while it"
                  + " is down and resume from the read-backs while it is up; the device watchdog takes outputs safe if an outage lasts."
                  + " Further drops are not announced until it holds for "
                  + fmt(LINK_STABLE_S)
                  + " s.");
        }
        return;
      }
      event(
          "control",
          "link",
          "warning",
          "Device link "
              + state.state().name().toLowerCase(Locale.ROOT)
              + (state.reason() == null ? "" : " (" + state.reason() + ")")
              + ": loops hold their outputs; the device watchdog takes outputs safe if this lasts.");
    } else {
      linkUpNanos = now;
      for (ControlLoop l : loops.values()) {
        l.reinitializeFromReadback();
      }
      lastWrite.clear();
      if (!linkUnstable) {
        event(
            "control",
            "link",
            "info",
            "Device link connected: loops resume from the actuator read-backs.");
      }
    }
  }

  /** Ends the unstable state once the link has held {@link #LINK_STABLE_S}. */
  private void checkLinkStable() {
    if (linkUnstable && linkUp && (clock.nanoTime() - linkUpNanos) / 1e9 >= LINK_STABLE_S) {
      linkUnstable = false;
      event(
          "control",
          "link",
          "info",
          "Device link holds again (" + fmt(LINK_STABLE_S) + " s): loops in control.");
    }
  }

  // ---- execution ----

  /**
   * Evaluates every interlock against the latest values; trips and clears publish events and write
   * at once. A tripped interlock keeps asserting its value (refreshed like any output, and again
   * after a reconnect), also on an actuator no loop drives: a lost trip write, or a device watchdog
   * that moved the output during an outage, must not leave the actuator where the interlock does
   * not want it.
   */
  public void evaluateInterlocks() {
    for (Interlock il : interlocks.values()) {
      InterlockSpec s = il.spec;
      if (il.tripped && activeInterlockOn(s.action().actuator()) == il) {
        write(s.action().actuator(), s.action().value(), "interlock " + s.id(), false);
      }
      ProcessImage.Entry e = image.get(s.signal());
      if (e == null || !e.usable()) {
        continue; // a bad signal cannot trip or clear; the loop's bad-PV handling covers it
      }
      double v = e.value();
      if (!il.tripped && il.conditionPresent(v)) {
        il.tripped = true;
        il.cause =
            String.format(
                Locale.ROOT,
                "%s %.2f %s %s limit %.2f",
                s.signal(),
                v,
                unit(s.signal()),
                s.above() != null && v > s.above() ? "above high-high" : "below low-low",
                s.above() != null && v > s.above() ? s.above() : s.below());
        event(
            "interlock",
            s.id(),
            "critical",
            "Interlock "
                + s.id()
                + " tripped: "
                + il.cause
                + "; "
                + s.action().actuator()
                + " forced to "
                + fmt(s.action().value())
                + " "
                + unit(s.action().actuator())
                + (s.latched() ? " until reset." : " while it lasts."));
        write(s.action().actuator(), s.action().value(), "interlock " + s.id(), true);
        interlockChanges.accept(
            new InterlockChange(reactorId, s.id(), true, clock.now(), il.cause));
      } else if (il.tripped && !s.latched() && il.clearWithHysteresis(v)) {
        il.tripped = false;
        interlockChanges.accept(new InterlockChange(reactorId, s.id(), false, clock.now(), null));
        event(
            "interlock",
            s.id(),
            "info",
            "Interlock "
                + s.id()
                + " cleared: "
                + s.signal()
                + " "
                + fmt(v)
                + " "
                + unit(s.signal())
                + "; "
                + s.action().actuator()
                + " returns to its loop.");
        il.cause = null;
      }
    }
  }

  /**
   * Executes one loop (called on its period); returns the value applied, or NaN if nothing was
   * written.
   */
  public double executeLoop(String loopId) {
    ControlLoop loop = loops.get(loopId);
    if (loop == null) {
      throw new IllegalArgumentException("no loop '" + loopId + "'");
    }
    checkLinkStable();
    evaluateInterlocks();
    double u = loop.execute(image);
    Interlock il = activeInterlockOn(loop.actuatorId());
    double applied = il != null ? il.spec.action().value() : u;
    loop.applied(applied, il == null ? null : il.spec.id());
    if (Double.isFinite(applied)) {
      write(
          loop.actuatorId(),
          applied,
          il != null ? "interlock " + il.spec.id() : "loop " + loopId,
          false);
    }
    if (il != null && loop.autotuneRunning()) {
      loop.cancelAutotune("interlock " + il.spec.id() + " tripped");
    }
    loopEvents(loop);
    if (loop.takeAutotuneEnded()) {
      RelayAutoTuner t = loop.autotuner();
      if (t.state() == RelayAutoTuner.State.DONE) {
        event(
            "control",
            loop.id() + ".autotune",
            "info",
            "Auto-tune of loop "
                + loop.id()
                + " done: "
                + t.result()
                + " Not applied: waiting for an engineer to accept or reject it.");
      } else {
        event(
            "control",
            loop.id() + ".autotune",
            "warning",
            "Auto-tune of loop "
                + loop.id()
                + " aborted: "
                + t.abortReason()
                + "; output back to "
                + fmt(t.bias())
                + " "
                + unit(loop.actuatorId())
                + ", loop back to "
                + loop.mode()
                + ".");
      }
    }
    publishSnapshots(loop, applied);
    return applied;
  }

  /**
   * Starts a relay auto-tune on a loop that is in AUTO with a good PV and no interlock: the relay
   * oscillates around the current setpoint and output. The proposal is published as an event and
   * kept in {@link ControlLoop#autotuner()}; it is not applied by itself: an engineer accepts
   * ({@link #acceptAutotune}) or rejects ({@link #rejectAutotune}) it. Only this loop is touched:
   * other loops, a cascade and the heartbeat carry on as they are.
   */
  public CommandResult startAutotune(String loopId, RelayAutoTuner.Config config, String actor) {
    ControlLoop loop = loops.get(loopId);
    if (loop == null) {
      return CommandResult.rejected(
          "reactor " + reactorId + " has no loop '" + loopId + "' (loops: " + loops.keySet() + ")");
    }
    if (loop.mode() != LoopMode.AUTO) {
      return CommandResult.rejected(
          "loop "
              + loopId
              + " must be in AUTO and settled to auto-tune (it is "
              + loop.mode()
              + ")");
    }
    if (loop.autotuneRunning()) {
      return CommandResult.rejected("loop " + loopId + " is already auto-tuning");
    }
    AutotuneSession previous = autotunes.get(loopId);
    if (previous != null && previous.phase() == AutotuneProgress.Phase.PROPOSAL_READY) {
      return CommandResult.rejected(
          "loop "
              + loopId
              + " has an auto-tune proposal waiting (by "
              + previous.startedBy
              + "): accept or reject it first");
    }
    if (!image.usable(loop.spec().pv()) || loop.awaitingReadback()) {
      return CommandResult.rejected("loop " + loopId + " has no good PV / read-back to tune on");
    }
    if (activeInterlockOn(loop.actuatorId()) != null) {
      return CommandResult.rejected(
          "loop "
              + loopId
              + ": interlock "
              + activeInterlockOn(loop.actuatorId()).spec.id()
              + " is tripped");
    }
    RelayAutoTuner t;
    try {
      double bias =
          Double.isFinite(loop.averageOutput()) ? loop.averageOutput() : loop.pid().applied();
      t =
          new RelayAutoTuner(
              config,
              loop.pid().workingSetpoint(),
              bias,
              loop.outputRange().min(),
              loop.outputRange().max(),
              loop.pid().config().direction(),
              loop.pid().tuning());
      loop.startAutotune(t);
      autotunes.put(loopId, new AutotuneSession(t, actorName(actor), clock.now()));
    } catch (IllegalArgumentException e) {
      return CommandResult.rejected("auto-tune of loop " + loopId + " refused: " + e.getMessage());
    }
    String msg =
        String.format(
            Locale.ROOT,
            "Auto-tune of loop %s started by %s: relay %.2f ± %.2f %s, hysteresis %.3f, abort beyond ± %.3f %s",
            loopId,
            actorName(actor),
            t.bias(),
            config.amplitude(),
            unit(loop.actuatorId()),
            config.hysteresis(),
            config.maxDeviation(),
            unit(loop.spec().pv()));
    event("operator", actorName(actor), "info", msg);
    return CommandResult.accepted(msg);
  }

  /**
   * Where the loop's latest auto-tune stands (null when it never had one).
   *
   * @throws IllegalArgumentException when the reactor has no such loop
   */
  public AutotuneProgress autotuneProgress(String loopId) {
    ControlLoop loop = requireLoop(loopId);
    AutotuneSession s = autotunes.get(loopId);
    return s == null ? null : s.progress(reactorId, loopId, loop.pid().tuning());
  }

  /**
   * Applies the waiting proposal to the loop's main controller, bumplessly (as {@link
   * ControlCommand.SetTuning}: the output continues from the value in place).
   */
  public CommandResult acceptAutotune(String loopId, String actor) {
    ControlLoop loop = loops.get(loopId);
    AutotuneSession s = loop == null ? null : autotunes.get(loopId);
    CommandResult refused =
        refuseUnless(loopId, s, AutotuneProgress.Phase.PROPOSAL_READY, "accept");
    if (refused != null) {
      return refused;
    }
    PidTuning before = loop.pid().tuning();
    PidTuning proposal = s.tuner.result().proposal();
    loop.setTuning("main", proposal);
    s.decide(AutotuneProgress.Phase.ACCEPTED, actorName(actor));
    runtimeSettings.mark(loopId, "main");
    settingsChanges.accept(loopSettings(loopId, actor));
    String msg =
        String.format(
            Locale.ROOT,
            "Auto-tune proposal for loop %s accepted by %s: main tuning set to %s (was %s). %s",
            loopId,
            actorName(actor),
            describe(proposal),
            describe(before),
            s.tuner.result().shaping());
    event("operator", actorName(actor), "info", msg);
    return CommandResult.accepted(msg);
  }

  /** Discards the waiting proposal; the loop keeps its tuning. */
  public CommandResult rejectAutotune(String loopId, String actor) {
    ControlLoop loop = loops.get(loopId);
    AutotuneSession s = loop == null ? null : autotunes.get(loopId);
    CommandResult refused =
        refuseUnless(loopId, s, AutotuneProgress.Phase.PROPOSAL_READY, "reject");
    if (refused != null) {
      return refused;
    }
    s.decide(AutotuneProgress.Phase.REJECTED, actorName(actor));
    String msg =
        String.format(
            Locale.ROOT,
            "Auto-tune proposal for loop %s rejected by %s (%s); the loop keeps %s.",
            loopId,
            actorName(actor),
            describe(s.tuner.result().proposal()),
            describe(loop.pid().tuning()));
    event("operator", actorName(actor), "info", msg);
    return CommandResult.accepted(msg);
  }

  /** Stops a running relay test: output back to the relay's bias, loop back to its mode. */
  public CommandResult abortAutotune(String loopId, String actor) {
    ControlLoop loop = loops.get(loopId);
    AutotuneSession s = loop == null ? null : autotunes.get(loopId);
    CommandResult refused = refuseUnless(loopId, s, AutotuneProgress.Phase.RUNNING, "abort");
    if (refused != null) {
      return refused;
    }
    loop.abortAutotune("aborted by " + actorName(actor));
    s.decide(AutotuneProgress.Phase.ABORTED, actorName(actor));
    String msg =
        String.format(
            Locale.ROOT,
            "Auto-tune of loop %s aborted by %s after %.0f s (%d of %d cycles); %s back to %s %s, loop back to %s.",
            loopId,
            actorName(actor),
            s.tuner.elapsedS(),
            s.tuner.cyclesSeen(),
            s.tuner.cyclesNeeded(),
            loop.actuatorId(),
            fmt(s.tuner.bias()),
            unit(loop.actuatorId()),
            loop.mode());
    event("operator", actorName(actor), "info", msg);
    return CommandResult.accepted(msg);
  }

  /** Null when the loop's auto-tune is in {@code needed}; otherwise the refusal naming why. */
  private CommandResult refuseUnless(
      String loopId, AutotuneSession s, AutotuneProgress.Phase needed, String action) {
    if (!loops.containsKey(loopId)) {
      return CommandResult.rejected(
          "reactor " + reactorId + " has no loop '" + loopId + "' (loops: " + loops.keySet() + ")");
    }
    if (s == null) {
      return CommandResult.rejected("loop " + loopId + " has no auto-tune to " + action);
    }
    AutotuneProgress.Phase phase = s.phase();
    if (phase != needed) {
      return CommandResult.rejected(
          "cannot "
              + action
              + " the auto-tune of loop "
              + loopId
              + ": it is "
              + phase.name().toLowerCase(Locale.ROOT).replace('_', ' ')
              + (needed == AutotuneProgress.Phase.RUNNING
                  ? " (only a running test can be aborted)"
                  : " (only a proposal ready can be accepted or rejected)"));
    }
    return null;
  }

  private ControlLoop requireLoop(String loopId) {
    ControlLoop loop = loops.get(loopId);
    if (loop == null) {
      throw new IllegalArgumentException(
          "reactor " + reactorId + " has no loop '" + loopId + "' (loops: " + loops.keySet() + ")");
    }
    return loop;
  }

  private static String actorName(String actor) {
    return actor == null || actor.isBlank() ? "unknown" : actor;
  }

  private static String describe(PidTuning t) {
    return String.format(
        Locale.ROOT,
        "K=%.4g Ti=%.4g s Td=%.4g s N=%.3g",
        t.gain(),
        t.integralTimeS(),
        t.derivativeTimeS(),
        t.derivativeFilterN());
  }

  private Interlock activeInterlockOn(String actuatorId) {
    for (Interlock il : interlocks.values()) {
      if (il.tripped && il.spec.action().actuator().equals(actuatorId)) {
        return il;
      }
    }
    return null;
  }

  private void write(String actuatorId, double value, String reason, boolean force) {
    if (!linkUp) {
      return; // nothing can reach the device; its watchdog owns the outputs now
    }
    long now = clock.nanoTime();
    double[] last = lastWrite.get(actuatorId);
    if (!force
        && last != null
        && Math.abs(last[0] - value) < 1e-3
        && (now - (long) last[1]) / 1e9 < REFRESH_S) {
      return;
    }
    lastWrite.put(actuatorId, new double[] {value, now});
    outputs.write(actuatorId, value, reason);
  }

  private void loopEvents(ControlLoop loop) {
    LoopFlags f = flags.get(loop.id());
    Pid pid = loop.pid();
    if (loop.takeStartedWithoutReadback()) {
      event(
          "control",
          loop.id(),
          "warning",
          "Loop "
              + loop.id()
              + ": no good read-back of "
              + loop.actuatorId()
              + " for "
              + fmt(pid.config().badPvSafeAfterS())
              + " s ("
              + image.quality(loop.actuatorId()).name().toLowerCase(Locale.ROOT)
              + "); control starts from its safe value "
              + fmt(loop.safeOutput())
              + " "
              + unit(loop.actuatorId())
              + ".");
    }
    double fromPlant = loop.takeCascadeStartedFromPlant();
    if (Double.isFinite(fromPlant)) {
      event(
          "control",
          loop.id() + ".cascade_start",
          "info",
          "Loop "
              + loop.id()
              + ": cascade continues from the plant's state: "
              + loop.spec().pv()
              + " setpoint "
              + fmt(pid.workingSetpoint())
              + " "
              + unit(loop.spec().pv())
              + " (measured "
              + fmt(fromPlant)
              + "; profile "
              + fmt(loop.spec().setpoint())
              + "), "
              + loop.actuatorId()
              + " from its read-back "
              + fmt(pid.applied())
              + " "
              + unit(loop.actuatorId())
              + ".");
    }
    if (pid.pvBad() != f.pvBad) {
      f.pvBad = pid.pvBad();
      if (f.pvBad) {
        event(
            "control",
            loop.id(),
            "warning",
            "Loop "
                + loop.id()
                + ": PV "
                + loop.spec().pv()
                + " is "
                + loop.lastPvQuality().name().toLowerCase(Locale.ROOT)
                + "; "
                + loop.actuatorId()
                + " held at "
                + fmt(pid.output())
                + " "
                + unit(loop.actuatorId())
                + ".");
      } else {
        event(
            "control",
            loop.id(),
            "info",
            "Loop "
                + loop.id()
                + ": PV "
                + loop.spec().pv()
                + " good again; control resumes from "
                + fmt(pid.output())
                + " "
                + unit(loop.actuatorId())
                + ".");
      }
    }
    if (loop.overridePid() != null) {
      f.overridePvBad =
          secondaryPvEvent(
              loop,
              "override",
              loop.spec().override().pv(),
              loop.overridePid(),
              f.overridePvBad,
              "its limit on " + loop.actuatorId(),
              unit(loop.actuatorId()));
    }
    if (loop.outerPid() != null) {
      f.cascadePvBad =
          secondaryPvEvent(
              loop,
              "cascade",
              loop.spec().cascade().pv(),
              loop.outerPid(),
              f.cascadePvBad,
              "the " + loop.spec().pv() + " setpoint it sets",
              unit(loop.spec().pv()));
    }
    boolean controlling = loop.mode() == LoopMode.AUTO || loop.mode() == LoopMode.CASCADE;
    boolean saturated =
        controlling
            && pid.saturated()
            && !pid.pvBad()
            && loop.interlock() == null
            && !loop.autotuneRunning();
    long now = clock.nanoTime();
    if (saturated) {
      if (f.saturatedSinceNanos < 0) {
        f.saturatedSinceNanos = now;
      }
      if (!f.saturationFlag && (now - f.saturatedSinceNanos) / 1e9 >= SATURATION_FLAG_S) {
        f.saturationFlag = true;
        String pvUnit = unit(loop.spec().pv());
        String what =
            loop.overrideActive()
                ? loop.actuatorId() + " limited by the " + loop.spec().override().pv() + " override"
                : loop.actuatorId()
                    + " saturated at "
                    + fmt(pid.output())
                    + " "
                    + unit(loop.actuatorId());
        event(
            "control",
            loop.id() + ".saturated",
            "warning",
            "Loop "
                + loop.id()
                + ": "
                + what
                + " for "
                + fmt(SATURATION_FLAG_S)
                + " s with "
                + loop.spec().pv()
                + " "
                + fmt(loop.lastPv())
                + " "
                + pvUnit
                + " (setpoint "
                + fmt(pid.workingSetpoint())
                + " "
                + pvUnit
                + "): the loop cannot do more; check "
                + (loop.overrideActive()
                    ? "the scaffold / line for clogging."
                    : "the " + loop.actuatorId() + " (failed?) and the process."));
      }
    } else {
      if (f.saturationFlag) {
        event(
            "control",
            loop.id() + ".saturated",
            "info",
            "Loop " + loop.id() + ": " + loop.actuatorId() + " back within its range.");
      }
      f.saturationFlag = false;
      f.saturatedSinceNanos = -1;
    }
    if (pid.safeOutputActive() != f.safe) {
      f.safe = pid.safeOutputActive();
      if (f.safe) {
        event(
            "interlock",
            loop.id() + ".bad_pv",
            "critical",
            "Loop "
                + loop.id()
                + ": PV "
                + loop.spec().pv()
                + " bad for more than "
                + fmt(pid.config().badPvSafeAfterS())
                + " s; "
                + loop.actuatorId()
                + " to its safe value "
                + fmt(pid.config().safeOutput())
                + " "
                + unit(loop.actuatorId())
                + ".");
      }
    }
  }

  /**
   * The override's or cascade's own PV going bad (or good again) is news too: that controller stops
   * protecting (a dead pressure sensor no longer caps the pump) and its output is held, then safe.
   * Returns the new flag.
   */
  private boolean secondaryPvEvent(
      ControlLoop loop,
      String which,
      String pvId,
      Pid c,
      boolean wasBad,
      String what,
      String outUnit) {
    if (c.pvBad() == wasBad) {
      return wasBad;
    }
    String source = loop.id() + "." + which;
    if (c.pvBad()) {
      event(
          "control",
          source,
          "warning",
          "Loop "
              + loop.id()
              + ": "
              + which
              + " PV "
              + pvId
              + " is "
              + image.quality(pvId).name().toLowerCase(Locale.ROOT)
              + "; "
              + what
              + " is held at "
              + fmt(c.output())
              + " "
              + outUnit
              + ", then goes to "
              + fmt(c.config().safeOutput())
              + " "
              + outUnit
              + " after "
              + fmt(c.config().badPvSafeAfterS())
              + " s.");
    } else {
      event(
          "control",
          source,
          "info",
          "Loop "
              + loop.id()
              + ": "
              + which
              + " PV "
              + pvId
              + " good again; "
              + what
              + " resumes.");
    }
    return c.pvBad();
  }

  private void publishSnapshots(ControlLoop loop, double applied) {
    if (snapshots == null) {
      return;
    }
    Pid pid = loop.pid();
    snapshots.accept(
        new LoopSnapshot(
            reactorId,
            loop.id(),
            clock.now(),
            loop.mode().name(),
            pid.workingSetpoint(),
            loop.lastPv(),
            loop.lastPvQuality(),
            Double.isFinite(applied) ? applied : loop.lastOutput(),
            pid.pTerm(),
            pid.iTerm(),
            pid.dTerm(),
            pid.feedforward(),
            pid.saturated(),
            loop.overrideActive(),
            loop.interlock()));
    if (loop.overridePid() != null) {
      snapshots.accept(
          innerSnapshot(
              loop.overridePid(),
              loop.id() + ".override",
              loop.mode().name(),
              loop.spec().override().pv(),
              loop.overrideActive(),
              loop.interlock()));
    }
    if (loop.outerPid() != null && loop.mode() == LoopMode.CASCADE) {
      snapshots.accept(
          innerSnapshot(
              loop.outerPid(),
              loop.id() + ".cascade",
              "AUTO",
              loop.spec().cascade().pv(),
              false,
              null));
    }
  }

  /** The snapshot of a loop's override or cascade controller: its own PID and the PV it reads. */
  private LoopSnapshot innerSnapshot(
      Pid p, String id, String mode, String pvId, boolean overrideActive, String interlock) {
    return new LoopSnapshot(
        reactorId,
        id,
        clock.now(),
        mode,
        p.workingSetpoint(),
        image.value(pvId),
        image.quality(pvId),
        p.output(),
        p.pTerm(),
        p.iTerm(),
        p.dTerm(),
        p.feedforward(),
        p.saturated(),
        overrideActive,
        interlock);
  }

  // ---- the one command door ----

  public CommandResult command(ControlCommand c) {
    CommandResult r = validateAndApply(c);
    if (r.accepted()) {
      event("operator", c.actor() == null ? "unknown" : c.actor(), "info", r.message());
      String loopId = runtimeSettings.markChanged(c);
      if (loopId != null) {
        settingsChanges.accept(loopSettings(loopId, c.actor()));
      }
    }
    return r;
  }

  private CommandResult validateAndApply(ControlCommand c) {
    if (c instanceof ControlCommand.ResetInterlock r) {
      return resetInterlock(r);
    }
    String loopId;
    if (c instanceof ControlCommand.SetSetpoint s) {
      loopId = s.loopId();
    } else if (c instanceof ControlCommand.SetCascadeSetpoint s) {
      loopId = s.loopId();
    } else if (c instanceof ControlCommand.SetMode s) {
      loopId = s.loopId();
    } else if (c instanceof ControlCommand.SetManualOutput s) {
      loopId = s.loopId();
    } else if (c instanceof ControlCommand.SetTuning s) {
      loopId = s.loopId();
    } else {
      return CommandResult.rejected("unknown command " + c);
    }
    ControlLoop loop = loops.get(loopId);
    if (loop == null) {
      return CommandResult.rejected(
          "reactor " + reactorId + " has no loop '" + loopId + "' (loops: " + loops.keySet() + ")");
    }
    LoopSpec spec = loop.spec();
    if (c instanceof ControlCommand.SetSetpoint s) {
      if (!Double.isFinite(s.setpoint()) || !spec.setpointLimits().contains(s.setpoint())) {
        return outsideLimits("setpoint", s.setpoint(), spec.pv(), loopId, spec.setpointLimits());
      }
      loop.setSetpoint(s.setpoint());
      return CommandResult.accepted(
          "Loop " + loopId + " setpoint set to " + fmt(s.setpoint()) + " " + unit(spec.pv()));
    }
    if (c instanceof ControlCommand.SetCascadeSetpoint s) {
      if (spec.cascade() == null) {
        return CommandResult.rejected("loop " + loopId + " has no cascade controller");
      }
      if (!Double.isFinite(s.setpoint())
          || !spec.cascade().setpointLimits().contains(s.setpoint())) {
        return outsideLimits(
            "cascade setpoint",
            s.setpoint(),
            spec.cascade().pv(),
            loopId,
            spec.cascade().setpointLimits());
      }
      loop.setCascadeSetpoint(s.setpoint());
      return CommandResult.accepted(
          "Loop "
              + loopId
              + " cascade ("
              + spec.cascade().pv()
              + ") setpoint set to "
              + fmt(s.setpoint())
              + " "
              + unit(spec.cascade().pv()));
    }
    if (c instanceof ControlCommand.SetMode s) {
      if (s.mode() == null) {
        return CommandResult.rejected("mode is required: OFF, MANUAL, AUTO or CASCADE");
      }
      if (s.mode() == LoopMode.CASCADE && spec.cascade() == null) {
        return CommandResult.rejected(
            "loop " + loopId + " has no cascade configured; modes allowed: OFF, MANUAL, AUTO");
      }
      LoopMode before = loop.mode();
      loop.cancelAutotune("mode change by " + c.actor());
      loop.setMode(s.mode());
      return CommandResult.accepted("Loop " + loopId + " mode " + before + " -> " + s.mode());
    }
    if (c instanceof ControlCommand.SetManualOutput s) {
      if (!Double.isFinite(s.output()) || !loop.outputRange().contains(s.output())) {
        return CommandResult.rejected(
            "manual output "
                + fmt(s.output())
                + " "
                + unit(spec.output())
                + " for loop "
                + loopId
                + " is outside the allowed range of "
                + spec.output()
                + " "
                + loop.outputRange());
      }
      loop.setManualOutput(s.output());
      return CommandResult.accepted(
          "Loop "
              + loopId
              + " manual output set to "
              + fmt(s.output())
              + " "
              + unit(spec.output())
              + (loop.mode() == LoopMode.MANUAL ? "" : " (takes effect in MANUAL)"));
    }
    ControlCommand.SetTuning s = (ControlCommand.SetTuning) c;
    if (s.tuning() == null) {
      return CommandResult.rejected("tuning is required");
    }
    String which = s.controller() == null ? "main" : s.controller();
    if (loop.controller(which) == null) {
      return CommandResult.rejected(
          "loop "
              + loopId
              + " has no '"
              + which
              + "' controller (main"
              + (spec.override() != null ? ", override" : "")
              + (spec.cascade() != null ? ", cascade" : "")
              + ")");
    }
    loop.setTuning(which, s.tuning());
    return CommandResult.accepted(
        String.format(
            Locale.ROOT,
            "Loop %s %s tuning set to K=%.4g Ti=%.4g s Td=%.4g s",
            loopId,
            which,
            s.tuning().gain(),
            s.tuning().integralTimeS(),
            s.tuning().derivativeTimeS()));
  }

  private CommandResult resetInterlock(ControlCommand.ResetInterlock r) {
    Interlock il = interlocks.get(r.interlockId());
    if (il == null) {
      return CommandResult.rejected(
          "reactor "
              + reactorId
              + " has no interlock '"
              + r.interlockId()
              + "' (interlocks: "
              + interlocks.keySet()
              + ")");
    }
    if (!il.tripped) {
      return CommandResult.rejected(
          "interlock " + il.spec.id() + " is not tripped; nothing to reset");
    }
    ProcessImage.Entry e = image.get(il.spec.signal());
    if (e == null || !e.usable()) {
      return CommandResult.rejected(
          "interlock "
              + il.spec.id()
              + " cannot be reset: "
              + il.spec.signal()
              + " has no good value to confirm the condition is gone");
    }
    if (!il.clearWithHysteresis(e.value())) {
      return CommandResult.rejected(
          "interlock "
              + il.spec.id()
              + " cannot be reset: "
              + il.spec.signal()
              + " is "
              + fmt(e.value())
              + " "
              + unit(il.spec.signal())
              + ", still at or beyond its limit (reset allowed 1 % inside it)");
    }
    il.tripped = false;
    il.cause = null;
    interlockChanges.accept(new InterlockChange(reactorId, il.spec.id(), false, clock.now(), null));
    return CommandResult.accepted(
        "Interlock "
            + il.spec.id()
            + " reset; "
            + il.spec.action().actuator()
            + " returns to its loop");
  }

  // ---- helpers ----

  private void event(String type, String source, String severity, String message) {
    if (events != null) {
      events.accept(new HepaEvent(clock.now(), reactorId, type, source, severity, message));
    }
  }

  /** A setpoint refused: its value and the limits it is outside of, in the unit of {@code pv}. */
  private CommandResult outsideLimits(
      String what, double setpoint, String pv, String loopId, Range limits) {
    return CommandResult.rejected(
        what
            + " "
            + fmt(setpoint)
            + " "
            + unit(pv)
            + " for loop "
            + loopId
            + " is outside its allowed range "
            + limits
            + " "
            + unit(pv));
  }

  private String unit(String signalId) {
    return profile.signal(signalId).map(SignalSpec::unit).orElse("");
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  /**
   * True while the loop has been saturated for longer than {@link #SATURATION_FLAG_S} (the
   * actuator-fault flag).
   */
  public boolean saturationFlag(String loopId) {
    LoopFlags f = flags.get(loopId);
    return f != null && f.saturationFlag;
  }

  /** The interlocks currently tripped (for the console and tests). */
  public List<Interlock> trippedInterlocks() {
    List<Interlock> out = new ArrayList<>();
    for (Interlock il : interlocks.values()) {
      if (il.tripped) {
        out.add(il);
      }
    }
    return out;
  }
}
