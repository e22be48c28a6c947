package io.hepaloop.audit;

import io.hepaloop.store.Store;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What an attacker with write access to the database file does: opens it with plain JDBC, drops the
 * append-only triggers and changes rows, recomputing hashes where that helps to hide it.
 */
final class Tamper implements AutoCloseable {
  final Connection c;

  Tamper(Path dataDir) throws SQLException {
    c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(Store.FILE_NAME));
    sql("PRAGMA ignore_check_constraints = ON");
    sql("DROP TRIGGER audit_records_no_update");
    sql("DROP TRIGGER audit_records_no_delete");
    sql("DROP TRIGGER audit_records_append_only_at_the_end");
  }

  void sql(String statement) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate(statement);
    }
  }

  List<StoredRecord> rows() throws SQLException {
    List<StoredRecord> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery("SELECT " + StoredRecord.COLUMNS + " FROM audit_records ORDER BY seq")) {
      while (r.next()) {
        out.add(StoredRecord.read(r));
      }
    }
    return out;
  }

  StoredRecord row(long seq) throws SQLException {
    return rows().stream().filter(r -> r.seq() == seq).findFirst().orElseThrow();
  }

  /** Gives record {@code seq} a new value and the hash that goes with it (the next still links). */
  StoredRecord rehashWithNewValue(long seq, String newValue) throws SQLException {
    StoredRecord r = row(seq);
    StoredRecord changed = withValue(r, newValue, r.previousHash());
    sql("DELETE FROM audit_records WHERE seq = " + seq);
    insert(changed);
    return changed;
  }

  /** Changes record {@code from}'s new value and recomputes every hash after it: a clean chain. */
  void rewriteChainFrom(long from, String newValue) throws SQLException {
    List<StoredRecord> rows = rows();
    String previous = null;
    for (StoredRecord r : rows) {
      if (r.seq() < from) {
        previous = r.hash();
        continue;
      }
      StoredRecord changed = withValue(r, r.seq() == from ? newValue : r.newValue(), previous);
      sql("DELETE FROM audit_records WHERE seq = " + r.seq());
      insert(changed);
      previous = changed.hash();
    }
  }

  static StoredRecord withValue(StoredRecord r, String newValue, String previousHash) {
    StoredRecord draft = withValue(r, newValue, previousHash, "");
    return withValue(r, newValue, previousHash, AuditHash.hash(previousHash, draft.hashedFields()));
  }

  /** {@code r} with another new value, previous hash and hash; every other field kept. */
  private static StoredRecord withValue(
      StoredRecord r, String newValue, String previousHash, String hash) {
    return new StoredRecord(
        r.seq(),
        r.recordedAt(),
        r.user(),
        r.role(),
        r.action(),
        r.target(),
        r.oldValue(),
        newValue,
        r.reason(),
        r.runId(),
        r.signedBy(),
        r.signatureMeaning(),
        r.signedAt(),
        previousHash,
        hash);
  }

  void insert(StoredRecord r) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(StoredRecord.INSERT)) {
      r.bind(p);
      p.executeUpdate();
    }
  }

  /** Moves every record from {@code seq} on one place up (two steps: the key is unique). */
  void shiftUpFrom(long seq) throws SQLException {
    sql("UPDATE audit_records SET seq = -seq WHERE seq >= " + seq);
    sql("UPDATE audit_records SET seq = -seq + 1 WHERE seq < 0");
  }

  @Override
  public void close() throws SQLException {
    c.close();
  }
}
