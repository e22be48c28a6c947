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
 * <p><b>Sensor resolution.</b> A quantised PV (a transmitter reporting 0.1 °C steps) changes in
 * jumps; the filtered derivative turns each jump into an output kick of {@code K·Td·q/(Td/N + h)}
 * (quantum q, loop period h), about {@code K·N·q}. The textbook proposal on a 0.1 °C temperature
 * swung the heater between 10 and 70 %. The tuner therefore estimates q from the PV seen during the
 * test ({@link PvResolution}) and bounds that kick to {@link #MAX_DERIVATIVE_KICK_FRACTION} of the
 * output span: first by a stronger derivative filter (smaller N), and when that would need {@code N
 * < }{@link #MIN_DERIVATIVE_FILTER_N} (the filter then eats most of D's phase lead, so D would
 * bring mostly quantisation noise) by proposing Tyreus–Luyben PI instead. {@link Result#shaping()}
 * says what was done and why.
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
   * Largest output move, as a fraction of the output span, that one quantum step of the PV may
   * cause through the derivative term. 2 % of a heater: a PV dithering between two codes then moves
   * the output by at most ±2 % through D (see {@link #derivativeKick}), on top of the proportional
   * term's K·q, which any controller with that gain has.
   */
  public static final double MAX_DERIVATIVE_KICK_FRACTION = 0.02;

  /**
   * Below this derivative filter N the filter time constant Td/N exceeds Td: at the ultimate
   * frequency (ωu·Td ≈ 1 for Td = Pu/6.3) D keeps less than 45° of its 90° lead, so a D term that
   * needs such a filter to stay quiet is dominated by quantisation and PI is proposed instead.
   */
  public static final double MIN_DERIVATIVE_FILTER_N = 1.0;

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

  /**
   * What the test measured and what it proposes.
   *
   * @param pvQuantum the PV's resolution seen during the test; 0 when no quantisation is visible,
   *     NaN when the PV changed too seldom to tell
   * @param shaping what the tuner did about the PV's resolution, and why (one sentence)
   */
  public record Result(
      double ultimateGain,
      double ultimatePeriodS,
      double pvAmplitude,
      PidTuning proposal,
      String rule,
      double pvQuantum,
      String shaping) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "Ku=%.4g Pu=%.1f s (PV amplitude %.4g) -> %s: K=%.4g Ti=%.1f s Td=%.1f s N=%.3g. %s",
          ultimateGain,
          ultimatePeriodS,
          pvAmplitude,
          rule,
          proposal.gain(),
          proposal.integralTimeS(),
          proposal.derivativeTimeS(),
          proposal.derivativeFilterN(),
          shaping);
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
  private double lastS = Double.NaN;
  private long steps;
  private final PvResolution resolution = new PvResolution();
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
    lastS = nowS;
    steps++;
    if (!usable || !Double.isFinite(pv)) {
      return abort("the PV went bad");
    }
    resolution.observe(pv);
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
    double q = resolution.quantum();
    PidTuning pi = template.withGains(ku / 3.2, 2.2 * pu, 0);
    if (!config.derivative()) {
      result = new Result(ku, pu, a, pi, "Tyreus-Luyben PI", q, resolutionNote(q, pi) + ".");
    } else {
      result = shapeDerivative(ku, pu, a, q, template.withGains(ku / 2.2, 2.2 * pu, pu / 6.3), pi);
    }
    state = State.DONE;
  }

  /**
   * The Tyreus–Luyben PID as it is when one quantum step of the PV kicks the output by at most
   * {@link #MAX_DERIVATIVE_KICK_FRACTION} of its span through D; otherwise with a stronger
   * derivative filter, or PI when that filter would leave D no lead.
   */
  private Result shapeDerivative(
      double ku, double pu, double a, double q, PidTuning pid, PidTuning pi) {
    double dt = meanStepS();
    double bound = MAX_DERIVATIVE_KICK_FRACTION * (outMax - outMin);
    double kick = derivativeKick(pid, q, dt);
    if (!(q > 0) || kick <= bound) {
      String why =
          !(q > 0)
              ? resolutionNote(q, pid) + "; derivative kept"
              : String.format(
                  Locale.ROOT,
                  "PV resolution %.3g: one step moves the output by %.2f through D (bound %.2f, %.0f %% of its span): derivative kept",
                  q,
                  kick,
                  bound,
                  100 * MAX_DERIVATIVE_KICK_FRACTION);
      return new Result(ku, pu, a, pid, "Tyreus-Luyben PID", q, why + ".");
    }
    // K·Td·q / (Td/N + h) <= bound  <=>  N <= Td / (K·Td·q/bound − h)
    double filterS = pid.gain() * pid.derivativeTimeS() * q / bound - dt;
    double nMax = filterS > 0 ? pid.derivativeTimeS() / filterS : Double.POSITIVE_INFINITY;
    nMax = Math.floor(nMax * 1000) / 1000; // rounded down: the bound holds, not just nearly
    if (nMax >= MIN_DERIVATIVE_FILTER_N) {
      PidTuning filtered = pid.withDerivativeFilterN(Math.min(nMax, pid.derivativeFilterN()));
      String why =
          String.format(
              Locale.ROOT,
              "PV resolution %.3g: with N=%.3g one step would move the output by %.2f through D; derivative filter raised to N=%.3g (Td/N = %.1f s) so it moves it by at most %.2f (%.0f %% of its span).",
              q,
              pid.derivativeFilterN(),
              kick,
              filtered.derivativeFilterN(),
              filtered.derivativeTimeS() / filtered.derivativeFilterN(),
              derivativeKick(filtered, q, dt),
              100 * MAX_DERIVATIVE_KICK_FRACTION);
      return new Result(ku, pu, a, filtered, "Tyreus-Luyben PID", q, why);
    }
    String why =
        String.format(
            Locale.ROOT,
            "PV resolution %.3g: the PID's D term would move the output by %.2f per step, and a filter that keeps it within %.2f (N=%.3g < %.3g) leaves D hardly any lead: PI proposed instead (P moves the output %.2f per step).",
            q,
            kick,
            bound,
            nMax,
            MIN_DERIVATIVE_FILTER_N,
            pi.gain() * q);
    return new Result(ku, pu, a, pi, "Tyreus-Luyben PI (derivative dropped: PV quantised)", q, why);
  }

  private static String resolutionNote(double q, PidTuning t) {
    if (Double.isNaN(q)) {
      return "PV changed too seldom to estimate its resolution";
    }
    if (q == 0) {
      return "no quantisation visible in the PV";
    }
    return String.format(
        Locale.ROOT, "PV resolution %.3g: P moves the output %.2f per step", q, t.gain() * q);
  }

  /**
   * The output move that one PV step of {@code quantum} causes through the filtered derivative of
   * {@link Pid} ({@code d = tf/(tf+h)·d + K·Td/(tf+h)·Δy}, tf = Td/N): {@code K·Td·q/(Td/N + h)}. A
   * PV confined to a band of width R keeps D within ±R/q times this, whatever its dither.
   */
  public static double derivativeKick(PidTuning t, double quantum, double periodS) {
    if (t.derivativeTimeS() <= 0 || !(quantum > 0)) {
      return 0;
    }
    double tf = t.derivativeTimeS() / t.derivativeFilterN();
    return t.gain() * t.derivativeTimeS() * quantum / (tf + periodS);
  }

  /** Mean time between executions so far (the loop's period), seconds; 0 before the second. */
  double meanStepS() {
    return steps >= 2 ? (lastS - startS) / (steps - 1) : 0;
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

  /** Cycles the test needs (the first is discarded). */
  public int cyclesNeeded() {
    return config.cycles() + 1;
  }

  public Config config() {
    return config;
  }

  public double setpoint() {
    return setpoint;
  }

  /** Seconds from the first execution to the latest (frozen when the test ends). */
  public double elapsedS() {
    return Double.isNaN(startS) ? 0 : lastS - startS;
  }

  /**
   * Mean PV half-amplitude of the cycles so far (first discarded once there are two); NaN before.
   */
  public double amplitudeSoFar() {
    int n = amplitudes.size();
    if (n == 0) {
      return Double.NaN;
    }
    int from = n >= 2 ? 1 : 0;
    double sum = 0;
    for (int i = from; i < n; i++) {
      sum += amplitudes.get(i);
    }
    return sum / (n - from);
  }

  /** Mean period of the cycles so far (first discarded once there are two), seconds; NaN before. */
  public double periodSoFarS() {
    int m = risingSwitchTimesS.size();
    if (m >= 3) {
      return (risingSwitchTimesS.get(m - 1) - risingSwitchTimesS.get(1)) / (m - 2);
    }
    return m == 2 ? risingSwitchTimesS.get(1) - risingSwitchTimesS.get(0) : Double.NaN;
  }

  /** The PV's resolution as seen so far ({@link PvResolution#quantum()}). */
  public double pvQuantumSoFar() {
    return resolution.quantum();
  }
}
