package io.hepaloop.sim;

import io.hepaloop.core.DataType;
import io.hepaloop.core.Quality;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.SignalKind;
import io.hepaloop.profile.SignalSpec;
import io.hepaloop.profile.WatchdogSpec;
import io.hepaloop.sim.model.ReactorModel;
import io.hepaloop.sim.model.ReactorParameters;
import io.hepaloop.sim.model.SensorChannel;
import io.hepaloop.sim.model.SensorReading;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated bioreactor: its plant model, its instruments, its device-side watchdog and its
 * scenario, plus the values its OPC UA nodes publish. Everything is guarded by this object's
 * monitor: the shared tick thread and Milo's write threads both come here. Use {@code synchronized
 * (reactor)} around several calls on {@link #model()} from another thread.
 *
 * <h2>Device-side watchdog</h2>
 *
 * When the profile has a watchdog, the controller writes a changing counter to it. The watchdog
 * arms at the first counter change or at the first accepted actuator write, whichever comes first
 * (as a safe PLC program does: a controller that writes outputs but never a heartbeat is put safe
 * too); when the counter has not changed for {@code timeoutMs} of <b>real</b> time (the
 * controller's clock runs in real time whatever the simulation speed), every actuator goes to its
 * {@code safeValue} and stays there: while tripped, actuator writes are refused with
 * Bad_InvalidState, as a PLC in its safe state refuses commands until the controller's heartbeat is
 * back. The next counter change clears the trip (outputs stay at their safe values until the
 * controller commands them).
 */
public final class SimulatedReactor {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedReactor.class);

  /** One profile signal as this reactor publishes it. */
  static final class Point {
    final int index;
    final SignalSpec spec;
    final SignalBinding binding;
    final SensorChannel sensor; // null for actuators
    final DataType type;
    volatile DataValue value;
    double storedValue = Double.NaN; // actuators the model does not know: the last written value

    Point(int index, SignalSpec spec, SignalBinding binding, SensorChannel sensor) {
      this.index = index;
      this.spec = spec;
      this.binding = binding;
      this.sensor = sensor;
      this.type = DataType.of(spec.dataType());
    }

    /** The value as this node's data type holds it, saturated like a PLC's scaled output. */
    Variant raw(double engineering) {
      return type.toVariantSaturated(spec.toRaw(engineering));
    }

    boolean isActuator() {
      return spec.kind() == SignalKind.ACTUATOR;
    }
  }

  private final String id;
  private final DeviceProfile profile;
  private final ReactorModel model;
  private final Scenario scenario;
  private final List<Point> points = new ArrayList<>();
  private final Map<String, Point> byId = new HashMap<>();

  // watchdog (real time, nanoTime)
  private final WatchdogSpec watchdog;
  private final DataType watchdogType;
  private volatile DataValue watchdogValue;
  private long lastHeartbeat;

  /** The last heartbeat values written, newest last, as written (Milo's Java types). */
  private final ArrayDeque<Object> recentHeartbeats = new ArrayDeque<>();

  private long lastHeartbeatChangeNanos;
  private boolean watchdogArmed;
  private boolean watchdogTripped;
  private int watchdogTrips;

  // scenario playback
  private final List<Scenario.Event> pending;
  private final List<Runnable> revertsAt = new ArrayList<>();
  private final List<double[]> revertTimes = new ArrayList<>();
  private final List<Ramp> ramps = new ArrayList<>();
  private BiConsumer<SimulatedReactor, Duration> commsDropHandler = (r, d) -> {};
  private BiConsumer<SimulatedReactor, Duration> restartHandler = (r, d) -> {};

  private record Ramp(
      Scenario.Action action, double fromValue, double toValue, double startS, double endS) {}

  SimulatedReactor(
      String id,
      DeviceProfile profile,
      Scenario scenario,
      ReactorParameters base,
      boolean noise,
      long seed,
      long nowNanos) {
    this.id = id;
    this.profile = profile;
    this.scenario = scenario == null ? Scenario.steady() : scenario;
    ReactorParameters params =
        this.scenario.applyTo(
            base.toBuilder().alphaNmolPerMlMmHg(profile.oxygenSolubilityNmolPerMlMmHg()).build());
    this.model = new ReactorModel(params);
    this.pending =
        new ArrayList<>(this.scenario.timeline().stream().filter(e -> e.appliesTo(id)).toList());
    for (SignalSpec s : profile.signals()) {
      SignalBinding b = SignalBinding.of(s);
      SensorChannel sensor =
          s.kind() == SignalKind.SENSOR
              ? new SensorChannel(
                  s.id(), b.sensorSpec(s, noise), seed * 31 + (id + "/" + s.id()).hashCode())
              : null;
      Point p = new Point(points.size(), s, b, sensor);
      points.add(p);
      byId.put(s.id(), p);
    }
    this.watchdog = profile.watchdog();
    this.watchdogType = watchdog == null ? null : DataType.of(watchdog.dataType());
    this.watchdogValue =
        watchdog == null
            ? null
            : new DataValue(
                watchdogType.heartbeatVariant(0), StatusCode.GOOD, DateTime.now(), DateTime.now());
    this.lastHeartbeatChangeNanos = nowNanos;
    publish(DateTime.now());
  }

  public String id() {
    return id;
  }

  public DeviceProfile profile() {
    return profile;
  }

  public Scenario scenario() {
    return scenario;
  }

  /** The plant model. Not thread-safe: wrap calls in {@code synchronized (reactor)}. */
  public ReactorModel model() {
    return model;
  }

  List<Point> points() {
    return points;
  }

  DataValue watchdogValue() {
    return watchdogValue;
  }

  void onCommsDrop(BiConsumer<SimulatedReactor, Duration> handler) {
    this.commsDropHandler = handler;
  }

  void onRestart(BiConsumer<SimulatedReactor, Duration> handler) {
    this.restartHandler = handler;
  }

  // ---------------------------------------------------------------- tick

  /** Advances by {@code dtSimS} simulated seconds; called by the shared tick thread. */
  synchronized void tick(double dtSimS, long nowNanos, DateTime wallTime) {
    playScenario(model.elapsedS() + dtSimS);
    model.step(dtSimS);
    checkWatchdog(nowNanos);
    publish(wallTime);
  }

  private void publish(DateTime wallTime) {
    double t = model.elapsedS();
    for (Point p : points) {
      if (p.isActuator()) {
        double v = p.binding == SignalBinding.UNKNOWN ? p.storedValue : p.binding.trueValue(model);
        p.value =
            Double.isNaN(v)
                ? new DataValue(
                    Variant.NULL_VALUE,
                    new StatusCode(StatusCodes.Bad_WaitingForInitialData),
                    wallTime,
                    wallTime)
                : new DataValue(p.raw(v), StatusCode.GOOD, wallTime, wallTime);
      } else if (p.binding == SignalBinding.UNKNOWN) {
        p.value =
            new DataValue(
                Variant.NULL_VALUE,
                new StatusCode(StatusCodes.Bad_NotSupported),
                wallTime,
                wallTime);
      } else {
        SensorReading r = p.sensor.read(p.binding.trueValue(model), t);
        p.value = new DataValue(p.raw(r.value()), statusOf(r.quality()), wallTime, wallTime);
      }
    }
  }

  private static StatusCode statusOf(Quality q) {
    return switch (q) {
      case GOOD -> StatusCode.GOOD;
      case UNCERTAIN -> new StatusCode(StatusCodes.Uncertain_SensorNotAccurate);
      case BAD -> new StatusCode(StatusCodes.Bad_SensorFailure);
    };
  }

  // ---------------------------------------------------------------- writes from OPC UA

  /**
   * A write from a client to a signal node; throws with the status code to return when refused. The
   * first accepted actuator write arms the watchdog, as a safe PLC program does: a controller that
   * writes outputs but never a heartbeat is put safe after the timeout.
   */
  synchronized void write(Point p, Object rawValue, long nowNanos) throws UaException {
    if (!p.isActuator()) {
      throw new UaException(StatusCodes.Bad_NotWritable, p.spec.id() + " is a sensor");
    }
    if (watchdogTripped) {
      throw new UaException(
          StatusCodes.Bad_InvalidState,
          "watchdog tripped: outputs held at safe values until the heartbeat changes");
    }
    double raw = DataType.toDouble(rawValue);
    if (Double.isNaN(raw)) {
      throw new UaException(StatusCodes.Bad_TypeMismatch, "not a number: " + rawValue);
    }
    double eng = p.spec.toEngineering(raw);
    if (p.spec.range() != null && !p.spec.range().contains(eng)) {
      throw new UaException(
          StatusCodes.Bad_OutOfRange, p.spec.id() + " " + eng + " outside " + p.spec.range());
    }
    applyActuator(p, eng);
    if (watchdog != null && !watchdogArmed) {
      watchdogArmed = true;
      lastHeartbeatChangeNanos = nowNanos;
      LOG.info(
          "reactor {}: first actuator write, watchdog armed ({} ms)",
          id,
          (long) watchdog.timeoutMs());
    }
    DateTime now = DateTime.now();
    double v = p.binding == SignalBinding.UNKNOWN ? p.storedValue : p.binding.trueValue(model);
    p.value = new DataValue(p.raw(v), StatusCode.GOOD, now, now);
  }

  private void applyActuator(Point p, double eng) {
    if (!p.binding.command(model, eng)) {
      p.storedValue = eng;
    }
  }

  /**
   * A heartbeat write; the watchdog arms at the first change (or the first actuator write) and
   * resets at each change. Values are compared exactly as the type holds them (a UInt64 counter
   * near 2^64 has neighbours that are equal as doubles).
   */
  synchronized void writeHeartbeat(Object rawValue, long nowNanos) throws UaException {
    Optional<Long> written = DataType.heartbeatOf(rawValue);
    if (written.isEmpty()) {
      throw new UaException(
          StatusCodes.Bad_TypeMismatch,
          "heartbeat must be a whole number or a boolean, got " + rawValue);
    }
    long v = written.get();
    if (recentHeartbeats.size() == RECENT_HEARTBEATS) {
      recentHeartbeats.removeFirst();
    }
    recentHeartbeats.addLast(rawValue);
    if (v != lastHeartbeat) {
      watchdogArmed = true;
      lastHeartbeat = v;
      lastHeartbeatChangeNanos = nowNanos;
      if (watchdogTripped) {
        watchdogTripped = false;
        LOG.info("reactor {}: heartbeat back, watchdog reset", id);
      }
    }
    DateTime now = DateTime.now();
    watchdogValue = new DataValue(new Variant(rawValue), StatusCode.GOOD, now, now); // as written
  }

  /** How many heartbeat values {@link #recentHeartbeats()} keeps. */
  static final int RECENT_HEARTBEATS = 32;

  /**
   * The last heartbeat values the controller wrote, oldest first, exactly as they arrived (Milo's
   * Java class of the Variant): what a commissioning engineer looks at in a PLC's trace.
   */
  public synchronized List<Object> recentHeartbeats() {
    return List.copyOf(recentHeartbeats);
  }

  /**
   * Whether the watchdog is armed: a heartbeat changed, or an actuator was written, since start.
   */
  public synchronized boolean watchdogArmed() {
    return watchdogArmed;
  }

  private void checkWatchdog(long nowNanos) {
    if (watchdog == null || !watchdogArmed || watchdogTripped) {
      return;
    }
    if (nowNanos - lastHeartbeatChangeNanos > (long) (watchdog.timeoutMs() * 1e6)) {
      watchdogTripped = true;
      watchdogTrips++;
      goSafe();
      LOG.warn(
          "reactor {}: no heartbeat change for {} ms, watchdog tripped: actuators at safe values",
          id,
          (long) watchdog.timeoutMs());
    }
  }

  /** Every actuator to its profile safe value (those without one keep their value). */
  private void goSafe() {
    for (Point p : points) {
      if (p.isActuator() && p.spec.safeValue() != null) {
        applyActuator(p, p.spec.safeValue());
      }
    }
  }

  public synchronized boolean watchdogTripped() {
    return watchdogTripped;
  }

  /** How many times the watchdog has tripped since start. */
  public synchronized int watchdogTrips() {
    return watchdogTrips;
  }

  // ---------------------------------------------------------------- what the device publishes

  /**
   * The last reading of a sensor, in engineering units, as published (null before the first tick).
   */
  public synchronized SensorReading reading(String signalId) {
    Point p = require(signalId);
    if (p.sensor == null) {
      throw new IllegalArgumentException(signalId + " is not a sensor");
    }
    return p.sensor.last();
  }

  /** The current command of an actuator, in engineering units. */
  public synchronized double actuator(String signalId) {
    Point p = require(signalId);
    if (!p.isActuator()) {
      throw new IllegalArgumentException(signalId + " is not an actuator");
    }
    return p.binding == SignalBinding.UNKNOWN ? p.storedValue : p.binding.trueValue(model);
  }

  /** Sets an actuator as if the controller had written it (scenarios, tests). */
  public synchronized void setActuator(String signalId, double engineering) {
    applyActuator(require(signalId), engineering);
  }

  /** Simulated seconds since start. */
  public synchronized double simulatedSeconds() {
    return model.elapsedS();
  }

  private Point require(String signalId) {
    Point p = byId.get(signalId);
    if (p == null) {
      throw new IllegalArgumentException(
          "reactor " + id + " has no signal '" + signalId + "' (profile " + profile.model() + ")");
    }
    return p;
  }

  private SensorChannel sensor(String signalId) {
    Point p = require(signalId);
    if (p.sensor == null) {
      throw new IllegalArgumentException(signalId + " is not a sensor");
    }
    return p.sensor;
  }

  // ---------------------------------------------------------------- faults

  /** The sensor repeats its last value, still saying Good. */
  public synchronized void sensorStuck(String signalId, boolean stuck) {
    sensor(signalId).setStuck(stuck);
    LOG.info("reactor {}: fault sensor-stuck {} {}", id, signalId, stuck);
  }

  /** The sensor reports Bad quality (Bad_SensorFailure). */
  public synchronized void sensorBadQuality(String signalId, boolean bad) {
    sensor(signalId).setBadQuality(bad);
    LOG.info("reactor {}: fault sensor-bad {} {}", id, signalId, bad);
  }

  /** The sensor reports Uncertain quality (Uncertain_SensorNotAccurate). */
  public synchronized void sensorUncertain(String signalId, boolean uncertain) {
    sensor(signalId).setUncertain(uncertain);
  }

  /**
   * Adds {@code magnitude} (engineering units) to the sensor for {@code durationS} simulated
   * seconds.
   */
  public synchronized void sensorSpike(String signalId, double magnitude, double durationS) {
    sensor(signalId).spike(magnitude, model.elapsedS(), durationS);
    LOG.info("reactor {}: fault sensor-spike {} {} for {} s", id, signalId, magnitude, durationS);
  }

  /**
   * The sensor drifts by {@code perHour} engineering units per simulated hour from now (0 stops
   * it).
   */
  public synchronized void sensorDrift(String signalId, double perHour) {
    sensor(signalId).setDriftFaultPerHour(perHour, model.elapsedS());
    LOG.info("reactor {}: fault sensor-drift {} {}/h", id, signalId, perHour);
  }

  public synchronized void clearSensorFaults(String signalId) {
    sensor(signalId).clearFaults();
  }

  public synchronized void heaterFailure(boolean failed) {
    model.setHeaterFailed(failed);
    LOG.info("reactor {}: fault heater-failure {}", id, failed);
  }

  public synchronized void pumpStall(boolean stalled) {
    model.setPumpStalled(stalled);
    LOG.info("reactor {}: fault pump-stall {}", id, stalled);
  }

  /** Scaffold resistance factor: 1 clean, above 1 clogging, below 1 a leak. */
  public synchronized void scaffoldResistance(double factor) {
    model.setScaffoldResistanceFactor(factor);
  }

  /** The scaffold clogs: its resistance becomes {@code factor} (≥ 1) times the clean one. */
  public synchronized void clog(double factor) {
    if (!(factor >= 1)) {
      throw new IllegalArgumentException(
          "clog factor must be >= 1 (a leak is below 1), got " + factor);
    }
    scaffoldResistance(factor);
    LOG.info("reactor {}: fault clog x{}", id, factor);
  }

  /**
   * A leak around or through the scaffold: its resistance becomes {@code factor} (0..1) times the
   * clean one.
   */
  public synchronized void leak(double factor) {
    if (!(factor >= 0 && factor <= 1)) {
      throw new IllegalArgumentException("leak factor must be in [0, 1], got " + factor);
    }
    scaffoldResistance(factor);
    LOG.info("reactor {}: fault leak x{}", id, factor);
  }

  public synchronized void ambientC(double c) {
    model.setAmbientC(c);
  }

  public synchronized void cellOxygenDemand(double factor) {
    model.setCellOxygenDemandFactor(factor);
  }

  /** Every fault cleared; ambient and factors back to the parameters' values. */
  public synchronized void clearAllFaults() {
    for (Point p : points) {
      if (p.sensor != null) {
        p.sensor.clearFaults();
      }
    }
    model.setHeaterFailed(false);
    model.setPumpStalled(false);
    model.setScaffoldResistanceFactor(1.0);
    model.setCellOxygenDemandFactor(1.0);
    model.setAmbientC(model.parameters().ambientC());
    ramps.clear();
  }

  // ---------------------------------------------------------------- scenario playback

  private void playScenario(double untilS) {
    // ramps in progress
    for (var it = ramps.iterator(); it.hasNext(); ) {
      Ramp r = it.next();
      double f = Math.min(1.0, (untilS - r.startS) / (r.endS - r.startS));
      setLevel(r.action, r.fromValue + (r.toValue - r.fromValue) * f);
      if (f >= 1.0) {
        it.remove();
      }
    }
    // reverts due
    for (int i = revertTimes.size() - 1; i >= 0; i--) {
      if (revertTimes.get(i)[0] <= untilS) {
        revertTimes.remove(i);
        revertsAt.remove(i).run();
      }
    }
    while (!pending.isEmpty() && pending.get(0).atS() <= untilS) {
      Scenario.Event e = pending.remove(0);
      LOG.info("reactor {}: scenario {} at {} s: {}", id, scenario.name(), (long) e.atS(), e);
      apply(e, e.atS()); // at its own time, not the tick's: ramps, spikes and reverts stay exact
    }
  }

  private void apply(Scenario.Event e, double nowS) {
    double dur = e.durationS();
    boolean timed = !Double.isNaN(dur) && dur > 0;
    switch (e.action()) {
      case AMBIENT, CLOG, LEAK, CELL_DEMAND -> {
        double before = level(e.action());
        if (!Double.isNaN(e.rampS()) && e.rampS() > 0) {
          ramps.add(new Ramp(e.action(), before, e.value(), nowS, nowS + e.rampS()));
        } else {
          setLevel(e.action(), e.value());
        }
        if (timed) {
          revertAt(
              nowS + dur,
              () -> {
                ramps.removeIf(r -> r.action == e.action());
                setLevel(e.action(), before);
              });
        }
      }
      case HEATER_FAILURE -> {
        model.setHeaterFailed(true);
        if (timed) {
          revertAt(nowS + dur, () -> model.setHeaterFailed(false));
        }
      }
      case PUMP_STALL -> {
        model.setPumpStalled(true);
        if (timed) {
          revertAt(nowS + dur, () -> model.setPumpStalled(false));
        }
      }
      case SENSOR_STUCK -> {
        sensor(e.signal()).setStuck(true);
        if (timed) {
          revertAt(nowS + dur, () -> sensor(e.signal()).setStuck(false));
        }
      }
      case SENSOR_BAD -> {
        sensor(e.signal()).setBadQuality(true);
        if (timed) {
          revertAt(nowS + dur, () -> sensor(e.signal()).setBadQuality(false));
        }
      }
      case SENSOR_UNCERTAIN -> {
        sensor(e.signal()).setUncertain(true);
        if (timed) {
          revertAt(nowS + dur, () -> sensor(e.signal()).setUncertain(false));
        }
      }
      case SENSOR_SPIKE -> sensor(e.signal()).spike(e.value(), nowS, timed ? dur : 5.0);
      case SENSOR_DRIFT -> {
        sensor(e.signal()).setDriftFaultPerHour(e.value(), nowS);
        if (timed) {
          revertAt(nowS + dur, () -> sensor(e.signal()).setDriftFaultPerHour(0, nowS + dur));
        }
      }
      case SENSOR_CLEAR -> sensor(e.signal()).clearFaults();
      case COMMS_DROP ->
          commsDropHandler.accept(this, Duration.ofMillis((long) ((timed ? dur : 10.0) * 1000)));
      case RESTART ->
          restartHandler.accept(this, Duration.ofMillis((long) ((timed ? dur : 3.0) * 1000)));
      case CLEAR_FAULTS -> clearAllFaults();
    }
  }

  private void revertAt(double atS, Runnable r) {
    revertTimes.add(new double[] {atS});
    revertsAt.add(r);
  }

  private double level(Scenario.Action a) {
    return switch (a) {
      case AMBIENT -> model.ambientC();
      case CLOG, LEAK -> model.scaffoldResistanceFactor();
      case CELL_DEMAND -> model.cellOxygenDemandFactor();
      default -> throw new IllegalArgumentException(a.yamlName);
    };
  }

  private void setLevel(Scenario.Action a, double v) {
    switch (a) {
      case AMBIENT -> model.setAmbientC(v);
      case CLOG, LEAK -> model.setScaffoldResistanceFactor(v);
      case CELL_DEMAND -> model.setCellOxygenDemandFactor(v);
      default -> throw new IllegalArgumentException(a.yamlName);
    }
  }

  @Override
  public String toString() {
    return "SimulatedReactor[" + id + "]";
  }
}
