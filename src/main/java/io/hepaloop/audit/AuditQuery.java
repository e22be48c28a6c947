package io.hepaloop.audit;

import java.time.Instant;

/**
 * Which audit records to read ({@link AuditSearch}): all filters optional (null for none), newest
 * first, at most {@code limit}, older than {@code beforeSeq} (the previous page's last sequence
 * number) to page back through the trail.
 *
 * @param from recorded at or after
 * @param to recorded before
 * @param user exactly this login name
 * @param action exactly this action
 * @param runId exactly this run
 * @param target this target, or any below it: {@code r1} matches {@code r1} and {@code
 *     r1/temperature}
 * @param limit records per page, 1..{@value #MAX_LIMIT}
 * @param beforeSeq only records with a lower sequence number; null from the newest
 */
public record AuditQuery(
    Instant from,
    Instant to,
    String user,
    AuditAction action,
    String runId,
    String target,
    int limit,
    Long beforeSeq) {
  /** Most records on one page. */
  public static final int MAX_LIMIT = 1000;

  /** Records on a page when none is asked for. */
  public static final int DEFAULT_LIMIT = 100;

  /**
   * @throws IllegalArgumentException naming the parameter that is wrong
   */
  public AuditQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "limit must be 1.." + MAX_LIMIT + " records, got " + limit);
    }
    if (from != null && to != null && !from.isBefore(to)) {
      throw new IllegalArgumentException("from " + from + " must be before to " + to);
    }
    if (beforeSeq != null && beforeSeq < 1) {
      throw new IllegalArgumentException(
          "beforeSeq must be a sequence number >= 1, got " + beforeSeq);
    }
    user = blankToNull(user);
    runId = blankToNull(runId);
    target = blankToNull(target);
  }

  /** Every record, newest first, {@value #DEFAULT_LIMIT} at a time. */
  public static AuditQuery all() {
    return new AuditQuery(null, null, null, null, null, null, DEFAULT_LIMIT, null);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
