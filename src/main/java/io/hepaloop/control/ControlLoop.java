package io.hepaloop.control;

import io.hepaloop.core.Quality;
import io.hepaloop.profile.LoopSpec;
import io.hepaloop.profile.Range;
import io.hepaloop.profile.SignalSpec;
import io.hepaloop.time.Clock;

/**
 * One loop of the device profile: a main PID from {@code pv} to {@code output}, optionally with
 *
 * <ul>
 *   <li>a select-low <b>override</b>: a second PID on another PV (inlet pressure) whose output caps
 *       the main output, so a clogging scaffold throttles the pump instead of bursting; both
 *       controllers track the value really applied (external reset feedback), so whichever is not
 *       selected waits just above it, ready to take over without a bump;
 *   <li>a <b>cascade</b>: an outer PID on another PV (outlet pO2) whose output, select-high with
 *       the operator's setpoint, becomes the main loop's setpoint within the loop's setpointLimits.
 *       The outer setpoint therefore acts as a floor: the inlet is raised only as far as needed to
 *       keep the outlet at it. The outer controller gets a feedforward of its setpoint plus the
 *       filtered drop between inner and outer PV (the construct's oxygen uptake expressed in mmHg),
 *       so a growing demand moves the inlet setpoint at once instead of through integral action.
 *   <li>a measured-disturbance <b>feedforward</b> ({@link MeasuredFeedforward}): room temperature
 *       moves the heater before the medium cools, through a lead-lag that cancels the heater's own
 *       lag.
 * </ul>
 *
 * Not thread-safe: one reactor context executes it. {@link ReactorControl} applies interlocks on
 * top and reports the value finally applied with {@link #applied(double, String)}.
 */
public final class ControlLoop {
  /**
   * Time constant of the average applied output: long enough to average out what sensor noise does
   * to P and D (a few percent each execution on the temperature loop), short enough to follow a
   * settled loop.
   */
  static final double OUTPUT_AVERAGE_S = 60.0;

  /** Filter time constant of the cascade's drop feedforward: noise out, demand trends in. */
  static final double DROP_FILTER_S = 60.0;

  private final LoopSpec spec;
  private final SignalSpec actuator;
  private final Clock clock;
  private final Pid pid;
  private final Pid overridePid;
  private final Pid outerPid;
  private final Range outputRange;
  private final MeasuredFeedforward feedforward;

  private LoopMode mode;
  private double operatorSetpoint;
  private double outerSetpoint;
  private boolean awaitingReadback = true;
  private boolean awaitStarted;
  private boolean startedWithoutReadback;
  private boolean pvUsableNow;
  private long awaitSinceNanos;
  private final FirstOrderLag filteredDrop = new FirstOrderLag(DROP_FILTER_S);

  /**
   * This controller has not yet run its cascade: the first execution in CASCADE with a good inner
   * PV takes the inner setpoint from the plant (see {@link #startCascadeFromPlant}).
   */
  private boolean cascadeFromPlantPending;

  private double cascadeStartedFromPlant = Double.NaN;

  private double lastPv = Double.NaN;
  private Quality lastPvQuality = Quality.BAD;
  private double lastOutput = Double.NaN;
  private final FirstOrderLag averageOutput = new FirstOrderLag(OUTPUT_AVERAGE_S);
  private boolean overrideActive;
  private String interlock;

  public ControlLoop(LoopSpec spec, SignalSpec actuator, Clock clock) {
    this.spec = spec;
    this.actuator = actuator;
    this.clock = clock;
    this.outputRange = actuator.allowed() != null ? actuator.allowed() : actuator.range();
    double safe = actuator.safeValue() == null ? outputRange.min() : actuator.safeValue();
    double badAfter = spec.badPvSafeAfterS() == null ? 10.0 : spec.badPvSafeAfterS();
    double gap = Math.max(5.0, 10 * spec.periodMs() / 1000.0);
    Pid.Config main =
        new Pid.Config(
            outputRange.min(),
            outputRange.max(),
            Pid.Direction.parse(spec.direction()),
            safe,
            badAfter,
            spec.setpointRampPerMin() == null ? 0.0 : spec.setpointRampPerMin(),
            gap);
    this.operatorSetpoint = spec.setpoint();
    this.pid = new Pid(clock, main, PidTuning.from(spec.tuning()), spec.setpoint(), safe);
    if (spec.override() != null) {
      LoopSpec.OverrideSpec o = spec.override();
      Pid.Config oc =
          new Pid.Config(
              outputRange.min(),
              outputRange.max(),
              Pid.Direction.parse(o.direction()),
              safe,
              badAfter,
              0,
              gap);
      this.overridePid = new Pid(clock, oc, PidTuning.from(o.tuning()), o.setpoint(), safe);
    } else {
      this.overridePid = null;
    }
    if (spec.cascade() != null) {
      LoopSpec.CascadeSpec c = spec.cascade();
      Range inner = spec.setpointLimits();
      Pid.Config cc =
          new Pid.Config(
              inner.min(),
              inner.max(),
              Pid.Direction.parse(c.direction()),
              spec.setpoint(),
              badAfter,
              0,
              gap);
      this.outerSetpoint = c.setpoint();
      this.outerPid = new Pid(clock, cc, PidTuning.from(c.tuning()), c.setpoint(), spec.setpoint());
      this.mode = LoopMode.CASCADE;
      this.cascadeFromPlantPending = true;
    } else {
      this.outerPid = null;
      this.mode = LoopMode.AUTO;
    }
    this.feedforward =
        spec.feedforward() == null ? null : new MeasuredFeedforward(spec.feedforward());
    applyModeToPids();
  }

  public String id() {
    return spec.id();
  }

  public LoopSpec spec() {
    return spec;
  }

  public String actuatorId() {
    return spec.output();
  }

  public Range outputRange() {
    return outputRange;
  }

  public double safeOutput() {
    return pid.config().safeOutput();
  }

  /**
   * Executes once; returns the output to write, or NaN when the loop writes nothing this cycle
   * (OFF, waiting for a read-back).
   */
  public double execute(ProcessImage image) {
    ProcessImage.Entry pvEntry = image.get(spec.pv());
    boolean usable = pvEntry != null && pvEntry.usable();
    double pv = pvEntry == null ? Double.NaN : pvEntry.value();
    lastPv = pv;
    lastPvQuality = image.quality(spec.pv());
    ProcessImage.Entry readback = image.get(spec.output());

    pvUsableNow = usable;
    if (feedforward != null) {
      ProcessImage.Entry d = image.get(feedforward.spec().signal());
      pid.setFeedforward(
          feedforward.update(
              d == null ? Double.NaN : d.value(), d != null && d.usable(), clock.nanoTime()));
    }
    if (awaitingReadback && !initializeFromReadback(readback)) {
      return Double.NaN;
    }
    if (tuner != null && tuner.state() == RelayAutoTuner.State.RUNNING) {
      double u = tuner.step(pv, usable, clock.nanoTime() / 1e9);
      pid.setManualOutput(u);
      pid.update(pv, usable);
      trackOthers(image, u);
      overrideActive = false;
      lastOutput = u;
      if (tuner.state() != RelayAutoTuner.State.RUNNING) {
        tunerJustEnded = true;
        setMode(modeBeforeTune); // continues bumplessly from the relay's bias
      }
      return u;
    }
    switch (mode) {
      case OFF -> {
        if (readback != null && readback.usable()) {
          pid.setManualOutput(readback.value());
        }
        pid.update(pv, usable);
        trackOthers(image, pid.output());
        lastOutput = pid.output();
        overrideActive = false;
        return Double.NaN;
      }
      case MANUAL -> {
        double u = pid.update(pv, usable);
        trackOthers(image, u);
        overrideActive = false;
        lastOutput = u;
        return u;
      }
      default -> {
        if (mode == LoopMode.CASCADE && outerPid != null) {
          if (cascadeFromPlantPending && usable) {
            startCascadeFromPlant(pv);
          }
          double outer = executeOuter(image);
          double innerSp = spec.setpointLimits().clamp(Math.max(operatorSetpoint, outer));
          pid.setSetpointNow(innerSp);
          outerPid.track(innerSp);
        }
        double u = pid.update(pv, usable);
        overrideActive = false;
        if (overridePid != null) {
          ProcessImage.Entry o = image.get(spec.override().pv());
          double uo =
              overridePid.update(o == null ? Double.NaN : o.value(), o != null && o.usable());
          if (uo < u) {
            u = uo;
            overrideActive = true;
          }
        }
        lastOutput = u;
        return u;
      }
    }
  }

  /**
   * A new controller takes over a cascade that may have run for weeks: the inner setpoint the
   * previous controller (process) had reached is not on the device, but the inner loop held the
   * inner PV at it, so the measured inner PV is the best estimate of it. The outer controller
   * starts with its output there (its integral re-based on its first execution: I = PV_inner − P −
   * ff), the inner setpoint follows at once and the inner controller, initialised from the
   * actuator's read-back, sees no error to act on. Starting from the profile's setpoint instead cut
   * the sweep gas of a construct at high demand and left its outlet below the floor for minutes
   * (issue 7). From there the outer controller moves the inner setpoint as the outlet needs;
   * select-high with the operator's setpoint still holds.
   */
  private void startCascadeFromPlant(double innerPv) {
    double base = spec.setpointLimits().clamp(innerPv);
    pid.setSetpointNow(base);
    outerPid.initialize(base);
    cascadeFromPlantPending = false;
    cascadeStartedFromPlant = base;
  }

  private double executeOuter(ProcessImage image) {
    ProcessImage.Entry inner = image.get(spec.pv());
    ProcessImage.Entry outerPv = image.get(spec.cascade().pv());
    boolean outerUsable = outerPv != null && outerPv.usable();
    if (outerUsable && inner != null && inner.usable()) {
      double drop = inner.value() - outerPv.value();
      outerPid.setFeedforward(
          outerSetpoint + Math.max(0, filteredDrop.update(drop, clock.nanoTime())));
    }
    return outerPid.update(outerPv == null ? Double.NaN : outerPv.value(), outerUsable);
  }

  private void trackOthers(ProcessImage image, double u) {
    if (overridePid != null) {
      ProcessImage.Entry o = image.get(spec.override().pv());
      overridePid.update(o == null ? Double.NaN : o.value(), o != null && o.usable());
      overridePid.track(u);
    }
    if (outerPid != null) {
      outerPid.update(image.value(spec.cascade().pv()), image.usable(spec.cascade().pv()));
      outerPid.track(pid.workingSetpoint());
    }
  }

  private boolean initializeFromReadback(ProcessImage.Entry readback) {
    if (readback != null && readback.usable()) {
      initialize(readback.value());
      return true;
    }
    if (!pvUsableNow) {
      awaitStarted = false; // nothing to control yet (link not up): wait quietly
      return false;
    }
    long now = clock.nanoTime();
    if (!awaitStarted) {
      awaitStarted = true;
      awaitSinceNanos = now;
    }
    if ((now - awaitSinceNanos) / 1e9 >= pid.config().badPvSafeAfterS()) {
      initialize(safeOutput()); // no read-back: start from the safe value rather than never
      startedWithoutReadback = true;
      return true;
    }
    return false;
  }

  private void initialize(double outputInPlace) {
    pid.initialize(outputInPlace);
    if (overridePid != null) {
      overridePid.initialize(outputInPlace);
    }
    if (outerPid != null) {
      outerPid.initialize(pid.workingSetpoint());
    }
    if (mode == LoopMode.MANUAL) {
      pid.setManualOutput(outputInPlace);
    }
    awaitingReadback = false;
    awaitStarted = false;
    lastOutput = outputInPlace;
  }

  /**
   * The link came back: wait for a fresh (non-stale) actuator read-back and continue from it, so
   * the first write equals what the device holds (its watchdog may have moved it). Every value was
   * marked stale when the link dropped, so any usable read-back arrived after the outage, even one
   * that overtook the link-state message on the bus.
   */
  public void reinitializeFromReadback() {
    awaitingReadback = true;
    awaitStarted = false;
  }

  /**
   * The applied output averaged over about {@link #OUTPUT_AVERAGE_S} (NaN before the first): where
   * a settled loop really holds its actuator, without the noise of single executions. The relay
   * auto-tune centres on it; centred on one noisy execution instead, a relay of ±10 % around 25 %
   * where 35 % holds the setpoint never lifts the PV across it and never switches.
   */
  public double averageOutput() {
    return averageOutput.value();
  }

  /**
   * Reports the value finally applied (after interlocks) and the interlock that forced it, if any.
   */
  public void applied(double value, String interlockId) {
    this.interlock = interlockId;
    if (Double.isFinite(value)) {
      averageOutput.update(value, clock.nanoTime());
    }
    if (interlockId != null && Double.isFinite(value)) {
      // an interlock is a forced output: the controllers follow it exactly, so that after the
      // reset the loop continues from the forced value instead of jumping back to where it was
      pid.initialize(value);
      if (overridePid != null) {
        overridePid.initialize(value);
      }
      lastOutput = value;
      return;
    }
    if (Double.isFinite(value)) {
      pid.track(value);
      if (overridePid != null) {
        overridePid.track(value);
      }
      lastOutput = value;
    }
  }

  // ---- auto-tune ----

  private RelayAutoTuner tuner;
  private LoopMode modeBeforeTune;
  private boolean tunerJustEnded;

  /**
   * Starts a relay test: the loop goes MANUAL-like under the relay until it ends, then back to its
   * mode.
   */
  void startAutotune(RelayAutoTuner t) {
    this.modeBeforeTune = mode;
    this.tuner = t;
    this.tunerJustEnded = false;
    pid.setMode(Pid.Mode.MANUAL);
  }

  /** The current or last relay test, or null. */
  public RelayAutoTuner autotuner() {
    return tuner;
  }

  public boolean autotuneRunning() {
    return tuner != null && tuner.state() == RelayAutoTuner.State.RUNNING;
  }

  /** True once after the loop started from the safe value because no good read-back came. */
  boolean takeStartedWithoutReadback() {
    boolean b = startedWithoutReadback;
    startedWithoutReadback = false;
    return b;
  }

  /**
   * Once after the cascade started from the plant's state: the inner setpoint it took; NaN
   * otherwise.
   */
  double takeCascadeStartedFromPlant() {
    double sp = cascadeStartedFromPlant;
    cascadeStartedFromPlant = Double.NaN;
    return sp;
  }

  /** True once after the relay test ended (done or aborted). */
  boolean takeAutotuneEnded() {
    boolean e = tunerJustEnded;
    tunerJustEnded = false;
    return e;
  }

  /**
   * An engineer stops the relay test: the output goes back to the relay's bias (where the loop was
   * settled), as when the test ends by itself, and the loop continues from there in its mode.
   */
  void abortAutotune(String reason) {
    if (autotuneRunning()) {
      pid.initialize(tuner.bias());
      lastOutput = tuner.bias();
      cancelAutotune(reason);
    }
  }

  void cancelAutotune(String reason) {
    if (autotuneRunning()) {
      tuner.cancel(reason);
      tunerJustEnded = true;
      setMode(modeBeforeTune);
    }
  }

  // ---- commands (validated by ReactorControl) ----

  void setMode(LoopMode newMode) {
    if (newMode != mode) {
      cascadeFromPlantPending =
          false; // an operator's mode change: the usual bumpless transfer below applies
    }
    if (newMode == LoopMode.CASCADE && mode != LoopMode.CASCADE && outerPid != null) {
      outerPid.initialize(pid.workingSetpoint());
    }
    if (mode == LoopMode.CASCADE && newMode != LoopMode.CASCADE) {
      pid.setSetpointNow(pid.workingSetpoint());
      pid.setSetpoint(operatorSetpoint);
    }
    mode = newMode;
    applyModeToPids();
  }

  private void applyModeToPids() {
    boolean controlling = mode == LoopMode.AUTO || mode == LoopMode.CASCADE;
    pid.setMode(controlling ? Pid.Mode.AUTO : Pid.Mode.MANUAL);
    if (overridePid != null) {
      overridePid.setMode(controlling ? Pid.Mode.AUTO : Pid.Mode.MANUAL);
    }
    if (outerPid != null) {
      outerPid.setMode(mode == LoopMode.CASCADE ? Pid.Mode.AUTO : Pid.Mode.MANUAL);
    }
  }

  void setSetpoint(double sp) {
    operatorSetpoint = sp;
    if (mode != LoopMode.CASCADE) {
      pid.setSetpoint(sp);
    }
  }

  void setCascadeSetpoint(double sp) {
    outerSetpoint = sp;
    outerPid.setSetpoint(sp);
  }

  void setManualOutput(double u) {
    pid.setManualOutput(u);
  }

  void setTuning(String controller, PidTuning t) {
    controller(controller).setTuning(t);
  }

  /**
   * {@code main}, {@code override} or {@code cascade}; null when the loop has no such controller.
   */
  public Pid controller(String name) {
    return switch (name == null ? "main" : name) {
      case "main" -> pid;
      case "override" -> overridePid;
      case "cascade" -> outerPid;
      default -> null;
    };
  }

  // ---- state for snapshots, events and tests ----

  public LoopMode mode() {
    return mode;
  }

  public Pid pid() {
    return pid;
  }

  public Pid overridePid() {
    return overridePid;
  }

  public Pid outerPid() {
    return outerPid;
  }

  public double operatorSetpoint() {
    return operatorSetpoint;
  }

  public double cascadeSetpoint() {
    return outerSetpoint;
  }

  public double lastPv() {
    return lastPv;
  }

  public Quality lastPvQuality() {
    return lastPvQuality;
  }

  public double lastOutput() {
    return lastOutput;
  }

  public boolean overrideActive() {
    return overrideActive;
  }

  public String interlock() {
    return interlock;
  }

  public boolean awaitingReadback() {
    return awaitingReadback;
  }
}
