package io.hepaloop.profile;

/**
 * Linear scaling between the raw value a device publishes (often a scaled integer) and engineering
 * units: {@code eng = engMin + (raw - rawMin) * (engMax - engMin) / (rawMax - rawMin)}.
 */
public record Scaling(double rawMin, double rawMax, double engMin, double engMax) {
  public static final Scaling IDENTITY = new Scaling(0, 1, 0, 1);

  public double toEngineering(double raw) {
    return engMin + (raw - rawMin) * (engMax - engMin) / (rawMax - rawMin);
  }

  public double toRaw(double eng) {
    return rawMin + (eng - engMin) * (rawMax - rawMin) / (engMax - engMin);
  }
}
