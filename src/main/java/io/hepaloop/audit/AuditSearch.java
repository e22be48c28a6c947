package io.hepaloop.audit;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a page of a data directory's audit records for a person looking for something (the audit
 * viewer): filtered by {@link AuditQuery}, newest first, every stored field as stored. Reads
 * through a read-only connection like {@link AuditVerifier}, so a running plant's writer is neither
 * blocked nor seen half way. Blocks; run it off any event loop.
 */
public final class AuditSearch {
  private AuditSearch() {}

  /**
   * One stored record, every field as text as the hash covers it (absent fields null).
   *
   * @param sequence the record's place in the chain
   */
  public record Row(
      long sequence,
      String recordedAt,
      String user,
      String role,
      String action,
      String target,
      String oldValue,
      String newValue,
      String reason,
      String runId,
      String signedBy,
      String signatureMeaning,
      String signedAt,
      String previousHash,
      String hash) {}

  /**
   * A page of records.
   *
   * @param rows newest first
   * @param nextBeforeSeq the {@code beforeSeq} of the next, older page; null when this is the last
   */
  public record Page(List<Row> rows, Long nextBeforeSeq) {
    public Page {
      rows = List.copyOf(rows);
    }
  }

  /**
   * The records of {@code dataDir} that {@code q} asks for.
   *
   * @throws IllegalArgumentException when there is no database or audit trail in {@code dataDir}
   */
  public static Page find(Path dataDir, AuditQuery q) {
    StringBuilder sql =
        new StringBuilder("SELECT ").append(StoredRecord.COLUMNS).append(" FROM audit_records");
    List<Object> args = new ArrayList<>();
    List<String> where = new ArrayList<>();
    if (q.from() != null) {
      // fixed-width times: text order is time order
      where.add("recorded_at >= ?");
      args.add(AuditHash.time(q.from()));
    }
    if (q.to() != null) {
      where.add("recorded_at < ?");
      args.add(AuditHash.time(q.to()));
    }
    if (q.user() != null) {
      where.add("user_name = ?");
      args.add(q.user());
    }
    if (q.action() != null) {
      where.add("action = ?");
      args.add(q.action().id());
    }
    if (q.runId() != null) {
      where.add("run_id = ?");
      args.add(q.runId());
    }
    if (q.target() != null) {
      // the target itself or one below it; substr, not LIKE, so '%' and '_' in it are plain text
      String below = q.target() + "/";
      where.add("(target = ? OR substr(target, 1, ?) = ?)");
      args.add(q.target());
      args.add(below.length());
      args.add(below);
    }
    if (q.beforeSeq() != null) {
      where.add("seq < ?");
      args.add(q.beforeSeq());
    }
    if (!where.isEmpty()) {
      sql.append(" WHERE ").append(String.join(" AND ", where));
    }
    sql.append(" ORDER BY seq DESC LIMIT ?");
    args.add(q.limit() + 1); // one more tells whether there is an older page
    try (Connection c = AuditDatabase.openReadOnly(dataDir);
        PreparedStatement p = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        p.setObject(i + 1, args.get(i));
      }
      List<Row> rows = new ArrayList<>();
      boolean more = false;
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          if (rows.size() == q.limit()) {
            more = true;
            break;
          }
          rows.add(row(StoredRecord.read(r)));
        }
      }
      return new Page(rows, more ? rows.get(rows.size() - 1).sequence() : null);
    } catch (SQLException e) {
      throw new AuditException(dataDir + ": cannot read the audit trail: " + e.getMessage(), e);
    }
  }

  private static Row row(StoredRecord s) {
    return new Row(
        s.seq(),
        s.recordedAt(),
        s.user(),
        s.role(),
        s.action(),
        s.target(),
        s.oldValue(),
        s.newValue(),
        s.reason(),
        s.runId(),
        s.signedBy(),
        s.signatureMeaning(),
        s.signedAt(),
        s.previousHash(),
        s.hash());
  }
}
