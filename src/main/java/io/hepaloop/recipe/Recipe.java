package io.hepaloop.recipe;

import java.util.List;
import java.util.Optional;

/**
 * An ISA-88 procedure for one culture, read from {@code recipes/*.yaml} by {@link RecipeLoader}:
 * ordered phases, each with setpoints, alarm overrides and suppressions, operator prompts and a
 * transition. Plain data, already checked against the device profile it names.
 *
 * @param name stable name of the recipe
 * @param version the author's version label
 * @param profile the device profile model it is written for
 * @param phases in execution order, at least one
 * @param sha256 SHA-256 of the file's bytes (hex, lower case): the identity of this exact version,
 *     stored with a run so that editing the file later never changes what the run used
 */
public record Recipe(
    String name,
    String version,
    String description,
    String profile,
    List<Phase> phases,
    String sha256) {

  public Recipe {
    phases = List.copyOf(phases);
  }

  public Optional<Phase> phase(String id) {
    return phases.stream().filter(p -> p.id().equals(id)).findFirst();
  }

  /**
   * One phase.
   *
   * @param setpoints applied when the phase starts (steps) or moved over time (ramps)
   * @param alarms the profile's alarms as this phase changes them
   * @param prompts questions an operator must answer before the phase may end
   * @param transition when the phase ends
   */
  public record Phase(
      String id,
      String description,
      List<Setpoint> setpoints,
      PhaseAlarms alarms,
      List<Prompt> prompts,
      Transition transition) {
    public Phase {
      setpoints = setpoints == null ? List.of() : List.copyOf(setpoints);
      alarms = alarms == null ? PhaseAlarms.NONE : alarms;
      prompts = prompts == null ? List.of() : List.copyOf(prompts);
    }
  }

  /**
   * A setpoint of one loop's controller: a step ({@code value}) or a ramp.
   *
   * @param controller {@code main} (null means main) or {@code cascade} (the outer controller)
   */
  public record Setpoint(String loop, String controller, Double value, Ramp ramp) {
    public boolean cascade() {
      return "cascade".equals(controller);
    }

    /** The value at the end of the phase's ramp (or the step). */
    public double target() {
      return ramp != null ? ramp.to() : value;
    }

    /** {@code flow} or {@code oxygen.cascade}: how reports and events name it. */
    public String key() {
      return cascade() ? loop + ".cascade" : loop;
    }
  }

  /**
   * A linear ramp from {@code from} to {@code to} over {@code overH} hours of the phase; {@code
   * from} absent in the file means where the previous phase (or the profile default) left the
   * setpoint, filled in by the loader.
   */
  public record Ramp(Double from, double to, double overH) {
    public double valueAt(double elapsedS) {
      double f = Math.min(1.0, Math.max(0.0, elapsedS / (overH * 3600.0)));
      return from + (to - from) * f;
    }
  }

  /** Alarm changes for one phase, by alarm id of the profile. */
  public record PhaseAlarms(List<AlarmOverride> overrides, List<String> suppress) {
    public static final PhaseAlarms NONE = new PhaseAlarms(List.of(), List.of());

    public PhaseAlarms {
      overrides = overrides == null ? List.of() : List.copyOf(overrides);
      suppress = suppress == null ? List.of() : List.copyOf(suppress);
    }
  }

  /** New values for a profile alarm's overridable fields while the phase runs; null keeps one. */
  public record AlarmOverride(
      String id,
      Double limit,
      Double deadband,
      Double onDelayS,
      Double offDelayS,
      String priority,
      Double reAlarmAfterS) {}

  /** A question the operator must answer (confirm) before the phase may end. */
  public record Prompt(String id, String question) {}

  /**
   * Exactly one of: time elapsed in the phase, a condition on a signal, an operator confirmation.
   */
  public record Transition(Double afterH, Condition condition, String confirm) {}

  /**
   * Holds continuously for {@code forH} hours: {@code signal} above a value, below a value, or
   * stable (every value within {@code stableWithinPct} percent of the window's mean). {@code
   * signal} is a sensor of the profile or {@link #OUR} (the oxygen uptake rate).
   */
  public record Condition(
      String signal, Double above, Double below, Double stableWithinPct, double forH) {
    public static final String OUR = "our";

    public String describe() {
      String what =
          stableWithinPct != null
              ? "stable within " + num(stableWithinPct) + " %"
              : above != null ? "above " + num(above) : "below " + num(below);
      return signal + " " + what + " for " + num(forH) + " h";
    }

    private static String num(double v) {
      return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
  }
}
