package io.hepaloop.sim.model;

import io.hepaloop.core.Quality;
import java.util.Random;

/**
 * One simulated instrument between the plant model's true value and what the device publishes:
 * calibration drift, Gaussian noise, range clamping, quantisation, and faults injectable at run
 * time.
 *
 * <p>Deterministic: noise comes from a seeded {@link Random} and drift from the simulated time
 * passed to {@link #read}, so the same seed and the same calls give the same readings.
 *
 * <p>Faults model what real instruments do, including the nasty ones that still say Good:
 *
 * <ul>
 *   <li>{@link #setStuck stuck}: the value freezes at its last reading, quality stays Good;
 *   <li>{@link #setBadQuality bad quality}: the value freezes and the quality is Bad (sensor
 *       disconnected, membrane broken);
 *   <li>{@link #setUncertain uncertain}: the value is live but flagged Uncertain (e.g. out of
 *       calibration);
 *   <li>{@link #spike spike}: an offset added for a while, quality Good (bubble on a DO probe);
 *   <li>{@link #setDriftFaultPerHour drift}: an extra offset growing with time, quality Good.
 * </ul>
 *
 * A value outside the instrument range is clamped to the range and reported Uncertain.
 *
 * <p>Not thread-safe (used under the reactor's lock).
 */
public final class SensorChannel {

  /**
   * @param noiseSigma standard deviation of Gaussian noise, engineering units
   * @param driftPerHour slow calibration drift, engineering units per simulated hour
   * @param quantStep resolution of the instrument (0 = none)
   * @param minValue lower end of the instrument range
   * @param maxValue upper end of the instrument range
   */
  public record Spec(
      double noiseSigma, double driftPerHour, double quantStep, double minValue, double maxValue) {
    public Spec {
      if (!(noiseSigma >= 0) || !(quantStep >= 0) || !Double.isFinite(driftPerHour)) {
        throw new IllegalArgumentException(
            "sensor noiseSigma and quantStep must be >= 0 and drift finite");
      }
      if (!(minValue < maxValue)) {
        throw new IllegalArgumentException(
            "sensor range must have min < max, got [" + minValue + ", " + maxValue + "]");
      }
    }

    /** A perfect instrument: no noise, drift or quantisation, unlimited range. */
    public static Spec ideal() {
      return new Spec(0, 0, 0, -Double.MAX_VALUE, Double.MAX_VALUE);
    }
  }

  private final String id;
  private final Spec spec;
  private final Random random;

  private boolean stuck;
  private boolean badQuality;
  private boolean uncertain;
  private double spikeMagnitude;
  private double spikeFromS;
  private double spikeUntilS = Double.NEGATIVE_INFINITY;
  private double driftFaultPerHour;
  private double driftFaultSinceS;
  private SensorReading last;

  public SensorChannel(String id, Spec spec, long seed) {
    this.id = id;
    this.spec = spec;
    this.random = new Random(seed);
  }

  public String id() {
    return id;
  }

  public Spec spec() {
    return spec;
  }

  /** The instrument's reading of {@code trueValue} at simulated time {@code elapsedS}. */
  public SensorReading read(double trueValue, double elapsedS) {
    if ((stuck || badQuality) && last != null) {
      last = new SensorReading(last.value(), badQuality ? Quality.BAD : last.quality());
      return last;
    }
    double v = trueValue + spec.driftPerHour() * elapsedS / 3600.0;
    if (driftFaultPerHour != 0) {
      v += driftFaultPerHour * Math.max(0, elapsedS - driftFaultSinceS) / 3600.0;
    }
    if (elapsedS >= spikeFromS && elapsedS < spikeUntilS) {
      v += spikeMagnitude;
    }
    if (spec.noiseSigma() > 0) {
      v += random.nextGaussian() * spec.noiseSigma();
    }
    Quality q = uncertain ? Quality.UNCERTAIN : Quality.GOOD;
    if (v < spec.minValue() || v > spec.maxValue()) {
      v = Math.max(spec.minValue(), Math.min(spec.maxValue(), v));
      q = Quality.UNCERTAIN;
    }
    if (spec.quantStep() > 0) {
      // via BigDecimal so that 594 steps of 0.1 read 59.4, not 59.400000000000006
      v =
          java.math.BigDecimal.valueOf(Math.round(v / spec.quantStep()))
              .multiply(java.math.BigDecimal.valueOf(spec.quantStep()))
              .doubleValue();
    }
    if (badQuality) {
      q = Quality.BAD;
    }
    last = new SensorReading(v, q);
    return last;
  }

  /** The last reading returned, or null before the first. */
  public SensorReading last() {
    return last;
  }

  public void setStuck(boolean stuck) {
    this.stuck = stuck;
  }

  public boolean stuck() {
    return stuck;
  }

  public void setBadQuality(boolean bad) {
    this.badQuality = bad;
  }

  public boolean badQuality() {
    return badQuality;
  }

  public void setUncertain(boolean uncertain) {
    this.uncertain = uncertain;
  }

  /** Adds {@code magnitude} to readings from {@code nowS} until {@code nowS + durationS}. */
  public void spike(double magnitude, double nowS, double durationS) {
    this.spikeMagnitude = magnitude;
    this.spikeFromS = nowS;
    this.spikeUntilS = nowS + durationS;
  }

  /** An extra drift that starts at {@code nowS} (0 stops it and removes its offset). */
  public void setDriftFaultPerHour(double perHour, double nowS) {
    this.driftFaultPerHour = perHour;
    this.driftFaultSinceS = nowS;
  }

  /** Removes every fault (the instrument is repaired; its calibration drift remains). */
  public void clearFaults() {
    stuck = false;
    badQuality = false;
    uncertain = false;
    spikeUntilS = Double.NEGATIVE_INFINITY;
    driftFaultPerHour = 0;
  }
}
