package io.hepaloop.sim.model;

/**
 * The range a simulated quantity can physically take, generous enough for any real rig and narrow
 * enough that a typo (an ambient of 1e308 °C, a start a million years in) is refused with the range
 * in the message instead of poisoning the model with infinities.
 *
 * @param min lowest allowed value
 * @param minExclusive true when {@code min} itself is not allowed (a volume must be more than 0)
 * @param max highest allowed value
 * @param unit unit for messages ("°C", "mL/min"); empty for plain factors
 * @param note why the limit is where it is, for the message; empty when it goes without saying
 */
public record Bound(double min, boolean minExclusive, double max, String unit, String note) {

  /** {@code [min, max]}. */
  public static Bound of(double min, double max, String unit) {
    return new Bound(min, false, max, unit, "");
  }

  /** {@code (0, max]}: a quantity that must be present. */
  public static Bound positive(double max, String unit) {
    return new Bound(0, true, max, unit, "");
  }

  public Bound because(String why) {
    return new Bound(min, minExclusive, max, unit, why);
  }

  public boolean allows(double v) {
    return (minExclusive ? v > min : v >= min) && v <= max; // false for NaN
  }

  /**
   * Why {@code v} is refused, e.g. "80 °C is not physical: allowed -40 to 60 °C"; null when
   * allowed.
   */
  public String problem(double v) {
    if (allows(v)) {
      return null;
    }
    String given = Double.isNaN(v) ? "NaN is not a number" : show(v) + " is not physical";
    return given + ": allowed " + range() + (note.isEmpty() ? "" : " (" + note + ")");
  }

  /** "-40 to 60 °C", "above 0 up to 100 mmHg". */
  public String range() {
    String u = unit.isEmpty() ? "" : " " + unit;
    return (minExclusive ? "above " + number(min) + " up to " : number(min) + " to ")
        + number(max)
        + u;
  }

  private String show(double v) {
    return number(v) + (unit.isEmpty() ? "" : " " + unit);
  }

  /** 60 as "60", 31536000 as "31536000", 0.05 as "0.05", 1e12 as "1.0E12". */
  static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : Double.toString(v);
  }
}
