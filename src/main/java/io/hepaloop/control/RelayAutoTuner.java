package io.hepaloop.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Relay-feedback auto-tune (Åström &amp; Hägglund, 1984). The loop's output is replaced by a relay
 * {@code bias ± amplitude} around the output in place, switching when the PV crosses the setpoint
 * by more than the hysteresis. The loop then oscillates at its ultimate period Pu; with PV
 * amplitude a the describing function of a relay with hysteresis ε gives the ultimate gain
 *
 * <pre>  Ku = 4·d / (π · sqrt(a² − ε²))</pre>
 *
 * <p>Tuning rule: <b>Tyreus–Luyben</b> (1992), chosen over Ziegler–Nichols because it is far less
 * aggressive (gain margin ≈ 3 instead of ≈ 1.7) and so keeps the overshoot low a culture can
 * tolerate:
 *
 * <pre>
 *   PI :  K = Ku / 3.2   Ti = 2.2·Pu
 *   PID:  K = Ku / 2.2   Ti = 2.2·Pu   Td = Pu / 6.3
 * </pre>
 *
 * <p>Safety during the test: the output never leaves the actuator's allowed range, the relay
 * amplitude is the operator's choice, and the test aborts (output back to the bias) if the PV
 * leaves {@code setpoint ± maxDeviation}, if the PV goes bad, or if no stable oscillation shows
 * within the time limit. Interlocks keep winning over the relay (it runs inside the loop like
 * MANUAL).
 *
 * <p>Pure Java, stepped by the loop on its period with the loop's clock time.
 */
public final class RelayAutoTuner {

  /**
   * @param amplitude relay amplitude d, output units (e.g. 10 % of heater)
   * @param hysteresis ε, PV units; a little above the sensor noise so noise does not chatter the
   *     relay
   * @param maxDeviation abort when |PV − setpoint| exceeds this, PV units
   * @param cycles stable cycles to average (after the first, which is discarded)
   * @param timeoutS abort when not done after this long
   * @param derivative propose PID (true) or PI (false)
   */
  public record Config(
      double amplitude,
      double hysteresis,
      double maxDeviation,
      int cycles,
      double timeoutS,
      boolean derivative) {
    public Config {
      if (!(amplitude > 0)
          || !(hysteresis >= 0)
          || !(maxDeviation > hysteresis)
          || cycles < 2
          || !(timeoutS > 0)) {
        throw new IllegalArgumentException(
            "autotune needs amplitude > 0, hysteresis >= 0, maxDeviation > hysteresis, cycles >= 2, timeoutS > 0");
      }
      // An infinite deviation or time limit would switch off the test's own safety aborts.
      if (Double.isInfinite(amplitude)
          || Double.isInfinite(maxDeviation)
          || Double.isInfinite(timeoutS)) {
        throw new IllegalArgumentException(
            "autotune amplitude, maxDeviation and timeoutS must be finite (got "
                + amplitude
                + ", "
                + maxDeviation
                + ", "
                + timeoutS
                + ")");
      }
    }
  }

  public enum State {
    RUNNING,
    DONE,
    ABORTED
  }

  /** What the test measured and what it proposes. */
  public record Result(
      double ultimateGain,
      double ultimatePeriodS,
      double pvAmplitude,
      PidTuning proposal,
      String rule) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "Ku=%.4g Pu=%.1f s (PV amplitude %.4g) -> %s: K=%.4g Ti=%.1f s Td=%.1f s",
          ultimateGain,
          ultimatePeriodS,
          pvAmplitude,
          rule,
          proposal.gain(),
          proposal.integralTimeS(),
          proposal.derivativeTimeS());
    }
  }

  private final Config config;
  private final double setpoint;
  private final double bias;
  private boolean switchedDown;
  private final double outMin;
  private final double outMax;
  private final double sign;
  private final PidTuning template;
  private State state = State.RUNNING;
  private String abortReason;
  private Result result;

  private double startS = Double.NaN;
  private boolean high;
  private double output;
  private final List<Double> risingSwitchTimesS = new ArrayList<>();
  private final List<Double> amplitudes = new ArrayList<>();
  private double cycleMax = Double.NEGATIVE_INFINITY;
  private double cycleMin = Double.POSITIVE_INFINITY;

  /**
   * @param setpoint the PV the relay oscillates around
   * @param bias output in place when the test starts (the loop should be settled there)
   * @param direction the loop's action (reverse: output high when PV is low)
   * @param template tuning whose non-gain settings (b, c, N, Tt, rate limit) the proposal keeps
   */
  public RelayAutoTuner(
      Config config,
      double setpoint,
      double bias,
      double outMin,
      double outMax,
      Pid.Direction direction,
      PidTuning template) {
    this.config = config;
    this.setpoint = setpoint;
    this.bias = bias;
    this.outMin = outMin;
    this.outMax = outMax;
    this.sign = direction == Pid.Direction.REVERSE ? 1 : -1;
    this.template = template;
    if (bias + config.amplitude() > outMax || bias - config.amplitude() < outMin) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "relay %.2f ± %.2f leaves the output range [%.2f, %.2f]: lower the amplitude",
              bias,
              config.amplitude(),
              outMin,
              outMax));
    }
    this.high = true;
    this.output = bias + config.amplitude();
  }

  /** One execution: returns the relay output (or the bias once finished or aborted). */
  public double step(double pv, boolean usable, double nowS) {
    if (state != State.RUNNING) {
      return bias;
    }
    if (Double.isNaN(startS)) {
      startS = nowS;
    }
    if (!usable || !Double.isFinite(pv)) {
      return abort("the PV went bad");
    }
    double e = sign * (setpoint - pv); // > 0: PV on the side where the output must go up
    if (Math.abs(pv - setpoint) > config.maxDeviation()) {
      return abort(
          String.format(Locale.ROOT, "PV %.3f left setpoint ± %.3f", pv, config.maxDeviation()));
    }
    if (nowS - startS > config.timeoutS()) {
      if (risingSwitchTimesS.isEmpty() && !switchedDown) {
        return abort(
            String.format(
                Locale.ROOT,
                "the PV never crossed the setpoint ± %.3f within %d s: the relay %.2f ± %.2f "
                    + "does not move it across (let the loop settle first, or raise the amplitude)",
                config.hysteresis(),
                (long) config.timeoutS(),
                bias,
                config.amplitude()));
      }
      return abort("no stable oscillation within " + (long) config.timeoutS() + " s");
    }
    cycleMax = Math.max(cycleMax, pv);
    cycleMin = Math.min(cycleMin, pv);
    if (!high && e > config.hysteresis()) {
      high = true;
      risingSwitchTimesS.add(nowS);
      if (risingSwitchTimesS.size() >= 2) {
        amplitudes.add((cycleMax - cycleMin) / 2);
      }
      cycleMax = Double.NEGATIVE_INFINITY;
      cycleMin = Double.POSITIVE_INFINITY;
      if (amplitudes.size() >= config.cycles() + 1) {
        finish();
        return bias;
      }
    } else if (high && e < -config.hysteresis()) {
      high = false;
      switchedDown = true;
    }
    output = Math.max(outMin, Math.min(outMax, bias + (high ? 1 : -1) * config.amplitude()));
    return output;
  }

  private void finish() {
    // discard the first cycle (start-up transient), average the rest
    int n = amplitudes.size();
    double a = 0;
    for (int i = 1; i < n; i++) {
      a += amplitudes.get(i);
    }
    a /= (n - 1);
    int m = risingSwitchTimesS.size();
    double pu = (risingSwitchTimesS.get(m - 1) - risingSwitchTimesS.get(m - n)) / (n - 1);
    double eps = config.hysteresis();
    if (!(a > eps)) {
      abort(
          "oscillation amplitude "
              + a
              + " not above the hysteresis "
              + eps
              + ": raise the relay amplitude");
      return;
    }
    double ku = 4 * config.amplitude() / (Math.PI * Math.sqrt(a * a - eps * eps));
    PidTuning p =
        config.derivative()
            ? template.withGains(ku / 2.2, 2.2 * pu, pu / 6.3)
            : template.withGains(ku / 3.2, 2.2 * pu, 0);
    result =
        new Result(ku, pu, a, p, config.derivative() ? "Tyreus-Luyben PID" : "Tyreus-Luyben PI");
    state = State.DONE;
  }

  private double abort(String reason) {
    state = State.ABORTED;
    abortReason = reason;
    return bias;
  }

  /** Stops the test from outside (operator, interlock). */
  public void cancel(String reason) {
    if (state == State.RUNNING) {
      abort(reason);
    }
  }

  public State state() {
    return state;
  }

  public String abortReason() {
    return abortReason;
  }

  public Result result() {
    return result;
  }

  public double bias() {
    return bias;
  }

  public int cyclesSeen() {
    return amplitudes.size();
  }
}
