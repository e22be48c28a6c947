package io.hepaloop.bench;

import io.hepaloop.bus.HepaEvent;
import io.hepaloop.control.LoopSnapshot;
import io.hepaloop.control.ReactorControl;
import io.hepaloop.core.Quality;
import io.hepaloop.device.Sample;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.LoopSpec;
import io.hepaloop.sim.model.ReactorModel;
import io.hepaloop.sim.model.ReactorParameters;
import io.hepaloop.sim.model.SensorChannel;
import io.hepaloop.sim.model.SensorReading;
import io.hepaloop.time.ManualClock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Deterministic plant-in-the-loop: the simulator's {@link ReactorModel} and sensor channels, and
 * the production {@link ReactorControl} (same loops, interlocks and command door), stepped on a
 * {@link ManualClock} without OPC UA or Vert.x. A day of culture runs in about a second.
 *
 * <p>Each tick of {@link #TICK_S}: the model advances, sensors are read at their profile sampling
 * intervals (with the simulator's noise and quantisation), actuator read-backs every 500 ms,
 * interlocks are evaluated on every new sample, and each loop executes on its own period. Writes
 * reach the model at once (the link's latency is small next to these loops' time constants).
 *
 * <p>A {@link Strategy} other than {@link Strategy#HEPALOOP} replaces the loops by a textbook PID
 * or an on/off controller (same gains, same periods, same plant, same noise) for the benchmark.
 */
public final class PlantHarness {
  public static final double TICK_S = 0.05;
  public static final String REACTOR = "bench";

  /** Who drives the actuators. */
  public enum Strategy {
    /** HepaLoop's controller: {@link ReactorControl} exactly as in production. */
    HEPALOOP,
    /**
     * Parallel-form PID on the error, unfiltered derivative, no anti-windup, no override/cascade,
     * no interlocks.
     */
    TEXTBOOK,
    /** On/off with a hysteresis of half the quality band, no interlocks. */
    ON_OFF
  }

  /** Sensor specifications of the simulator (noise σ, quantisation), per signal. */
  static final Map<String, SensorChannel.Spec> SENSOR_SPECS = sensorSpecs();

  /**
   * In a fixed order: each sensor's noise seed derives from its position, so runs repeat exactly
   * across JVMs.
   */
  private static Map<String, SensorChannel.Spec> sensorSpecs() {
    Map<String, SensorChannel.Spec> m = new LinkedHashMap<>();
    m.put("temperature", new SensorChannel.Spec(0.02, 0, 0.01, 0, 60));
    m.put("do_inlet", new SensorChannel.Spec(0.4, 0, 0.1, 0, 760));
    m.put("do_outlet", new SensorChannel.Spec(0.4, 0, 0.1, 0, 760));
    m.put("flow", new SensorChannel.Spec(0.004, 0, 0.001, 0, 10));
    m.put("pressure_inlet", new SensorChannel.Spec(0.08, 0, 0.01, 0, 100));
    m.put(
        "temperature_ambient",
        new SensorChannel.Spec(0.05, 0, 0.01, -20, 60)); // last: keeps the others' seeds
    return java.util.Collections.unmodifiableMap(m);
  }

  private final ManualClock clock = new ManualClock();
  private final DeviceProfile profile;
  private final ReactorModel model;
  private final Strategy strategy;
  private ReactorControl control;
  private final Map<String, SensorChannel> sensors = new LinkedHashMap<>();
  private final Map<String, Long> sensorPeriodTicks = new LinkedHashMap<>();
  private final Map<String, Long> loopPeriodTicks = new LinkedHashMap<>();
  private final Map<String, AlternativeController> alternatives = new LinkedHashMap<>();
  private final List<HepaEvent> events = new ArrayList<>();
  private final List<Consumer<PlantHarness>> observers = new ArrayList<>();
  private final Map<String, Double> lastReading = new LinkedHashMap<>();
  private long tick;
  private final long seed;
  private Consumer<LoopSnapshot> snapshotSink = s -> {};

  public PlantHarness(
      DeviceProfile profile,
      ReactorParameters parameters,
      Strategy strategy,
      boolean noise,
      long seed) {
    this.profile = profile;
    this.model = new ReactorModel(parameters);
    this.strategy = strategy;
    this.seed = seed;
    long k = seed;
    for (Map.Entry<String, SensorChannel.Spec> e : SENSOR_SPECS.entrySet()) {
      SensorChannel.Spec spec = noise ? e.getValue() : SensorChannel.Spec.ideal();
      sensors.put(e.getKey(), new SensorChannel(e.getKey(), spec, seed * 31 + (k++)));
      double ms =
          profile.signal(e.getKey()).map(s -> s.samplingIntervalMsOrDefault()).orElse(500.0);
      sensorPeriodTicks.put(e.getKey(), Math.max(1, Math.round(ms / 1000.0 / TICK_S)));
    }
    for (LoopSpec l : profile.loops()) {
      loopPeriodTicks.put(l.id(), Math.max(1, Math.round(l.periodMs() / 1000.0 / TICK_S)));
      if (strategy != Strategy.HEPALOOP) {
        alternatives.put(
            l.id(),
            new AlternativeController(l, profile.requireSignal(l.output()), strategy, model));
      }
    }
    this.control =
        new ReactorControl(
            REACTOR, profile, clock, this::write, events::add, s -> snapshotSink.accept(s));
    publishSensors(true);
    publishReadbacks();
  }

  /**
   * Replaces the controller by a fresh {@link ReactorControl} on the same plant, as a new
   * controller process does after a restart: it knows nothing of the old one's state (setpoints,
   * integrals) and gets the present sensor values and read-backs, as a device link's first samples
   * bring them.
   */
  public void restartController() {
    this.control =
        new ReactorControl(
            REACTOR, profile, clock, this::write, events::add, s -> snapshotSink.accept(s));
    publishSensors(true);
    publishReadbacks();
  }

  /**
   * Replaces one sensor's instrument (a coarser transmitter, say one that reports 0.1 °C steps),
   * with the noise seed it had, so a run differs from the standard one only by that instrument.
   */
  public void replaceSensor(String signalId, SensorChannel.Spec spec) {
    if (!sensors.containsKey(signalId)) {
      throw new IllegalArgumentException(
          "no sensor " + signalId + " (sensors: " + sensors.keySet() + ")");
    }
    int index = new ArrayList<>(sensors.keySet()).indexOf(signalId);
    sensors.put(signalId, new SensorChannel(signalId, spec, seed * 31 + seed + index));
  }

  /** Runs {@code seconds} of simulated time. */
  public void run(double seconds) {
    long n = Math.round(seconds / TICK_S);
    for (long i = 0; i < n; i++) {
      tickOnce();
    }
  }

  private void tickOnce() {
    clock.advanceSeconds(TICK_S);
    model.step(TICK_S);
    tick++;
    boolean any = publishSensors(false);
    if (tick % 10 == 0) {
      publishReadbacks();
    }
    if (any && strategy == Strategy.HEPALOOP) {
      control.evaluateInterlocks(); // the alternatives run without interlocks, as documented
    }
    for (Map.Entry<String, Long> e : loopPeriodTicks.entrySet()) {
      if (tick % e.getValue() == 0) {
        if (strategy == Strategy.HEPALOOP) {
          control.executeLoop(e.getKey());
        } else {
          AlternativeController a = alternatives.get(e.getKey());
          double u = a.execute(lastReading, e.getValue() * TICK_S);
          write(a.actuatorId(), u, "alternative");
        }
      }
    }
    for (Consumer<PlantHarness> o : observers) {
      o.accept(this);
    }
  }

  private boolean publishSensors(boolean all) {
    boolean any = false;
    for (Map.Entry<String, SensorChannel> e : sensors.entrySet()) {
      if (!all && tick % sensorPeriodTicks.get(e.getKey()) != 0) {
        continue;
      }
      SensorReading r = e.getValue().read(trueValue(e.getKey()), model.elapsedS());
      lastReading.put(e.getKey(), r.quality() == Quality.GOOD ? r.value() : Double.NaN);
      control.onSample(new Sample(REACTOR, e.getKey(), r.value(), "", clock.now(), r.quality()));
      any = true;
    }
    return any;
  }

  private void publishReadbacks() {
    control.onSample(
        new Sample(REACTOR, "heater", model.heaterPct(), "%", clock.now(), Quality.GOOD));
    control.onSample(
        new Sample(REACTOR, "gas_o2", model.gasO2Pct(), "%", clock.now(), Quality.GOOD));
    control.onSample(new Sample(REACTOR, "pump", model.pumpPct(), "%", clock.now(), Quality.GOOD));
  }

  /** The plant's true value of a sensor signal. */
  public double trueValue(String signalId) {
    return switch (signalId) {
      case "temperature" -> model.temperatureC();
      case "do_inlet" -> model.doInletMmHg();
      case "do_outlet" -> model.doOutletMmHg();
      case "flow" -> model.flowMlPerMin();
      case "pressure_inlet" -> model.pressureInletMmHg();
      case "temperature_ambient" -> model.ambientC();
      default -> throw new IllegalArgumentException("no sensor " + signalId);
    };
  }

  /** Current actuator command of the plant. */
  public double actuator(String actuatorId) {
    return switch (actuatorId) {
      case "heater" -> model.heaterPct();
      case "gas_o2" -> model.gasO2Pct();
      case "pump" -> model.pumpPct();
      default -> throw new IllegalArgumentException("no actuator " + actuatorId);
    };
  }

  private void write(String actuatorId, double value, String reason) {
    switch (actuatorId) {
      case "heater" -> model.setHeaterPct(value);
      case "gas_o2" -> model.setGasO2Pct(value);
      case "pump" -> model.setPumpPct(value);
      default -> throw new IllegalArgumentException("no actuator " + actuatorId);
    }
  }

  /** Calls {@code observer} after every tick (metrics, scenario disturbances). */
  public PlantHarness observe(Consumer<PlantHarness> observer) {
    observers.add(observer);
    return this;
  }

  public void onSnapshot(Consumer<LoopSnapshot> sink) {
    this.snapshotSink = sink;
  }

  /** The setpoint the loop is holding now (working setpoint, after ramp and cascade). */
  public double setpoint(String loopId) {
    if (strategy == Strategy.HEPALOOP) {
      return control.loop(loopId).pid().workingSetpoint();
    }
    return alternatives.get(loopId).setpoint();
  }

  /**
   * Operator setpoint change, through the command door for HepaLoop, directly for the alternatives.
   */
  public void setSetpoint(String loopId, double sp) {
    if (strategy == Strategy.HEPALOOP) {
      var r =
          control.command(
              new io.hepaloop.control.ControlCommand.SetSetpoint(loopId, sp, "harness"));
      if (!r.accepted()) {
        throw new IllegalArgumentException(r.message());
      }
    } else {
      alternatives.get(loopId).setSetpoint(sp);
    }
  }

  public double timeS() {
    return tick * TICK_S;
  }

  public ManualClock clock() {
    return clock;
  }

  public ReactorModel model() {
    return model;
  }

  public ReactorControl control() {
    return control;
  }

  public Strategy strategy() {
    return strategy;
  }

  public SensorChannel sensor(String id) {
    return sensors.get(id);
  }

  public List<HepaEvent> events() {
    return events;
  }

  public DeviceProfile profile() {
    return profile;
  }
}
