package io.hepaloop.audit;

/** The audit trail cannot be written or read (closed, no database, an unreadable anchor file). */
public final class AuditException extends RuntimeException {
  public AuditException(String message) {
    super(message);
  }

  public AuditException(String message, Throwable cause) {
    super(message, cause);
  }
}
