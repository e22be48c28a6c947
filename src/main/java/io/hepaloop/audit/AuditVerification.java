package io.hepaloop.audit;

import java.time.Duration;
import java.util.List;

/**
 * What {@link AuditVerifier} found.
 *
 * @param records how many records the table holds
 * @param lastSequence the last record's sequence number (0 when there is none)
 * @param anchors how many anchors the anchor file holds
 * @param lastAnchoredSequence the highest anchored sequence number (0 when there is none)
 * @param findings what is wrong, in sequence order; empty when the trail is intact
 * @param took how long the verification took
 */
public record AuditVerification(
    long records,
    long lastSequence,
    int anchors,
    long lastAnchoredSequence,
    List<Finding> findings,
    Duration took) {
  public AuditVerification {
    findings = List.copyOf(findings);
  }

  /** True when nothing was found wrong. */
  public boolean intact() {
    return findings.isEmpty();
  }

  /** Records newer than the last anchor: protected by the chain only, not yet by an anchor. */
  public long unanchored() {
    return Math.max(0, lastSequence - lastAnchoredSequence);
  }
}
