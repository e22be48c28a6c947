package io.hepaloop.sim;

import io.hepaloop.profile.SignalKind;
import io.hepaloop.profile.SignalSpec;
import io.hepaloop.sim.model.ReactorModel;
import io.hepaloop.sim.model.SensorChannel;
import java.util.Locale;

/**
 * What a profile signal means to the plant model: which true value a sensor reads, which command an
 * actuator sets, and the instrument characteristics the simulator gives it. Signals the model does
 * not know are still exposed (the node set is exactly the profile's), as Bad_NotSupported sensors
 * or as actuators that store the value and do nothing.
 */
enum SignalBinding {
  TEMPERATURE("temperature", new SensorChannel.Spec(0.02, 0, 0.01, 0, 60)),
  DO_INLET("do_inlet", new SensorChannel.Spec(0.4, 0, 0.1, 0, 760)),
  DO_OUTLET("do_outlet", new SensorChannel.Spec(0.4, 0, 0.1, 0, 760)),
  FLOW("flow", new SensorChannel.Spec(0.004, 0, 0.001, 0, 10)),
  PRESSURE_INLET("pressure_inlet", new SensorChannel.Spec(0.08, 0, 0.01, 0, 100)),
  TEMPERATURE_AMBIENT("temperature_ambient", new SensorChannel.Spec(0.05, 0, 0.01, -20, 60)),
  HEATER("heater", null),
  GAS_O2("gas_o2", null),
  PUMP("pump", null),
  UNKNOWN(null, null);

  final String signalId;
  final SensorChannel.Spec defaultSpec;

  SignalBinding(String signalId, SensorChannel.Spec defaultSpec) {
    this.signalId = signalId;
    this.defaultSpec = defaultSpec;
  }

  static SignalBinding of(SignalSpec spec) {
    for (SignalBinding b : values()) {
      if (spec.id().equals(b.signalId)) {
        boolean actuator = b.defaultSpec == null;
        return actuator == (spec.kind() == SignalKind.ACTUATOR) ? b : UNKNOWN;
      }
    }
    return UNKNOWN;
  }

  /** The true value a sensor of this kind reads from the model. */
  double trueValue(ReactorModel m) {
    return switch (this) {
      case TEMPERATURE -> m.temperatureC();
      case DO_INLET -> m.doInletMmHg();
      case DO_OUTLET -> m.doOutletMmHg();
      case FLOW -> m.flowMlPerMin();
      case PRESSURE_INLET -> m.pressureInletMmHg();
      case TEMPERATURE_AMBIENT -> m.ambientC();
      case HEATER -> m.heaterPct();
      case GAS_O2 -> m.gasO2Pct();
      case PUMP -> m.pumpPct();
      case UNKNOWN -> Double.NaN;
    };
  }

  /** Applies an actuator command to the model; false if the model has no such actuator. */
  boolean command(ReactorModel m, double value) {
    switch (this) {
      case HEATER -> m.setHeaterPct(value);
      case GAS_O2 -> m.setGasO2Pct(value);
      case PUMP -> m.setPumpPct(value);
      default -> {
        return false;
      }
    }
    return true;
  }

  /**
   * The sensor characteristics, with the instrument range taken from the profile when it has one.
   */
  SensorChannel.Spec sensorSpec(SignalSpec spec, boolean noise) {
    SensorChannel.Spec base = defaultSpec == null ? SensorChannel.Spec.ideal() : defaultSpec;
    double min = spec.range() != null ? spec.range().min() : base.minValue();
    double max = spec.range() != null ? spec.range().max() : base.maxValue();
    return noise
        ? new SensorChannel.Spec(base.noiseSigma(), base.driftPerHour(), base.quantStep(), min, max)
        : new SensorChannel.Spec(0, 0, 0, min, max);
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
