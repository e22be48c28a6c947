package io.hepaloop.store;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/**
 * The database of a data directory, {@code <dataDir>/hepaloop.db}: opened, configured and migrated
 * to this code's schema by {@link #open(Path)}; then {@link #read} and {@link #transaction} run
 * plain JDBC work on its one connection.
 *
 * <p><b>Blocking, on purpose.</b> Every method blocks the calling thread on disk I/O (and, in a
 * write, on another process's write for up to {@link #BUSY_TIMEOUT_MS}). Callers run it on a worker
 * thread: in Vert.x, {@code vertx.executeBlocking(() -> users.verify(name, password))}. Why plain
 * blocking methods rather than a store that returns futures: the work around a query is often
 * blocking too (an Argon2 hash in a login takes ~100 ms of CPU), so the caller must leave the event
 * loop for the whole use case anyway, and blocking methods stay simple to call from the command
 * line and tests. A call made on a Vert.x event loop is refused with {@link IllegalStateException},
 * so a mistake shows at once instead of as a stalled loop.
 *
 * <p>One connection, used by one thread at a time (a lock): SQLite has one writer per database
 * anyway, and a single connection never waits on itself. Another process (the {@code user} command
 * while {@code serve} runs) shares the file through SQLite's own locking; WAL mode lets its readers
 * go on during a write. Foreign keys are enforced; writes use {@code BEGIN IMMEDIATE}, so a
 * transaction takes the write lock when it starts rather than failing half way.
 */
public final class Store implements AutoCloseable {
  /** The database file's name in the data directory. */
  public static final String FILE_NAME = "hepaloop.db";

  /** How long a statement waits for another connection's write lock before it fails. */
  public static final int BUSY_TIMEOUT_MS = 5_000;

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final Path file;
  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();

  private Store(Path file, Connection connection) {
    this.file = file;
    this.connection = connection;
  }

  /** Opens (creating if missing) and migrates the database of {@code dataDir}. */
  public static Store open(Path dataDir) {
    return open(dataDir.resolve(FILE_NAME), Migrations.fromClassPath());
  }

  /**
   * Opens {@code file}, creating it (and its directory) readable by its owner only, and applies the
   * missing {@code migrations}.
   *
   * @throws SchemaMismatchException when the database does not match the migrations (nothing
   *     changed)
   * @throws StoreException when the file cannot be opened or a migration fails (rolled back)
   */
  public static Store open(Path file, List<Migration> migrations) {
    refuseOnEventLoop();
    String where = file.toString();
    try {
      createOwnerOnly(file);
    } catch (IOException e) {
      throw new StoreException(where + ": cannot create the database file: " + e.getMessage(), e);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    // FULL: a committed acknowledgement or audit record survives a power cut, not only a crash.
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    Connection connection;
    try {
      connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    } catch (SQLException e) {
      throw new StoreException(where + ": cannot open the database: " + e.getMessage(), e);
    }
    try {
      String mode = pragma(connection, "journal_mode");
      if (!"wal".equalsIgnoreCase(mode)) {
        throw new StoreException(where + ": WAL mode refused (journal_mode is " + mode + ")");
      }
      MigrationRunner.migrate(connection, migrations, where);
      return new Store(file, connection);
    } catch (SQLException | RuntimeException e) {
      throw closedAfter(connection, e, where);
    }
  }

  /**
   * Opens the database of {@code dataDir} read-only (SQLite {@code SQLITE_OPEN_READONLY} and {@code
   * PRAGMA query_only}), for readers such as the run report that must never change it: nothing is
   * created, migrated or converted, and any write fails. Another process may be writing it (WAL).
   *
   * @throws SchemaMismatchException when the database is not at this code's schema version, or a
   *     migration it recorded differs from this code's (nothing changed); the message names both
   *     versions
   * @throws StoreException when there is no database file or it cannot be opened
   */
  public static Store openReadOnly(Path dataDir) {
    return openReadOnly(dataDir.resolve(FILE_NAME), Migrations.fromClassPath());
  }

  /** {@link #openReadOnly(Path)} of {@code file}, expecting the schema of {@code migrations}. */
  public static Store openReadOnly(Path file, List<Migration> migrations) {
    refuseOnEventLoop();
    String where = file.toString();
    if (!Files.isRegularFile(file)) {
      throw new StoreException(where + ": no database file");
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    Connection connection;
    try {
      connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    } catch (SQLException e) {
      throw new StoreException(where + ": cannot open the database: " + e.getMessage(), e);
    }
    try {
      try (Statement s = connection.createStatement()) {
        s.execute("PRAGMA query_only = 1");
      }
      MigrationRunner.checkCurrent(connection, migrations, where);
      return new Store(file, connection);
    } catch (SQLException | RuntimeException e) {
      throw closedAfter(connection, e, where);
    }
  }

  /** Closes {@code connection} after {@code e} stopped its opening; the exception to throw. */
  private static RuntimeException closedAfter(Connection connection, Exception e, String where) {
    try {
      connection.close();
    } catch (SQLException suppressed) {
      e.addSuppressed(suppressed);
    }
    if (e instanceof RuntimeException re) {
      return re;
    }
    return new StoreException(where + ": " + e.getMessage(), e);
  }

  private static void createOwnerOnly(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    if (!Files.exists(file)) {
      if (posix) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      } else {
        Files.createFile(file);
      }
    } else if (posix) {
      // A copy restored with a wide umask is narrowed again; SQLite gives -wal and -shm the same.
      Files.setPosixFilePermissions(file, OWNER_ONLY);
    }
  }

  private static String pragma(Connection connection, String name) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet r = s.executeQuery("PRAGMA " + name)) {
      return r.next() ? r.getString(1) : null;
    }
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  /** The schema version the database is at. */
  public int schemaVersion() {
    return read(MigrationRunner::version);
  }

  /** The value of a PRAGMA (journal_mode, foreign_keys, busy_timeout), for checks and tests. */
  public String pragma(String name) {
    return read(c -> pragma(c, name));
  }

  /** Runs {@code work} in auto-commit mode: each statement is its own transaction. */
  public <T> T read(SqlWork<T> work) {
    refuseOnEventLoop();
    lock.lock();
    try {
      return work.run(connection);
    } catch (SQLException e) {
      throw new StoreException(file + ": " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code work} in one write transaction: all of it is committed, or, when it throws, none of
   * it (the exception is passed on, an {@link SQLException} wrapped in a {@link StoreException}).
   */
  public <T> T transaction(SqlWork<T> work) {
    refuseOnEventLoop();
    lock.lock();
    try {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        if (e instanceof RuntimeException re) {
          throw re;
        }
        throw new StoreException(file + ": " + e.getMessage(), e);
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException(file + ": " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      connection.close();
    } catch (SQLException e) {
      throw new StoreException(file + ": close failed: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  private static void refuseOnEventLoop() {
    if (io.vertx.core.Context.isOnEventLoopThread()) {
      throw new IllegalStateException(
          "the store blocks on disk I/O and was called on a Vert.x event loop ("
              + Thread.currentThread().getName()
              + "); run it in executeBlocking or on a worker");
    }
  }
}
