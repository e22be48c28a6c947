package io.hepaloop.control;

import io.hepaloop.time.Clock;

/**
 * A PID controller in ISA standard form, written for process loops that run for weeks: pure Java,
 * one thread, no allocation per execution.
 *
 * <h2>Form</h2>
 *
 * <pre>
 *   u = K · ( b·r − y  +  (1/Ti) ∫ (r − y) dt  +  Td · d(c·r − y)/dt ) + ff      (reverse action)
 * </pre>
 *
 * with setpoint r, measurement y, non-negative gain K, integral time Ti and derivative time Td. For
 * {@link Direction#DIRECT} action every term changes sign (output rises when y rises above r);
 * gains stay non-negative. The derivative acts on {@code c·r − y} (c = 0 by default: on the
 * measurement only, so a setpoint step gives no derivative kick) through a first-order filter of
 * time constant Td/N, discretised by backward difference (stable for any elapsed time). The
 * integral is integrated by forward Euler with the <em>real</em> time between executions, read from
 * a {@link Clock}: a late or missed cycle integrates the time that actually passed (capped at
 * {@link Config#maxGapS}) and the filtered derivative divides by that same time, so neither kicks.
 *
 * <h2>Anti-windup: back-calculation</h2>
 *
 * The unlimited output v = P + I + D + ff is limited to [min, max] and by the output rate limit,
 * giving u. The actuator may also receive something else (a select-low override or an interlock
 * won): the loop reports that with {@link #track(double)}. The integral is then corrected by
 * (u<sub>applied</sub> − v)·h/Tt each execution, so it stops winding at saturation and follows the
 * value really applied (external reset feedback), with tracking time Tt ({@link
 * PidTuning#effectiveTrackingTimeS()}).
 *
 * <h2>Bumpless transfers</h2>
 *
 * In MANUAL the integral tracks the manual output (I = u − P − D − ff), so switching to AUTO starts
 * from the output in place. On a tuning change, on return of a good PV, and after {@link
 * #initialize}, the next execution re-bases the integral so that the output continues from the last
 * applied value.
 *
 * <h2>Quality</h2>
 *
 * A Bad or stale PV is never used: the output holds its last value, {@link #pvBad()} is raised, and
 * after {@link Config#badPvSafeAfterS} the output goes to {@link Config#safeOutput} ({@link
 * #safeOutputActive()}). When a good PV returns, control resumes bumplessly from there.
 */
public final class Pid {

  /**
   * REVERSE: output rises when the PV is below the setpoint (a heater). DIRECT: the opposite (a
   * cooler).
   */
  public enum Direction {
    DIRECT,
    REVERSE;

    public static Direction parse(String s) {
      if (s == null) {
        return REVERSE;
      }
      return switch (s.trim().toLowerCase()) {
        case "direct" -> DIRECT;
        case "reverse" -> REVERSE;
        default ->
            throw new IllegalArgumentException(
                "direction must be 'direct' or 'reverse', got '" + s + "'");
      };
    }
  }

  public enum Mode {
    MANUAL,
    AUTO
  }

  /**
   * Fixed configuration of one controller.
   *
   * @param outputMin lowest output
   * @param outputMax highest output
   * @param direction action
   * @param safeOutput where the output goes when the PV has been bad for {@code badPvSafeAfterS}
   * @param badPvSafeAfterS how long a bad PV holds the output before it goes safe (infinite = hold
   *     forever)
   * @param setpointRampPerMin largest setpoint change per minute; 0 = setpoint steps
   * @param maxGapS longest elapsed time integrated in one execution (a stalled context does not
   *     wind up)
   */
  public record Config(
      double outputMin,
      double outputMax,
      Direction direction,
      double safeOutput,
      double badPvSafeAfterS,
      double setpointRampPerMin,
      double maxGapS) {
    public Config {
      if (!(outputMax > outputMin)) {
        throw new IllegalArgumentException(
            "outputMax must be > outputMin: [" + outputMin + ", " + outputMax + "]");
      }
      if (direction == null) {
        throw new IllegalArgumentException("direction is required");
      }
      if (!(badPvSafeAfterS >= 0) || !(setpointRampPerMin >= 0) || !(maxGapS > 0)) {
        throw new IllegalArgumentException(
            "badPvSafeAfterS, setpointRampPerMin >= 0 and maxGapS > 0 required");
      }
    }

    /** Output 0..100 %, reverse, safe 0, hold a bad PV 10 s, no ramp, gaps capped at 10 s. */
    public static Config percent(Direction d) {
      return new Config(0, 100, d, 0, 10, 0, 10);
    }

    public Config withSafe(double safeOutput, double badPvSafeAfterS) {
      return new Config(
          outputMin,
          outputMax,
          direction,
          safeOutput,
          badPvSafeAfterS,
          setpointRampPerMin,
          maxGapS);
    }

    public Config withRamp(double perMin) {
      return new Config(
          outputMin, outputMax, direction, safeOutput, badPvSafeAfterS, perMin, maxGapS);
    }

    public Config withLimits(double min, double max) {
      return new Config(
          min, max, direction, safeOutput, badPvSafeAfterS, setpointRampPerMin, maxGapS);
    }
  }

  private final Clock clock;
  private final Config config;
  private final double sign;
  private PidTuning tuning;

  private Mode mode = Mode.MANUAL;
  private double targetSetpoint;
  private double workingSetpoint;
  private double manualOutput;
  private double feedforward;

  private double p;
  private double i;
  private double d;
  private double unlimited; // v of the last execution
  private double output; // u of the last execution
  private double applied; // what really went to the actuator (u unless tracked)
  private boolean saturated;

  private boolean started;
  private long lastNanos;
  private boolean prevValid; // previous execution used a good PV in a controlling mode
  private double prevError;
  private double prevDerivInput; // c·r − y of the previous execution
  private boolean rebase = true;
  private boolean pvBad;
  private long badSinceNanos;
  private boolean safeActive;

  public Pid(Clock clock, Config config, PidTuning tuning, double setpoint, double initialOutput) {
    this.clock = clock;
    this.config = config;
    this.sign = config.direction() == Direction.REVERSE ? 1.0 : -1.0;
    this.tuning = tuning;
    this.targetSetpoint = setpoint;
    this.workingSetpoint = setpoint;
    double u0 = clampToLimits(initialOutput);
    this.manualOutput = u0;
    this.output = u0;
    this.applied = u0;
    this.unlimited = u0;
  }

  /**
   * Executes once with the PV read now; returns the output to apply (then call {@link #track} if
   * something else was applied).
   */
  public double update(double pv, boolean pvUsable) {
    long now = clock.nanoTime();
    double dt = started ? Math.max(0, (now - lastNanos) / 1e9) : 0.0;
    started = true;
    lastNanos = now;
    double h = Math.min(dt, config.maxGapS());

    // 1. Integrate the previous interval (forward Euler with the real elapsed time) +
    // back-calculation.
    if (mode == Mode.AUTO && prevValid && h > 0 && tuning.integralTimeS() > 0) {
      i += tuning.gain() * h / tuning.integralTimeS() * prevError;
      double tt = tuning.effectiveTrackingTimeS();
      i += Math.min(1.0, h / tt) * (applied - unlimited);
    }

    // 2. Setpoint ramp.
    rampSetpoint(dt);

    // 3. Quality: never use a bad PV. (MANUAL writes the operator's output whatever the PV.)
    if (!pvUsable || !Double.isFinite(pv)) {
      if (!pvBad) {
        pvBad = true;
        badSinceNanos = now;
      }
      if (mode == Mode.MANUAL) {
        safeActive = false;
        output = manualOutput;
      } else if ((now - badSinceNanos) / 1e9 >= config.badPvSafeAfterS()) {
        safeActive = true;
        output = config.safeOutput();
      } else if (!safeActive) {
        output = applied;
      }
      applied = output;
      unlimited = output;
      p = 0;
      d = 0;
      i = output - feedforward;
      saturated = false;
      prevValid = false;
      rebase = true;
      return output;
    }
    pvBad = false;
    safeActive = false;

    // 4. Proportional and filtered derivative on c·r − y.
    double r = workingSetpoint;
    p = sign * tuning.gain() * (tuning.setpointWeightP() * r - pv);
    double derivInput = tuning.setpointWeightD() * r - pv;
    if (tuning.derivativeTimeS() > 0 && prevValid && dt <= config.maxGapS()) {
      if (dt > 0) {
        double tf = tuning.derivativeTimeS() / tuning.derivativeFilterN();
        d =
            tf / (tf + dt) * d
                + sign
                    * tuning.gain()
                    * tuning.derivativeTimeS()
                    / (tf + dt)
                    * (derivInput - prevDerivInput);
      } // a second execution at the same instant keeps the derivative it had
    } else {
      d = 0;
    }

    if (mode == Mode.MANUAL) {
      output = manualOutput;
      i = output - p - d - feedforward;
      unlimited = output;
      saturated = false;
    } else {
      if (rebase) {
        i = applied - p - d - feedforward;
        rebase = false;
      }
      unlimited = p + i + d + feedforward;
      double u = clampToLimits(unlimited);
      if (tuning.outputRateLimitPerS() > 0 && dt > 0) {
        double step = tuning.outputRateLimitPerS() * dt;
        u = Math.max(applied - step, Math.min(applied + step, u));
      }
      saturated = u != unlimited;
      output = u;
    }
    applied = output;
    prevError = sign * (r - pv);
    prevDerivInput = derivInput;
    prevValid = true;
    return output;
  }

  /**
   * Reports what really reached the actuator this cycle (select-low override, interlock,
   * read-back), so that anti-windup follows it and the rate limit starts from it.
   */
  public void track(double appliedOutput) {
    if (Double.isFinite(appliedOutput)) {
      if (appliedOutput != output && mode == Mode.AUTO) {
        saturated = true;
      }
      applied = appliedOutput;
      if (mode == Mode.MANUAL || !prevValid) {
        i = appliedOutput - p - d - feedforward;
      }
    }
  }

  /**
   * Sets the output in place (e.g. the actuator read-back after a reconnect); the next execution
   * continues from it.
   */
  public void initialize(double outputInPlace) {
    double u = clampToLimits(outputInPlace);
    applied = u;
    output = u;
    unlimited = u;
    manualOutput = mode == Mode.MANUAL ? u : manualOutput;
    prevValid = false;
    d = 0;
    rebase = true;
  }

  public void setMode(Mode newMode) {
    if (newMode == Mode.MANUAL && mode != Mode.MANUAL) {
      manualOutput = applied; // MANUAL starts from the output in place
    }
    if (newMode == Mode.AUTO && mode != Mode.AUTO) {
      rebase = true;
    }
    mode = newMode;
  }

  public void setManualOutput(double value) {
    manualOutput = clampToLimits(value);
  }

  /** New target setpoint; the working setpoint moves to it at the configured ramp rate. */
  public void setSetpoint(double target) {
    targetSetpoint = target;
    if (config.setpointRampPerMin() <= 0) {
      workingSetpoint = target;
    }
  }

  /**
   * Setpoint that takes effect at once (a cascade's outer loop drives it; ramping would add lag).
   */
  public void setSetpointNow(double target) {
    targetSetpoint = target;
    workingSetpoint = target;
  }

  /**
   * Changes tuning mid-run without a bump: the next execution continues from the applied output.
   */
  public void setTuning(PidTuning newTuning) {
    this.tuning = newTuning;
    rebase = true;
  }

  public void setFeedforward(double ff) {
    this.feedforward = Double.isFinite(ff) ? ff : 0.0;
  }

  private void rampSetpoint(double dt) {
    double rate = config.setpointRampPerMin();
    if (rate <= 0) {
      workingSetpoint = targetSetpoint;
      return;
    }
    double maxStep = rate / 60.0 * dt;
    double diff = targetSetpoint - workingSetpoint;
    workingSetpoint += Math.max(-maxStep, Math.min(maxStep, diff));
  }

  private double clampToLimits(double v) {
    return Math.max(config.outputMin(), Math.min(config.outputMax(), v));
  }

  public Mode mode() {
    return mode;
  }

  public Config config() {
    return config;
  }

  public PidTuning tuning() {
    return tuning;
  }

  public double targetSetpoint() {
    return targetSetpoint;
  }

  public double workingSetpoint() {
    return workingSetpoint;
  }

  public double manualOutput() {
    return manualOutput;
  }

  public double feedforward() {
    return feedforward;
  }

  public double pTerm() {
    return p;
  }

  public double iTerm() {
    return i;
  }

  public double dTerm() {
    return d;
  }

  public double output() {
    return output;
  }

  public double applied() {
    return applied;
  }

  /**
   * The output was limited (output limits, rate limit) or something else was applied (override,
   * interlock).
   */
  public boolean saturated() {
    return saturated;
  }

  /** The PV was Bad, stale or not a number at the last execution: the output is held. */
  public boolean pvBad() {
    return pvBad;
  }

  /**
   * The PV has been bad for longer than the configured time and the output is at its safe value.
   */
  public boolean safeOutputActive() {
    return safeActive;
  }
}
