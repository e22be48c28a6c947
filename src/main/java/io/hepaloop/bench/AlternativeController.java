package io.hepaloop.bench;

import io.hepaloop.profile.LoopSpec;
import io.hepaloop.profile.Range;
import io.hepaloop.profile.SignalSpec;
import io.hepaloop.sim.model.ReactorModel;
import java.util.Map;

/**
 * The controllers HepaLoop is compared with in {@code bench control}: a textbook PID (the same K,
 * Ti, Td, but on the error, derivative unfiltered, integral unbounded, no setpoint ramp, override,
 * cascade or interlocks) and an on/off controller with a hysteresis of half the quality band.
 */
final class AlternativeController {
  private final LoopSpec spec;
  private final PlantHarness.Strategy strategy;
  private final double sign;
  private final Range out;
  private double setpoint;
  private double integral;
  private double prevError = Double.NaN;
  private double u;
  private boolean initialised;

  AlternativeController(
      LoopSpec spec, SignalSpec actuator, PlantHarness.Strategy strategy, ReactorModel model) {
    this.spec = spec;
    this.strategy = strategy;
    this.sign = "direct".equalsIgnoreCase(spec.direction()) ? -1 : 1;
    this.out = actuator.allowed() != null ? actuator.allowed() : actuator.range();
    this.setpoint = spec.setpoint();
    this.u =
        switch (spec.output()) {
          case "heater" -> model.heaterPct();
          case "gas_o2" -> model.gasO2Pct();
          default -> model.pumpPct();
        };
  }

  String actuatorId() {
    return spec.output();
  }

  double setpoint() {
    return setpoint;
  }

  void setSetpoint(double sp) {
    setpoint = sp;
  }

  /** Half-width of the on/off hysteresis: half the benchmark's quality band. */
  double hysteresis() {
    return switch (spec.id()) {
      case "temperature" -> 0.05;
      case "flow" -> 0.01 * setpoint;
      default -> 0.015 * setpoint;
    };
  }

  double execute(Map<String, Double> readings, double dtS) {
    Double pvBoxed = readings.get(spec.pv());
    double pv = pvBoxed == null ? Double.NaN : pvBoxed;
    if (!Double.isFinite(pv)) {
      return u; // holds
    }
    double e = sign * (setpoint - pv);
    if (strategy == PlantHarness.Strategy.ON_OFF) {
      if (e > hysteresis()) {
        u = out.max();
      } else if (e < -hysteresis()) {
        u = out.min();
      }
      return u;
    }
    double k = spec.tuning().gain();
    double ti = spec.tuning().integralTimeS() == null ? 0 : spec.tuning().integralTimeS();
    double td = spec.tuning().derivativeTimeS() == null ? 0 : spec.tuning().derivativeTimeS();
    if (!initialised) {
      // start from the output in place (fair start): integral chosen so that u(0) = u
      integral = ti > 0 && k > 0 ? (u / k - e) * ti : 0;
      prevError = e;
      initialised = true;
    }
    integral += e * dtS;
    double deriv = (e - prevError) / dtS;
    prevError = e;
    double v = k * (e + (ti > 0 ? integral / ti : 0) + td * deriv);
    u = out.clamp(v);
    return u;
  }
}
