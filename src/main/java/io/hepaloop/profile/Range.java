package io.hepaloop.profile;

/** A closed interval [min, max] in engineering units. */
public record Range(double min, double max) {
  public boolean contains(double v) {
    return v >= min && v <= max;
  }

  public double clamp(double v) {
    return Math.max(min, Math.min(max, v));
  }

  @Override
  public String toString() {
    return "[" + min + ", " + max + "]";
  }
}
