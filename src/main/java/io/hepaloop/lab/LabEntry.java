package io.hepaloop.lab;

import java.time.Instant;

/**
 * A lab result as entered, before it is checked ({@link LabSamples#enter}).
 *
 * @param value null only below the detection limit (the limit is stored as the value)
 * @param unit what the lab reported it in; converted to the analyte's unit
 * @param method the assay ("ELISA", "colorimetric"); null when not given
 * @param detectionLimit in {@code unit}; null when not given
 */
public record LabEntry(
    String analyte,
    Double value,
    String unit,
    Instant sampledAt,
    Instant measuredAt,
    String method,
    Double detectionLimit,
    boolean belowDetectionLimit) {}
