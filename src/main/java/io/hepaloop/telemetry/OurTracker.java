package io.hepaloop.telemetry;

import io.hepaloop.core.Quality;
import io.hepaloop.device.Sample;
import java.time.Duration;
import java.time.Instant;

/**
 * Keeps the latest flow, inlet and outlet pO2 of one reactor and derives OUR from them at most once
 * per {@code interval} (source time). An input older than {@code maxInputAge} relative to the
 * newest one, missing, stale or not Good makes the result {@link Quality#BAD}/UNCERTAIN: a derived
 * value is never better than its worst input. Confined to one thread (the telemetry verticle's
 * context).
 */
public final class OurTracker {
  public static final String FLOW = "flow";
  public static final String DO_IN = "do_inlet";
  public static final String DO_OUT = "do_outlet";

  private final double alphaNmolPerMlMmHg;
  private final Duration interval;
  private final Duration maxInputAge;
  private Sample flow;
  private Sample in;
  private Sample out;
  private Instant lastEmitted = Instant.MIN;
  private double cellsSeeded = Double.NaN;

  public OurTracker(double alphaNmolPerMlMmHg, Duration interval, Duration maxInputAge) {
    this.alphaNmolPerMlMmHg = alphaNmolPerMlMmHg;
    this.interval = interval;
    this.maxInputAge = maxInputAge;
  }

  public void cellsSeeded(double cells) {
    this.cellsSeeded = cells;
  }

  /** Derived value with its time, when one is due. */
  public record Derived(Instant time, OxygenUptake.Result result) {}

  /** Feeds one sample; returns a derived OUR when one is due after it. */
  public Derived accept(Sample s) {
    switch (s.signalId()) {
      case FLOW -> flow = s;
      case DO_IN -> in = s;
      case DO_OUT -> out = s;
      default -> {
        return null;
      }
    }
    if (flow == null || in == null || out == null) {
      return null;
    }
    Instant newest = max(flow.sourceTime(), max(in.sourceTime(), out.sourceTime()));
    if (Duration.between(lastEmitted, newest).compareTo(interval) < 0
        && !lastEmitted.equals(Instant.MIN)) {
      return null;
    }
    lastEmitted = newest;
    return new Derived(
        newest,
        OxygenUptake.compute(
            flow.value(),
            inputQuality(flow, newest),
            in.value(),
            inputQuality(in, newest),
            out.value(),
            inputQuality(out, newest),
            alphaNmolPerMlMmHg,
            cellsSeeded));
  }

  private Quality inputQuality(Sample s, Instant newest) {
    if (s.stale() || !Double.isFinite(s.value())) {
      return Quality.BAD;
    }
    if (Duration.between(s.sourceTime(), newest).compareTo(maxInputAge) > 0) {
      return Quality.BAD.worst(s.quality()) == Quality.BAD ? Quality.BAD : Quality.UNCERTAIN;
    }
    return s.quality();
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
