package io.hepaloop.sim;

import io.hepaloop.profile.SignalSpec;
import io.hepaloop.sim.model.Bound;
import io.hepaloop.sim.model.ReactorParameters;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A scenario from {@code simulators/*.yaml}: parameter overrides for the plant model (initial
 * state, cells) and a timeline of disturbances and faults in simulated time. Load with {@link
 * ScenarioLoader}, which validates and names every problem.
 *
 * @param name scenario name (the file's base name by convention)
 * @param description what it shows, for humans
 * @param parameters {@link ReactorParameters} field name → value, e.g. {@code cellCount: 1.0e7}
 * @param timeline events, in any order (played sorted by time)
 */
public record Scenario(
    String name, String description, Map<String, Double> parameters, List<Event> timeline) {

  public Scenario {
    parameters = parameters == null ? Map.of() : Map.copyOf(new TreeMap<>(parameters));
    timeline =
        timeline == null
            ? List.of()
            : timeline.stream().sorted(Comparator.comparingDouble(Event::atS)).toList();
  }

  /** Simulated times (at, ramp, and how long a model event lasts): a culture of a year at most. */
  public static final Bound SIMULATED_S =
      Bound.of(0, 365 * 86_400, "s").because("365 days of simulated time");

  /** How long comms-drop and restart keep the device away, in real seconds: an hour at most. */
  public static final Bound OUTAGE_S =
      Bound.of(0, 3600, "s").because("an outage in real time: an hour at most");

  /** Sensor spikes and drift when no profile says the sensor's range. */
  private static final double ANY_SENSOR_SPAN = 1e6;

  /**
   * What {@code value} may be for {@code action}: the ambient range of {@link ReactorParameters},
   * the factors a scaffold or a construct can physically take, and for spikes and drift (per hour)
   * the span of the sensor's range (a larger one only pins the reading at an end); {@code sensor}
   * may be null.
   */
  public static Bound valueBound(Action action, SignalSpec sensor) {
    return switch (action) {
      case AMBIENT -> ReactorParameters.BOUNDS.get("ambientC");
      case CLOG ->
          Bound.of(1, 1000, "").because("a factor on the scaffold's resistance; use leak below 1");
      case LEAK ->
          Bound.of(0, 1, "").because("a factor on the scaffold's resistance; use clog above 1");
      case CELL_DEMAND -> Bound.of(0, 100, "").because("a factor on the cells' oxygen demand");
      case SENSOR_SPIKE, SENSOR_DRIFT -> {
        String per = action == Action.SENSOR_DRIFT ? "/h" : "";
        if (sensor == null || sensor.range() == null) {
          yield Bound.of(-ANY_SENSOR_SPAN, ANY_SENSOR_SPAN, per.isEmpty() ? "" : "units" + per);
        }
        double span = sensor.range().max() - sensor.range().min();
        String unit = sensor.unit() == null ? "" : sensor.unit();
        yield Bound.of(-span, span, unit + per).because("the span of " + sensor.id() + "'s range");
      }
      default -> Bound.of(0, 0, ""); // takes no value
    };
  }

  /** An empty scenario: default parameters, nothing happens. */
  public static Scenario steady() {
    return new Scenario("none", "default rig, no events", Map.of(), List.of());
  }

  /** Every action a timeline may use. */
  public enum Action {
    /** Ambient temperature to {@code value} °C (door open: a drop), optionally ramped. */
    AMBIENT("ambient", false, true),
    /** Scaffold resistance factor to {@code value} (above 1 clogging), optionally ramped. */
    CLOG("clog", false, true),
    /** Scaffold resistance factor to {@code value} (below 1: a leak). */
    LEAK("leak", false, true),
    /** Cells' oxygen demand factor to {@code value}, optionally ramped. */
    CELL_DEMAND("cell-demand", false, true),
    HEATER_FAILURE("heater-failure", false, false),
    PUMP_STALL("pump-stall", false, false),
    SENSOR_STUCK("sensor-stuck", true, false),
    SENSOR_BAD("sensor-bad", true, false),
    SENSOR_UNCERTAIN("sensor-uncertain", true, false),
    /** Adds {@code value} to a sensor's readings for {@code duration} (default 5 s). */
    SENSOR_SPIKE("sensor-spike", true, true),
    /** A sensor drifts by {@code value} units per simulated hour. */
    SENSOR_DRIFT("sensor-drift", true, true),
    /** Removes a sensor's faults. */
    SENSOR_CLEAR("sensor-clear", true, false),
    /** The server stops answering for {@code duration} of real time (default 10 s). */
    COMMS_DROP("comms-drop", false, false),
    /** The server shuts down and comes back after {@code duration} of real time (default 3 s). */
    RESTART("restart", false, false),
    /** Every fault cleared, ambient and factors back to the scenario's start. */
    CLEAR_FAULTS("clear-faults", false, false);

    public final String yamlName;
    public final boolean needsSignal;
    public final boolean needsValue;

    Action(String yamlName, boolean needsSignal, boolean needsValue) {
      this.yamlName = yamlName;
      this.needsSignal = needsSignal;
      this.needsValue = needsValue;
    }

    public static Action fromYaml(String name) {
      for (Action a : values()) {
        if (a.yamlName.equals(name)) {
          return a;
        }
      }
      throw new IllegalArgumentException(
          "unknown action '"
              + name
              + "' (known: "
              + String.join(", ", Arrays.stream(values()).map(a -> a.yamlName).toList())
              + ")");
    }
  }

  /**
   * One timeline entry.
   *
   * @param atS simulated seconds since the start
   * @param action what happens
   * @param signal the sensor, for sensor faults
   * @param value the new value (°C, factor, units per hour, spike size)
   * @param durationS how long it lasts before it reverts (NaN = stays); for comms-drop and restart:
   *     real seconds of outage
   * @param rampS for ambient/clog/leak/cell-demand: move linearly to {@code value} over this many
   *     simulated seconds (NaN or 0 = step)
   * @param reactors the reactors it happens to (empty = every reactor of the simulator)
   */
  public record Event(
      double atS,
      Action action,
      String signal,
      double value,
      double durationS,
      double rampS,
      List<String> reactors) {
    public Event {
      reactors = reactors == null ? List.of() : List.copyOf(reactors);
    }

    /** An event for every reactor. */
    public Event(
        double atS, Action action, String signal, double value, double durationS, double rampS) {
      this(atS, action, signal, value, durationS, rampS, List.of());
    }

    public boolean appliesTo(String reactorId) {
      return reactors.isEmpty() || reactors.contains(reactorId);
    }
  }

  /**
   * Every reactor id the timeline names that is not in {@code reactorIds}, as sentences ("event 2
   * (at 300 s, heater-failure) names reactor 'r9'"); empty when the scenario fits the simulator.
   */
  public List<String> unknownReactors(java.util.Collection<String> reactorIds) {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < timeline.size(); i++) {
      Event e = timeline.get(i);
      for (String r : e.reactors()) {
        if (!reactorIds.contains(r)) {
          problems.add(
              "event "
                  + (i + 1)
                  + " (at "
                  + (long) e.atS()
                  + " s, "
                  + e.action().yamlName
                  + ") names reactor '"
                  + r
                  + "'");
        }
      }
    }
    return problems;
  }

  /** The scenario's parameter overrides applied to a base parameter set. */
  public ReactorParameters applyTo(ReactorParameters base) {
    ReactorParameters.Builder b = base.toBuilder();
    for (Map.Entry<String, Double> e : parameters.entrySet()) {
      Method m = builderSetter(e.getKey());
      try {
        m.invoke(b, e.getValue());
      } catch (IllegalAccessException | InvocationTargetException ex) {
        throw new IllegalArgumentException(
            "scenario " + name + ": parameter " + e.getKey() + ": " + ex.getMessage(), ex);
      }
    }
    return b.build();
  }

  /** Names of every model parameter a scenario may set. */
  public static List<String> parameterNames() {
    List<String> names = new ArrayList<>();
    for (Method m : ReactorParameters.Builder.class.getMethods()) {
      if (m.getParameterCount() == 1
          && m.getParameterTypes()[0] == double.class
          && m.getReturnType() == ReactorParameters.Builder.class) {
        names.add(m.getName());
      }
    }
    names.sort(null);
    return names;
  }

  static Method builderSetter(String name) {
    try {
      return ReactorParameters.Builder.class.getMethod(name, double.class);
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(
          "unknown parameter '" + name + "' (known: " + String.join(", ", parameterNames()) + ")");
    }
  }
}
