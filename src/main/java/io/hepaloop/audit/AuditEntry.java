package io.hepaloop.audit;

/**
 * One human action to record, as the command layer describes it; the trail adds the time, the
 * sequence number and the hashes ({@link AuditRecord}).
 *
 * @param user the login name of who acted (for a failed login, the name that was typed)
 * @param role the role the user acted in ("operator"); null when there is none (a failed login)
 * @param action what was done
 * @param target what it was done to: a reactor, loop, alarm or run id ("R1/do"); null for a login
 * @param oldValue the value before, as text; null when there was none
 * @param newValue the value after, as text; null when there is none
 * @param reason why, as the user gave it; null when none was asked for
 * @param runId the run the action belongs to; null outside a run
 * @param signature the electronic signature of a critical action; null when not signed
 */
public record AuditEntry(
    String user,
    String role,
    AuditAction action,
    String target,
    String oldValue,
    String newValue,
    String reason,
    String runId,
    Signature signature) {
  /** Longest name-like field (user, role, target, run id, signer) in characters. */
  public static final int MAX_NAME = 200;

  /** Longest free-text field (old and new value, reason) in characters. */
  public static final int MAX_TEXT = 4_000;

  public AuditEntry {
    user = required("user", user, MAX_NAME);
    role = optional("role", role, MAX_NAME);
    if (action == null) {
      throw new IllegalArgumentException("audit action is missing");
    }
    target = optional("target", target, MAX_NAME);
    oldValue = optional("old value", oldValue, MAX_TEXT);
    newValue = optional("new value", newValue, MAX_TEXT);
    reason = optional("reason", reason, MAX_TEXT);
    runId = optional("run id", runId, MAX_NAME);
  }

  /** An entry without a signature. */
  public static AuditEntry of(
      String user,
      String role,
      AuditAction action,
      String target,
      String oldValue,
      String newValue,
      String reason,
      String runId) {
    return new AuditEntry(user, role, action, target, oldValue, newValue, reason, runId, null);
  }

  /** This entry with {@code signature} linked to it. */
  public AuditEntry signedBy(Signature signature) {
    return new AuditEntry(user, role, action, target, oldValue, newValue, reason, runId, signature);
  }

  static String required(String field, String value, int max) {
    String v = optional(field, value, max);
    if (v == null) {
      throw new IllegalArgumentException("audit " + field + " is missing or blank");
    }
    return v;
  }

  /** Blank is stored as null; leading and trailing blanks of names are kept (they were typed). */
  static String optional(String field, String value, int max) {
    if (value == null || value.isBlank()) {
      return null;
    }
    if (value.length() > max) {
      throw new IllegalArgumentException(
          "audit " + field + " is " + value.length() + " characters long; at most " + max);
    }
    return value;
  }
}
