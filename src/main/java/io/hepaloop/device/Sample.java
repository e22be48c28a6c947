package io.hepaloop.device;

import io.hepaloop.core.Quality;
import java.time.Instant;

/**
 * One measured or commanded value in engineering units.
 *
 * @param reactorId reactor id from the plant configuration
 * @param signalId stable signal id from the device profile ({@code temperature}, {@code do_inlet},
 *     ...)
 * @param value value in engineering units ({@link #unit}); NaN when the device sent none
 * @param unit engineering unit as written in the profile ({@code °C}, {@code mmHg}, {@code mL/min},
 *     {@code %})
 * @param sourceTime device timestamp (OPC UA SourceTimestamp), or server time when the device gave
 *     none
 * @param quality Good / Uncertain / Bad; stale values are published as {@link Quality#BAD} with
 *     {@code stale = true}
 * @param stale true when the link is down and this is the last value known, not a fresh one
 */
public record Sample(
    String reactorId,
    String signalId,
    double value,
    String unit,
    Instant sourceTime,
    Quality quality,
    boolean stale) {

  public Sample(
      String reactorId,
      String signalId,
      double value,
      String unit,
      Instant sourceTime,
      Quality quality) {
    this(reactorId, signalId, value, unit, sourceTime, quality, false);
  }

  /** True when the value may be used for control: Good quality, not stale, a finite number. */
  public boolean usable() {
    return quality == Quality.GOOD && !stale && Double.isFinite(value);
  }
}
