package io.hepaloop.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Brings a database's schema up to the newest migration this code knows, one migration per
 * transaction, each recorded in {@code schema_version} (version, description, SHA-256 of its SQL,
 * when applied).
 *
 * <p>Before anything is applied, what was applied is checked against the code: a database written
 * by a newer HepaLoop, or a migration whose SQL changed after it was applied, is refused ({@link
 * SchemaMismatchException}) without touching the database, because the code would run against a
 * schema it does not describe. A migration that fails is rolled back whole (SQLite's DDL is
 * transactional), so the database stays at the version before it.
 */
public final class MigrationRunner {
  private MigrationRunner() {}

  /**
   * Applies what is missing.
   *
   * @param connection a connection in auto-commit mode
   * @param known this code's migrations, versions 1..n in order
   * @param where the database, for messages
   * @return the number of migrations applied (0 when the schema was already current)
   */
  public static int migrate(Connection connection, List<Migration> known, String where)
      throws SQLException {
    for (int i = 0; i < known.size(); i++) {
      if (known.get(i).version() != i + 1) {
        throw new IllegalArgumentException(
            "migrations must be numbered 1..n without gaps; found V"
                + known.get(i).version()
                + " at place "
                + (i + 1));
      }
    }
    try (Statement s = connection.createStatement()) {
      s.executeUpdate(
          "CREATE TABLE IF NOT EXISTS schema_version ("
              + " version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
              + " checksum TEXT NOT NULL, applied_at TEXT NOT NULL)");
    }
    check(applied(connection), known, where);
    int count = 0;
    for (Migration m : known) {
      connection.setAutoCommit(false);
      try {
        // Read again inside the write transaction: another process may have just migrated.
        Map<Integer, String> now = applied(connection);
        check(now, known, where);
        if (now.containsKey(m.version())) {
          connection.commit();
          continue;
        }
        try (Statement s = connection.createStatement()) {
          s.executeUpdate(m.sql());
        }
        try (PreparedStatement p =
            connection.prepareStatement(
                "INSERT INTO schema_version (version, description, checksum, applied_at)"
                    + " VALUES (?, ?, ?, ?)")) {
          p.setInt(1, m.version());
          p.setString(2, m.description());
          p.setString(3, m.checksum());
          p.setString(4, Instant.now().toString());
          p.executeUpdate();
        }
        connection.commit();
        count++;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        if (e instanceof SchemaMismatchException sme) {
          throw sme;
        }
        throw new StoreException(
            where
                + ": migration V"
                + m.version()
                + " ("
                + m.description()
                + ") failed and was rolled back; the schema stays at version "
                + (m.version() - 1)
                + ": "
                + e.getMessage(),
            e);
      } finally {
        connection.setAutoCommit(true);
      }
    }
    return count;
  }

  /**
   * Checks, without changing anything, that the database is exactly at the schema of {@code known}
   * (for a reader that must not migrate).
   *
   * @throws SchemaMismatchException naming the database's version and this code's when they differ,
   *     or the migration whose SQL changed
   */
  public static void checkCurrent(Connection connection, List<Migration> known, String where)
      throws SQLException {
    boolean hasTable;
    try (Statement s = connection.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")) {
      hasTable = r.next();
    }
    Map<Integer, String> applied = hasTable ? applied(connection) : Map.of();
    check(applied, known, where);
    int version = applied.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
    if (version < known.size()) {
      throw new SchemaMismatchException(
          where
              + " has schema version "
              + version
              + ", older than this HepaLoop's ("
              + known.size()
              + "); it is opened read-only and not migrated here: start this HepaLoop's serve or"
              + " demo on it once (which migrates it), or use the HepaLoop that wrote it");
    }
  }

  /** The schema version recorded in the database (0 for a new one). */
  public static int version(Connection connection) throws SQLException {
    return applied(connection).keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
  }

  private static Map<Integer, String> applied(Connection connection) throws SQLException {
    Map<Integer, String> out = new LinkedHashMap<>();
    try (Statement s = connection.createStatement();
        ResultSet r = s.executeQuery("SELECT version, checksum FROM schema_version ORDER BY 1")) {
      while (r.next()) {
        out.put(r.getInt(1), r.getString(2));
      }
    }
    return out;
  }

  private static void check(Map<Integer, String> applied, List<Migration> known, String where) {
    int newest = applied.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
    if (newest > known.size()) {
      throw new SchemaMismatchException(
          where
              + " has schema version "
              + newest
              + ", newer than this HepaLoop knows ("
              + known.size()
              + "); run the newer HepaLoop that wrote it, or restore a backup");
    }
    for (Map.Entry<Integer, String> e : applied.entrySet()) {
      Migration m = known.get(e.getKey() - 1);
      if (!m.checksum().equals(e.getValue())) {
        throw new SchemaMismatchException(
            where
                + ": migration V"
                + m.version()
                + " ("
                + m.description()
                + ") was changed after it was applied (checksum "
                + e.getValue()
                + " in the database, "
                + m.checksum()
                + " in this HepaLoop); restore the original file and put the change in a new"
                + " migration");
      }
    }
  }
}
