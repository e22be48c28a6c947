package io.hepaloop.audit;

import java.time.Instant;

/**
 * An electronic signature linked to one audit record: who signed (the printed name, as shown to
 * people, not the login name), what the signature means ("reviewed", "approved", "performed") and
 * when. The caller has checked the re-entered password before it builds one; a refused password is
 * recorded as {@link AuditAction#SIGNATURE_REFUSED} instead.
 *
 * @param printedName the signer's full name as printed on a report
 * @param meaning what the signer attests, e.g. "approved"
 * @param signedAt when the password was re-entered (UTC)
 */
public record Signature(String printedName, String meaning, Instant signedAt) {
  public Signature {
    printedName = AuditEntry.required("signature printed name", printedName, AuditEntry.MAX_NAME);
    meaning = AuditEntry.required("signature meaning", meaning, AuditEntry.MAX_NAME);
    if (signedAt == null) {
      throw new IllegalArgumentException("signature time is missing");
    }
  }
}
