package io.hepaloop.audit;

import io.hepaloop.store.Store;
import io.hepaloop.time.Clock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends audit records to the data directory's database, hash-chained, and anchors the chain in
 * {@code audit-anchors.txt} beside it (docs/audit.md).
 *
 * <p><b>One writer.</b> Every append goes through a queue to one thread, which writes what has
 * queued up in one transaction (group commit: one fsync for many records) and reads the chain's
 * tail inside that transaction, so records from several threads, and from another process appending
 * to the same database, form one gap-free chain. {@link #enqueue} never blocks and may be called on
 * an event loop; the record's time is taken from the {@link Clock} at that call. {@link #append}
 * and {@link #flush} block and are refused on a Vert.x event loop, like the store. {@link #close}
 * writes everything queued before it, then a last anchor.
 *
 * <p>Nothing is ever updated or deleted: the table's triggers refuse it as well.
 */
public final class AuditTrail implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

  /** Most records written in one transaction. */
  static final int MAX_BATCH = 256;

  /** Longest real wait of the writer between two looks at the anchor interval. */
  private static final long MAX_IDLE_MS = 1_000;

  private final Store store;
  private final Clock clock;
  private final AnchorPolicy policy;
  private final Path anchorFile;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Object admission = new Object();
  private final Thread writer;
  private boolean closed; // guarded by admission

  // Written and read by the writer thread only (and by open before it starts).
  private long tailSeq;
  private String tailHash;
  private long anchoredSeq;
  private long anchoredAtNanos;

  /** A queued entry with its time, or (entry null) a flush or the stop marker. */
  private record Pending(
      AuditEntry entry, Instant recordedAt, CompletableFuture<AuditRecord> done, boolean stop) {}

  private AuditTrail(Store store, Clock clock, AnchorPolicy policy) {
    this.store = store;
    this.clock = clock;
    this.policy = policy;
    this.anchorFile = AnchorFile.of(store.file().toAbsolutePath().getParent());
    this.writer = new Thread(this::writeLoop, "audit-writer");
    this.writer.setDaemon(true);
  }

  /** The trail of {@code store}'s data directory with the {@link AnchorPolicy#DEFAULT} anchors. */
  public static AuditTrail open(Store store, Clock clock) {
    return open(store, clock, AnchorPolicy.DEFAULT);
  }

  /**
   * Opens the trail of {@code store}'s data directory: continues its chain after the last record.
   * Blocks (reads the tail and the anchor file).
   */
  public static AuditTrail open(Store store, Clock clock, AnchorPolicy policy) {
    AuditTrail trail = new AuditTrail(store, clock, policy);
    store.read(
        c -> {
          trail.readTail(c);
          return null;
        });
    trail.anchoredSeq =
        AnchorFile.read(trail.anchorFile).anchors().stream()
            .mapToLong(AnchorFile.Anchor::seq)
            .max()
            .orElse(0);
    trail.anchoredAtNanos = clock.nanoTime();
    trail.writer.start();
    return trail;
  }

  /** The anchor file this trail writes. */
  public Path anchorFile() {
    return anchorFile;
  }

  /**
   * Queues {@code entry}, stamped with the clock's time now; never blocks. The future completes
   * with the record once it is committed, or exceptionally when it could not be written (the trail
   * was closed, the disk failed). It completes on the writer thread: a callback that blocks holds
   * up every append (use the {@code ...Async} variants for such work).
   */
  public CompletableFuture<AuditRecord> enqueue(AuditEntry entry) {
    if (entry == null) {
      throw new IllegalArgumentException("audit entry is missing");
    }
    return admit(new Pending(entry, clock.now(), new CompletableFuture<>(), false));
  }

  /** Appends {@code entry} and waits until it is committed. Blocks; not on an event loop. */
  public AuditRecord append(AuditEntry entry) {
    refuseOnEventLoop("append");
    return await(enqueue(entry));
  }

  /** Waits until every entry queued before this call is committed. Blocks; not on an event loop. */
  public void flush() {
    refuseOnEventLoop("flush");
    await(admit(new Pending(null, null, new CompletableFuture<>(), false)));
  }

  /**
   * Writes everything queued, anchors the chain's last record and stops the writer; later appends
   * are refused. Blocks; not on an event loop. Does not close the store.
   */
  @Override
  public void close() {
    refuseOnEventLoop("close");
    CompletableFuture<AuditRecord> stopped = new CompletableFuture<>();
    synchronized (admission) {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(new Pending(null, null, stopped, true));
    }
    await(stopped);
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private CompletableFuture<AuditRecord> admit(Pending p) {
    synchronized (admission) {
      if (closed) {
        return CompletableFuture.failedFuture(
            new AuditException("the audit trail is closed; nothing more can be recorded"));
      }
      queue.add(p);
    }
    return p.done();
  }

  private void writeLoop() {
    List<Pending> batch = new ArrayList<>();
    boolean stop = false;
    while (!stop) {
      batch.clear();
      try {
        Pending first =
            queue.poll(Math.min(MAX_IDLE_MS, policy.every().toMillis()), TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, MAX_BATCH - 1);
        }
      } catch (InterruptedException e) {
        // close() is the way to stop; keep serving the queue
        continue;
      }
      List<Pending> entries = new ArrayList<>();
      for (Pending p : batch) {
        if (p.entry() != null) {
          entries.add(p);
          continue;
        }
        write(entries);
        entries.clear();
        if (p.stop()) {
          stop = true;
          anchor(true);
        }
        p.done().complete(null);
      }
      write(entries);
      anchor(false);
    }
  }

  private void write(List<Pending> entries) {
    if (entries.isEmpty()) {
      return;
    }
    List<AuditRecord> written;
    try {
      written =
          store.transaction(
              c -> {
                readTail(c);
                List<AuditRecord> out = new ArrayList<>(entries.size());
                long seq = tailSeq;
                String previous = tailHash;
                try (PreparedStatement p = c.prepareStatement(StoredRecord.INSERT)) {
                  for (Pending pending : entries) {
                    AuditRecord record = next(++seq, previous, pending);
                    stored(record).bind(p);
                    p.addBatch();
                    out.add(record);
                    previous = record.hash();
                  }
                  p.executeBatch();
                }
                return out;
              });
    } catch (RuntimeException e) {
      AuditException failure =
          new AuditException("audit records not written: " + e.getMessage(), e);
      entries.forEach(p -> p.done().completeExceptionally(failure));
      return;
    }
    AuditRecord last = written.get(written.size() - 1);
    tailSeq = last.sequence();
    tailHash = last.hash();
    anchor(false); // before the callers hear of it: an append that returns is anchored if due
    for (int i = 0; i < entries.size(); i++) {
      entries.get(i).done().complete(written.get(i));
    }
  }

  private static AuditRecord next(long seq, String previous, Pending pending) {
    AuditRecord unhashed =
        new AuditRecord(seq, pending.recordedAt(), pending.entry(), previous, "");
    String hash = AuditHash.hash(previous, stored(unhashed).hashedFields());
    return new AuditRecord(
        seq, Instant.parse(AuditHash.time(pending.recordedAt())), pending.entry(), previous, hash);
  }

  static StoredRecord stored(AuditRecord r) {
    AuditEntry e = r.entry();
    Signature s = e.signature();
    return new StoredRecord(
        r.sequence(),
        AuditHash.time(r.recordedAt()),
        e.user(),
        e.role(),
        e.action().id(),
        e.target(),
        e.oldValue(),
        e.newValue(),
        e.reason(),
        e.runId(),
        s == null ? null : s.printedName(),
        s == null ? null : s.meaning(),
        s == null ? null : AuditHash.time(s.signedAt()),
        r.previousHash(),
        r.hash());
  }

  /** Anchors the last record when the policy (or {@code force}) says so. */
  private void anchor(boolean force) {
    long unanchored = tailSeq - anchoredSeq;
    if (unanchored <= 0) {
      return;
    }
    boolean due =
        force
            || anchoredSeq == 0
            || unanchored >= policy.everyRecords()
            || clock.nanoTime() - anchoredAtNanos >= policy.every().toNanos();
    if (!due) {
      return;
    }
    try {
      AnchorFile.append(anchorFile, tailSeq, tailHash, clock.now());
      anchoredSeq = tailSeq;
      anchoredAtNanos = clock.nanoTime();
    } catch (AuditException e) {
      // The records are committed; the next anchor covers them. Say so once per attempt.
      LOG.warn("{}; will try again at the next anchor", e.getMessage());
    }
  }

  private void readTail(Connection c) throws SQLException {
    try (PreparedStatement p =
            c.prepareStatement("SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1");
        ResultSet r = p.executeQuery()) {
      if (r.next()) {
        tailSeq = r.getLong(1);
        tailHash = r.getString(2);
      } else {
        tailSeq = 0;
        tailHash = AuditHash.GENESIS;
      }
    }
  }

  private static AuditRecord await(CompletableFuture<AuditRecord> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }

  private void refuseOnEventLoop(String what) {
    if (Thread.currentThread() == writer) {
      throw new IllegalStateException(
          "AuditTrail."
              + what
              + " was called in a callback on the audit writer thread and would wait for itself;"
              + " use enqueue, or a ...Async callback");
    }
    if (io.vertx.core.Context.isOnEventLoopThread()) {
      throw new IllegalStateException(
          "AuditTrail."
              + what
              + " blocks on disk I/O and was called on a Vert.x event loop ("
              + Thread.currentThread().getName()
              + "); use enqueue, or run it in executeBlocking");
    }
  }
}
