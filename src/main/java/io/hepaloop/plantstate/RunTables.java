package io.hepaloop.plantstate;

import io.hepaloop.store.Store;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run tables ({@code runs}, {@code run_events}, {@code run_notes}; V6) and the released recipe
 * versions ({@code recipe_releases}; V8, read only here).
 *
 * <p>What the recipe executor produces on a reactor's control context ({@link #appendEvent}, {@link
 * #saveProgress}) is only queued, never blocking: one writer thread ("run-journal") writes the
 * queue in order, a batch per transaction, so a run's events and progress reach the database in the
 * order they happened. A batch the database refuses is kept and tried again each second, before
 * anything queued after it. Everything else ({@link #create}, {@link #addNote}, the reads) blocks
 * on the database: call it from a worker, never an event loop. Reads first wait for the queue
 * ({@link #flush}), so they see every event queued before them.
 */
public final class RunTables implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunTables.class);
  private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(30);
  private static final int BATCH = 500;

  /** The states in which a run has ended (the partial unique index's list). */
  public static final Set<String> FINAL_STATES = Set.of("COMPLETE", "STOPPED", "ABORTED");

  /** UTC, fixed width, 6 fraction digits: text order is time order (as in audit_records). */
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private sealed interface Op {}

  private record EventOp(RunEventRecord event) implements Op {}

  private record ProgressOp(
      String runId,
      String state,
      String progressJson,
      Instant at,
      Instant startedAt,
      Instant endedAt)
      implements Op {}

  private final Store store;
  private final ConcurrentLinkedQueue<Op> queue = new ConcurrentLinkedQueue<>();
  private final SingleWriter writer;

  /** Writer thread only: a batch the database refused, written before anything newer. */
  private List<Op> retry = List.of();

  private volatile long writeFailures;

  public RunTables(Store store) {
    if (store == null) {
      throw new IllegalArgumentException("store is required");
    }
    this.store = store;
    this.writer = new SingleWriter("run-journal", this::writeOnce, Duration.ofSeconds(1));
  }

  /** The fixed-width UTC text of {@code t} the run tables store. */
  public static String text(Instant t) {
    return t == null ? null : TIME.format(t);
  }

  // ------------------------------------------------------------------ queued (never block)

  /** Queues an event of a run; never blocks. */
  public void appendEvent(RunEventRecord e) {
    checkOpen();
    queue.add(new EventOp(e));
    writer.wake();
  }

  /**
   * Queues the run's state and progress; never blocks.
   *
   * @param startedAt set once (a later non-null value does not replace it); null leaves it
   * @param endedAt set when the run ended; null leaves it
   */
  public void saveProgress(
      String runId,
      String state,
      String progressJson,
      Instant at,
      Instant startedAt,
      Instant endedAt) {
    checkOpen();
    queue.add(new ProgressOp(runId, state, progressJson, at, startedAt, endedAt));
    writer.wake();
  }

  private void checkOpen() {
    if (writer.isStopping()) {
      throw new IllegalStateException("the run tables are closed");
    }
  }

  /** Waits until everything queued before the call is written. Blocks. */
  public void flush() {
    writer.flush(FLUSH_TIMEOUT);
  }

  /** Batches the database refused since start (each retried). */
  public long writeFailures() {
    return writeFailures;
  }

  /** Writes everything queued, then stops the writer. */
  @Override
  public void close() {
    writer.stop(FLUSH_TIMEOUT);
  }

  private SingleWriter.Outcome writeOnce(boolean flushing) {
    List<Op> batch = new ArrayList<>(retry);
    for (Op op; batch.size() < BATCH && (op = queue.poll()) != null; ) {
      batch.add(op);
    }
    if (batch.isEmpty()) {
      return SingleWriter.Outcome.DONE;
    }
    try {
      store.transaction(
          c -> {
            for (Op op : batch) {
              write(c, op);
            }
            return null;
          });
      retry = List.of();
    } catch (RuntimeException e) {
      retry = batch;
      writeFailures++;
      LOG.error(
          "run journal: writing {} change(s) failed, will retry: {}", batch.size(), e.getMessage());
      return SingleWriter.Outcome.FAILED;
    }
    return queue.isEmpty() ? SingleWriter.Outcome.DONE : SingleWriter.Outcome.MORE;
  }

  private static void write(Connection c, Op op) throws SQLException {
    if (op instanceof EventOp eo) {
      RunEventRecord e = eo.event();
      try (PreparedStatement p =
          c.prepareStatement(
              "INSERT INTO run_events (run_id, at, kind, phase_index, phase_id, state, subject,"
                  + " message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        p.setString(1, e.runId());
        p.setString(2, text(e.at()));
        p.setString(3, e.kind());
        p.setInt(4, e.phaseIndex());
        p.setString(5, e.phaseId());
        p.setString(6, e.state());
        p.setString(7, e.subject());
        p.setString(8, e.message());
        p.executeUpdate();
      }
    } else if (op instanceof ProgressOp o) {
      try (PreparedStatement p =
          c.prepareStatement(
              "UPDATE runs SET state = ?, progress_json = ?, updated_at = ?,"
                  + " started_at = COALESCE(started_at, ?), ended_at = COALESCE(?, ended_at)"
                  + " WHERE run_id = ?")) {
        p.setString(1, o.state());
        p.setString(2, o.progressJson());
        p.setString(3, text(o.at()));
        p.setString(4, text(o.startedAt()));
        p.setString(5, text(o.endedAt()));
        p.setString(6, o.runId());
        if (p.executeUpdate() != 1) {
          LOG.error("run journal: progress of unknown run {} dropped", o.runId());
        }
      }
    }
  }

  // ------------------------------------------------------------------ blocking

  /**
   * Creates {@code run} (its state as given, normally IDLE). A second run created on the reactor
   * within the same second gets {@code -2}, {@code -3} ... after its id. Blocks.
   *
   * @return the run as stored (its id may carry a suffix)
   * @throws OpenRunExistsException when the reactor has a run not yet ended (nothing created)
   */
  public RunRecord create(RunRecord run) {
    flush(); // a run that just ended has its final state written before the check
    return store.transaction(
        c -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "SELECT run_id, state FROM runs WHERE reactor_id = ? AND state NOT IN"
                      + " ('COMPLETE', 'STOPPED', 'ABORTED')")) {
            p.setString(1, run.reactorId());
            try (ResultSet r = p.executeQuery()) {
              if (r.next()) {
                throw new OpenRunExistsException(run.reactorId(), r.getString(1), r.getString(2));
              }
            }
          }
          RunRecord stored = run;
          for (int n = 2; exists(c, stored.runId()); n++) {
            stored = run.withRunId(run.runId() + "-" + n);
          }
          insert(c, stored);
          return stored;
        });
  }

  private static boolean exists(Connection c, String runId) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM runs WHERE run_id = ?")) {
      p.setString(1, runId);
      try (ResultSet r = p.executeQuery()) {
        return r.next();
      }
    }
  }

  private static void insert(Connection c, RunRecord r) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "INSERT INTO runs (run_id, reactor_id, recipe_name, recipe_version, recipe_sha256,"
                + " recipe_text, cell_source, cell_source_detail, cells_seeded, scaffold, medium,"
                + " operator, created_at, created_by, started_at, ended_at, state, progress_json,"
                + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      p.setString(1, r.runId());
      p.setString(2, r.reactorId());
      p.setString(3, r.recipeName());
      p.setString(4, r.recipeVersion());
      p.setString(5, r.recipeSha256());
      p.setString(6, r.recipeText());
      p.setString(7, r.cellSource());
      p.setString(8, r.cellSourceDetail());
      p.setDouble(9, r.cellsSeeded());
      p.setString(10, r.scaffold());
      p.setString(11, r.medium());
      p.setString(12, r.operator());
      p.setString(13, text(r.createdAt()));
      p.setString(14, r.createdBy());
      p.setString(15, text(r.startedAt()));
      p.setString(16, text(r.endedAt()));
      p.setString(17, r.state());
      if (r.progressJson() == null) {
        p.setNull(18, Types.VARCHAR);
      } else {
        p.setString(18, r.progressJson());
      }
      p.setString(19, text(r.updatedAt() == null ? r.createdAt() : r.updatedAt()));
      p.executeUpdate();
    }
  }

  /** The run {@code runId}; empty when there is none. Blocks. */
  public Optional<RunRecord> find(String runId) {
    flush();
    List<RunRecord> found = query("SELECT * FROM runs WHERE run_id = ?", runId);
    return found.stream().findFirst();
  }

  /**
   * The runs, newest first, of {@code reactorId} (null: all) in {@code state} (null: any). Blocks.
   */
  public List<RunRecord> list(String reactorId, String state) {
    flush();
    StringBuilder sql = new StringBuilder("SELECT * FROM runs WHERE 1 = 1");
    List<String> args = new ArrayList<>();
    if (reactorId != null) {
      sql.append(" AND reactor_id = ?");
      args.add(reactorId);
    }
    if (state != null) {
      sql.append(" AND state = ?");
      args.add(state);
    }
    sql.append(" ORDER BY created_at DESC, run_id DESC");
    return query(sql.toString(), args.toArray(String[]::new));
  }

  /** The runs not yet ended (at most one per reactor), oldest first. Blocks. */
  public List<RunRecord> open() {
    flush();
    return query(
        "SELECT * FROM runs WHERE state NOT IN ('COMPLETE', 'STOPPED', 'ABORTED')"
            + " ORDER BY created_at, run_id");
  }

  private List<RunRecord> query(String sql, String... args) {
    return store.read(
        c -> {
          List<RunRecord> out = new ArrayList<>();
          try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
              p.setString(i + 1, args[i]);
            }
            try (ResultSet r = p.executeQuery()) {
              while (r.next()) {
                out.add(run(r));
              }
            }
          }
          return out;
        });
  }

  private static RunRecord run(ResultSet r) throws SQLException {
    return new RunRecord(
        r.getString("run_id"),
        r.getString("reactor_id"),
        r.getString("recipe_name"),
        r.getString("recipe_version"),
        r.getString("recipe_sha256"),
        r.getString("recipe_text"),
        r.getString("cell_source"),
        r.getString("cell_source_detail"),
        r.getDouble("cells_seeded"),
        r.getString("scaffold"),
        r.getString("medium"),
        r.getString("operator"),
        time(r.getString("created_at")),
        r.getString("created_by"),
        time(r.getString("started_at")),
        time(r.getString("ended_at")),
        r.getString("state"),
        r.getString("progress_json"),
        time(r.getString("updated_at")));
  }

  private static Instant time(String s) {
    return s == null ? null : Instant.parse(s);
  }

  /** The run's events in order. Blocks. */
  public List<RunEventRecord> events(String runId) {
    flush();
    return store.read(
        c -> {
          List<RunEventRecord> out = new ArrayList<>();
          try (PreparedStatement p =
              c.prepareStatement("SELECT * FROM run_events WHERE run_id = ? ORDER BY seq")) {
            p.setString(1, runId);
            try (ResultSet r = p.executeQuery()) {
              while (r.next()) {
                out.add(
                    new RunEventRecord(
                        r.getLong("seq"),
                        runId,
                        time(r.getString("at")),
                        r.getString("kind"),
                        r.getInt("phase_index"),
                        r.getString("phase_id"),
                        r.getString("state"),
                        r.getString("subject"),
                        r.getString("message")));
              }
            }
          }
          return out;
        });
  }

  /**
   * Adds a note to run {@code runId}. Blocks.
   *
   * @throws IllegalArgumentException for an empty or too long text
   */
  public RunNoteRecord addNote(
      String runId, Instant notedAt, Instant writtenAt, String user, String text) {
    if (text == null || text.isBlank() || text.length() > RunNoteRecord.MAX_TEXT) {
      throw new IllegalArgumentException(
          "a note is 1 to " + RunNoteRecord.MAX_TEXT + " characters of text");
    }
    Instant noted = notedAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    Instant written = writtenAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    return store.transaction(
        c -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "INSERT INTO run_notes (run_id, noted_at, written_at, user_name, text)"
                      + " VALUES (?, ?, ?, ?, ?)")) {
            p.setString(1, runId);
            p.setString(2, text(noted));
            p.setString(3, text(written));
            p.setString(4, user);
            p.setString(5, text);
            p.executeUpdate();
          }
          try (PreparedStatement p = c.prepareStatement("SELECT last_insert_rowid()");
              ResultSet k = p.executeQuery()) {
            k.next();
            return new RunNoteRecord(k.getLong(1), runId, noted, written, user, text);
          }
        });
  }

  /** The run's notes by the time they are about, then as entered. Blocks. */
  public List<RunNoteRecord> notes(String runId) {
    return store.read(
        c -> {
          List<RunNoteRecord> out = new ArrayList<>();
          try (PreparedStatement p =
              c.prepareStatement(
                  "SELECT * FROM run_notes WHERE run_id = ? ORDER BY noted_at, note_id")) {
            p.setString(1, runId);
            try (ResultSet r = p.executeQuery()) {
              while (r.next()) {
                out.add(
                    new RunNoteRecord(
                        r.getLong("note_id"),
                        runId,
                        time(r.getString("noted_at")),
                        time(r.getString("written_at")),
                        r.getString("user_name"),
                        r.getString("text")));
              }
            }
          }
          return out;
        });
  }

  /** Whether the recipe version with this content hash is released (recipe_releases). Blocks. */
  public boolean isReleased(String recipeSha256) {
    return store.read(
        c -> {
          try (PreparedStatement p =
              c.prepareStatement("SELECT 1 FROM recipe_releases WHERE recipe_sha256 = ?")) {
            p.setString(1, recipeSha256);
            try (ResultSet r = p.executeQuery()) {
              return r.next();
            }
          }
        });
  }
}
