package io.hepaloop.audit;

import io.hepaloop.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;

/**
 * A read-only connection to a data directory's database, for verify and export: they must not
 * create, migrate or lock anything. Safe while a running plant writes the same file: in WAL mode a
 * reader sees the last commit and neither waits for nor blocks the writer.
 */
final class AuditDatabase {
  private AuditDatabase() {}

  /**
   * @throws IllegalArgumentException when the directory has no database, or one without an audit
   *     trail (a user error: a mistyped --data-dir)
   */
  static Connection openReadOnly(Path dataDir) {
    Path file = dataDir.resolve(Store.FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "no database in " + dataDir + " (" + Store.FILE_NAME + "); check --data-dir");
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(Store.BUSY_TIMEOUT_MS);
    Connection c;
    try {
      c = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    } catch (SQLException e) {
      throw new AuditException(file + ": cannot open the database: " + e.getMessage(), e);
    }
    try (PreparedStatement p =
            c.prepareStatement(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'audit_records'");
        ResultSet r = p.executeQuery()) {
      r.next();
      if (r.getInt(1) == 0) {
        throw new IllegalArgumentException(
            file + " has no audit trail (no audit_records table): start HepaLoop on it once");
      }
      return c;
    } catch (SQLException | RuntimeException e) {
      try {
        c.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new AuditException(file + ": " + e.getMessage(), e);
    }
  }
}
