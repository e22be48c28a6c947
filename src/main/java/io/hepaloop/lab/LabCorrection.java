package io.hepaloop.lab;

import java.time.Instant;

/**
 * A correction of a lab result ({@link LabSamples#correct}): a new revision with its reason. Value
 * and unit are given again; any other field left null keeps the value of the revision before.
 *
 * @param reason required: why the result is corrected
 */
public record LabCorrection(
    Double value,
    String unit,
    String reason,
    Instant sampledAt,
    Instant measuredAt,
    String method,
    Double detectionLimit,
    Boolean belowDetectionLimit) {}
