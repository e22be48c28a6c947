package io.hepaloop.lab;

import java.time.Instant;

/**
 * One revision of a lab result as stored ({@code lab_samples}).
 *
 * @param sampleId unique across runs ("LS-000042"); every revision of a sample shares it
 * @param revision 1 for the entry, n+1 for each correction
 * @param value as entered, in {@code unit}; below the detection limit it holds the limit
 * @param valueCanonical the same value in the analyte's {@code canonicalUnit}
 * @param detectionLimit in {@code unit}; null when none was given
 * @param sampledAt when the sample was drawn (the trend's time axis)
 * @param measuredAt when the lab measured it (at or after {@code sampledAt})
 * @param enteredAt when this revision was entered
 * @param reason why this revision corrects the one before; null for revision 1
 * @param revisions how many revisions the sample has in all (this one is the latest when equal to
 *     {@code revision})
 */
public record LabSample(
    String sampleId,
    int revision,
    String runId,
    String reactorId,
    String analyte,
    double value,
    String unit,
    double valueCanonical,
    String canonicalUnit,
    boolean belowDetectionLimit,
    Double detectionLimit,
    String method,
    Instant sampledAt,
    Instant measuredAt,
    Instant enteredAt,
    String enteredBy,
    String reason,
    int revisions) {

  /**
   * The result in words for audit records: {@code glucose 90 mg/dL (4.99556 mmol/L) sampled
   * 2026-01-02T10:00:00Z}, with {@code < } and "below detection limit" when it was.
   */
  public String describe() {
    StringBuilder sb = new StringBuilder(analyte).append(' ');
    if (belowDetectionLimit) {
      sb.append("< ");
    }
    sb.append(number(value)).append(' ').append(unit);
    if (!unit.equals(canonicalUnit)) {
      sb.append(" (").append(number(valueCanonical)).append(' ').append(canonicalUnit).append(')');
    }
    if (belowDetectionLimit) {
      sb.append(" below detection limit");
    } else if (detectionLimit != null) {
      sb.append(", detection limit ").append(number(detectionLimit)).append(' ').append(unit);
    }
    if (method != null) {
      sb.append(", method ").append(method);
    }
    return sb.append(", sampled ")
        .append(sampledAt)
        .append(", measured ")
        .append(measuredAt)
        .toString();
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
