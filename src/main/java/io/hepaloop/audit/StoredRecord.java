package io.hepaloop.audit;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * A row of {@code audit_records} as stored text, exactly as the hash covers it: verifying and
 * exporting never parse a field, so a record an attacker made unparseable is still reported by
 * number.
 */
record StoredRecord(
    long seq,
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
    String hash) {

  /** The columns, in the order of the record's components. */
  static final String COLUMNS =
      "seq, recorded_at, user_name, role, action, target, old_value, new_value, reason, run_id,"
          + " signed_by, signature_meaning, signed_at, previous_hash, hash";

  static final String INSERT =
      "INSERT INTO audit_records ("
          + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
          + " ?, ?)";

  /** The fields the hash covers, in a fixed order (everything but the two hashes). */
  List<String> hashedFields() {
    return java.util.Arrays.asList(
        Long.toString(seq),
        recordedAt,
        user,
        role,
        action,
        target,
        oldValue,
        newValue,
        reason,
        runId,
        signedBy,
        signatureMeaning,
        signedAt);
  }

  /**
   * This record's hash as it should be, recomputed from its fields and previous hash; null when the
   * previous hash is not one.
   */
  String recomputedHash() {
    return AuditHash.isHash(previousHash) ? AuditHash.hash(previousHash, hashedFields()) : null;
  }

  /** The same fields claimed at another sequence number (to recognise a moved record). */
  StoredRecord at(long otherSeq) {
    return new StoredRecord(
        otherSeq,
        recordedAt,
        user,
        role,
        action,
        target,
        oldValue,
        newValue,
        reason,
        runId,
        signedBy,
        signatureMeaning,
        signedAt,
        previousHash,
        hash);
  }

  static StoredRecord read(ResultSet r) throws SQLException {
    return new StoredRecord(
        r.getLong(1),
        r.getString(2),
        r.getString(3),
        r.getString(4),
        r.getString(5),
        r.getString(6),
        r.getString(7),
        r.getString(8),
        r.getString(9),
        r.getString(10),
        r.getString(11),
        r.getString(12),
        r.getString(13),
        r.getString(14),
        r.getString(15));
  }

  void bind(PreparedStatement p) throws SQLException {
    p.setLong(1, seq);
    List<String> fields = hashedFields();
    for (int i = 1; i < fields.size(); i++) {
      p.setString(i + 1, fields.get(i));
    }
    p.setString(14, previousHash);
    p.setString(15, hash);
  }
}
