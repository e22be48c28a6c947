package io.hepaloop.telemetry;

import io.hepaloop.bus.HepaEvent;
import io.hepaloop.time.SystemClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batched, durable telemetry writer: {@link #submit} (any thread, never blocks) → memory queue →
 * batcher thread (batches by size and age) → {@link Spool} (fsync: acknowledged) → sender threads →
 * InfluxDB. The spool is always in the path, so there is one way for a point to travel whether
 * InfluxDB is up, slow or down, and a kill -9 loses nothing acknowledged.
 *
 * <p>Delivery: in spool order, up to {@link Options#senders} batches in flight (InfluxDB needs two
 * connections to reach its ceiling); the cursor advances only over a contiguous delivered prefix.
 * Unreachable/5xx/timeout: the same batch is retried with backoff (100 ms … 5 s) until it goes
 * through. 400 (bad data): the batch is bisected until the offending lines are isolated; those are
 * logged and appended to {@code quarantine.lp}, the rest is delivered, and the writer keeps going.
 * Redelivery after a crash is harmless: InfluxDB overwrites a point with the same series and time.
 *
 * <p>Nothing is dropped unless the spool is full (its bound) and then the memory queue too; that is
 * counted ({@code points.dropped}, must stay 0) and raised as a critical event.
 *
 * <p>Supervised: the batcher and the sender (dispatcher and each batch's delivery) resume after any
 * failure — an exception or an Error — with backoff (100 ms doubling to 30 s, reset after a
 * delivered batch), count it ({@code hepaloop_telemetry_restarts_total{thread}}) and raise a {@code
 * telemetry} event. Nothing is lost meanwhile: the batch in hand stays in hand, and what is in the
 * spool stays there until delivered.
 */
public final class TelemetryWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TelemetryWriter.class);

  /**
   * @param batchSize points per batch (a batch is cut when full ...)
   * @param maxAge ... or when its first point is this old
   * @param spoolMaxBytes bound of the on-disk spool
   * @param segmentBytes size of one spool segment file
   * @param senders concurrent write requests to InfluxDB
   * @param maxQueuedPoints bound of the in-memory queue in front of the spool
   * @param nearFullRatio spool fill ratio at which a warning event is raised
   * @param httpTimeout timeout of one write request (a slow server counts as down)
   * @param quarantineRetention how much of {@code spool/quarantine/} is kept
   */
  public record Options(
      int batchSize,
      Duration maxAge,
      long spoolMaxBytes,
      long segmentBytes,
      int senders,
      int maxQueuedPoints,
      double nearFullRatio,
      Duration httpTimeout,
      QuarantineRetention quarantineRetention) {
    public static Options defaults() {
      return new Options(
          10_000,
          Duration.ofMillis(500),
          2L * 1024 * 1024 * 1024,
          64L * 1024 * 1024,
          2,
          2_000_000,
          0.8,
          Duration.ofSeconds(10),
          QuarantineRetention.defaults());
    }

    public Options withQuarantineRetention(QuarantineRetention retention) {
      return new Options(
          batchSize,
          maxAge,
          spoolMaxBytes,
          segmentBytes,
          senders,
          maxQueuedPoints,
          nearFullRatio,
          httpTimeout,
          retention);
    }

    public Options withBatch(int size, Duration age) {
      return new Options(
          size,
          age,
          spoolMaxBytes,
          segmentBytes,
          senders,
          maxQueuedPoints,
          nearFullRatio,
          httpTimeout,
          quarantineRetention);
    }

    public Options withSpool(long maxBytes, long segment) {
      return new Options(
          batchSize,
          maxAge,
          maxBytes,
          segment,
          senders,
          maxQueuedPoints,
          nearFullRatio,
          httpTimeout,
          quarantineRetention);
    }

    public Options withMaxQueued(int n) {
      return new Options(
          batchSize,
          maxAge,
          spoolMaxBytes,
          segmentBytes,
          senders,
          n,
          nearFullRatio,
          httpTimeout,
          quarantineRetention);
    }
  }

  private static final long RESTART_BACKOFF_MAX_MS = 30_000;
  private final BatchSink http;
  private final Spool spool;
  private final Options options;
  private final TelemetryMetrics metrics;
  private final Consumer<HepaEvent> events;
  private final RefusedLines refusedLines;

  /** At most one log line and event per minute about refused points; the rest are counted. */
  private static final long REFUSAL_NOTICE_NANOS = 60_000_000_000L;

  private long refusalNoticeNanos;
  private boolean refusalNoticed;
  private long refusalsSinceNotice;
  private final Path spoolQuarantineDir;
  private final ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
  private final AtomicLong queued = new AtomicLong();
  private final AtomicLong submitted = new AtomicLong();
  private final AtomicLong spooled = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong quarantined = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicBoolean flushRequested = new AtomicBoolean();
  private final Object spoolSignal = new Object();
  private volatile boolean running;
  private volatile boolean abortSending;
  private volatile LongConsumer spoolListener = n -> {};
  private volatile boolean influxDown;
  private volatile boolean schemaReady;
  private volatile boolean nearFullRaised;
  private volatile long lastDropEventNanos;
  private Thread batcher;
  private Thread dispatcher;
  private ExecutorService senderPool;
  // batcher thread only: the batch being filled survives a restart of the batcher
  private List<String> batch;
  // dispatcher thread only: read position and batches in flight survive a restart of the sender
  private Spool.Position readPos;
  private final ArrayDeque<InFlight> window = new ArrayDeque<>();
  private final AtomicLong restarts = new AtomicLong();

  /** thread → failures since its last success; sets the backoff. */
  private final java.util.Map<String, Integer> failuresInARow =
      new java.util.concurrent.ConcurrentHashMap<>();

  // backlog (points delivered late) → roll-up backfill; dispatcher thread only
  private long backlogMinNs = Long.MAX_VALUE;
  private long backlogMaxNs = Long.MIN_VALUE;

  /**
   * @param http InfluxDB client, or null to keep everything in the spool (no InfluxDB available)
   * @param spoolDir directory of the spool (created); quarantine.lp lives there too
   * @param events receives telemetry events (InfluxDB down/back, spool nearly full, bad data)
   */
  public TelemetryWriter(
      InfluxHttp http,
      Path spoolDir,
      Options options,
      TelemetryMetrics metrics,
      Consumer<HepaEvent> events) {
    this(http == null ? null : BatchSink.influx(http), spoolDir, options, metrics, events);
  }

  /** A writer with any sink (tests use a fake one); null keeps everything in the spool. */
  static TelemetryWriter withSink(
      BatchSink sink,
      Path spoolDir,
      Options options,
      TelemetryMetrics metrics,
      Consumer<HepaEvent> events) {
    return new TelemetryWriter(sink, spoolDir, options, metrics, events);
  }

  private TelemetryWriter(
      BatchSink sink,
      Path spoolDir,
      Options options,
      TelemetryMetrics metrics,
      Consumer<HepaEvent> events) {
    this.http = sink;
    this.options = options;
    this.metrics = metrics;
    this.events = events == null ? e -> {} : events;
    this.spoolQuarantineDir = spoolDir.resolve("quarantine");
    this.spool =
        new Spool(
            spoolDir,
            options.spoolMaxBytes(),
            options.segmentBytes(),
            options.quarantineRetention(),
            SystemClock.INSTANCE,
            this::quarantineSwept);
    this.refusedLines =
        new RefusedLines(spoolDir.resolve("quarantine.lp"), RefusedLines.DEFAULT_MAX_BYTES);
    metrics.spoolGauges(
        spool::pendingPoints,
        spool::pendingBytes,
        () -> (double) spool.pendingBytes() / spool.maxBytes());
    metrics.spoolRecovery(spool);
    if (spool.quarantinedStretches() > 0 || spool.cursorRepairs() > 0) {
      raise(
          new HepaEvent(
              Instant.now(),
              null,
              "telemetry",
              "spool",
              "warning",
              String.format(
                  "Telemetry spool recovery: %d damaged stretches (%d bytes, %d points) copied to %s; cursor repaired %d times. Everything else is replayed.",
                  spool.quarantinedStretches(),
                  spool.quarantinedBytes(),
                  spool.quarantinedPoints(),
                  spool.quarantineDirectory(),
                  spool.cursorRepairs())));
    }
  }

  public synchronized TelemetryWriter start() {
    if (running) {
      return this;
    }
    running = true;
    batcher = new Thread(() -> supervise("batcher", this::batchLoop), "telemetry-batcher");
    batcher.setDaemon(true);
    batcher.start();
    if (http != null) {
      senderPool =
          Executors.newFixedThreadPool(
              options.senders(),
              r -> {
                Thread t = new Thread(r, "telemetry-sender");
                t.setDaemon(true);
                return t;
              });
      readPos = spool.committed();
      dispatcher =
          new Thread(() -> supervise("sender", this::dispatchLoop), "telemetry-dispatcher");
      dispatcher.setDaemon(true);
      dispatcher.start();
    } else {
      LOG.warn(
          "no InfluxDB: telemetry is kept in the spool {} and will be replayed when a server is configured",
          spool.directory());
    }
    return this;
  }

  /**
   * Called with the total number of points acknowledged (fsynced) so far, after each spool append.
   */
  public void onSpooled(LongConsumer listener) {
    this.spoolListener = listener;
  }

  /**
   * Queues one line-protocol line. Thread-safe, never blocks (safe on an event loop).
   *
   * @return false when it was dropped because the spool and the queue are full (counted and raised)
   */
  public boolean submit(String line) {
    if (queued.incrementAndGet() > options.maxQueuedPoints()) {
      queued.decrementAndGet();
      dropped.incrementAndGet();
      metrics.dropped(1);
      long now = System.nanoTime();
      if (now - lastDropEventNanos > 10_000_000_000L) {
        lastDropEventNanos = now;
        LOG.error(
            "telemetry queue full ({} points) and spool not accepting: dropping points ({} so far)",
            options.maxQueuedPoints(),
            dropped.get());
        raise(
            new HepaEvent(
                Instant.now(),
                null,
                "telemetry",
                "spool",
                "critical",
                "Telemetry points are being dropped: the spool is full and InfluxDB is not taking data ("
                    + dropped.get()
                    + " dropped so far)."));
      }
      return false;
    }
    submitted.incrementAndGet();
    queue.add(line);
    return true;
  }

  public long submitted() {
    return submitted.get();
  }

  /** Points acknowledged to the spool (durable). */
  public long spooled() {
    return spooled.get();
  }

  public long delivered() {
    return delivered.get();
  }

  public long quarantined() {
    return quarantined.get();
  }

  public long dropped() {
    return dropped.get();
  }

  /** Times the batcher or the sender failed and was resumed. */
  public long restarts() {
    return restarts.get();
  }

  /** The spool (its recovery counts: quarantined, torn, cursor repairs). */
  public Spool spool() {
    return spool;
  }

  public long spoolPendingPoints() {
    return spool.pendingPoints();
  }

  public long spoolPendingBytes() {
    return spool.pendingBytes();
  }

  public boolean influxDown() {
    return influxDown;
  }

  public Path spoolDirectory() {
    return spool.directory();
  }

  /**
   * Waits until everything submitted so far is spooled and, when InfluxDB is configured, delivered.
   */
  public boolean flush(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long target = submitted.get();
    while (System.nanoTime() < deadline) {
      flushRequested.set(true);
      LockSupport.unpark(batcher);
      boolean spooledAll = spooled.get() + dropped.get() >= target;
      boolean deliveredAll = http == null || spool.pendingPoints() == 0;
      if (spooledAll && deliveredAll) {
        return true;
      }
      LockSupport.parkNanos(5_000_000);
    }
    return false;
  }

  // ---------------------------------------------------------------- batcher: queue → spool

  private void batchLoop() {
    if (batch == null) {
      batch = new ArrayList<>(options.batchSize());
    }
    long firstAt = System.nanoTime();
    long backoffMs = 100;
    while (running || !queue.isEmpty() || !batch.isEmpty()) {
      String line;
      while (batch.size() < options.batchSize() && (line = queue.poll()) != null) {
        if (batch.isEmpty()) {
          firstAt = System.nanoTime();
        }
        batch.add(line);
      }
      boolean cut =
          !batch.isEmpty()
              && (batch.size() >= options.batchSize()
                  || System.nanoTime() - firstAt >= options.maxAge().toNanos()
                  || flushRequested.getAndSet(false)
                  || !running);
      if (!cut) {
        long parkNanos =
            batch.isEmpty()
                ? 10_000_000
                : Math.min(10_000_000, options.maxAge().toNanos() - (System.nanoTime() - firstAt));
        LockSupport.parkNanos(Math.max(100_000, parkNanos));
        continue;
      }
      try {
        spool.append(batch);
        // counted and replaced at once: a failure after this point must not append the batch again
        queued.addAndGet(-batch.size());
        long total = spooled.addAndGet(batch.size());
        batch = new ArrayList<>(options.batchSize());
        backoffMs = 100;
        failuresInARow.remove("batcher");
        synchronized (spoolSignal) {
          spoolSignal.notifyAll();
        }
        spoolListener.accept(total);
        checkFill();
      } catch (IOException e) {
        if (!running) {
          // stopping and the spool cannot take them: these points were never acknowledged; say so,
          // loudly
          int lost = batch.size() + queue.size();
          queue.clear();
          dropped.addAndGet(lost);
          metrics.dropped(lost);
          LOG.error(
              "stopping with the spool refusing writes ({}): {} points not acknowledged are lost",
              e.getMessage(),
              lost);
          return;
        }
        // spool full or disk failing: keep the batch in memory and retry; the bounded queue takes
        // the strain
        LOG.error(
            "cannot append {} points to the spool (will retry): {}", batch.size(), e.getMessage());
        checkFill();
        LockSupport.parkNanos(backoffMs * 1_000_000);
        backoffMs = Math.min(backoffMs * 2, 2000);
      }
    }
  }

  private void checkFill() {
    double ratio = (double) spool.pendingBytes() / spool.maxBytes();
    if (ratio >= options.nearFullRatio() && !nearFullRaised) {
      nearFullRaised = true;
      String msg =
          String.format(
              "Telemetry spool is %.0f%% full (%d points waiting for InfluxDB); points will be dropped when it is full.",
              ratio * 100, spool.pendingPoints());
      LOG.warn(msg);
      raise(new HepaEvent(Instant.now(), null, "telemetry", "spool", "warning", msg));
    } else if (ratio < options.nearFullRatio() * 0.9 && nearFullRaised) {
      nearFullRaised = false;
    }
  }

  // ---------------------------------------------------------------- dispatcher: spool → InfluxDB

  private record InFlight(Spool.Entry entry, CompletableFuture<Boolean> done) {}

  /**
   * Sends spool records in order, {@link Options#senders} in flight; commits each once it and every
   * one before it is done. Re-entered by {@link #supervise} after a failure: the read position and
   * the batches in flight are kept, so nothing is skipped and nothing delivered is sent twice.
   */
  private void dispatchLoop() throws IOException, InterruptedException {
    boolean committing = true;
    while (running || !window.isEmpty() || (!abortSending && spool.pendingPoints() > 0)) {
      if (abortSending && window.isEmpty()) {
        break;
      }
      while (!abortSending && window.size() < options.senders()) {
        Optional<Spool.Entry> e = spool.read(readPos);
        if (e.isEmpty()) {
          break;
        }
        readPos = e.get().next();
        window.add(send(e.get()));
      }
      if (window.isEmpty()) {
        maybeBackfill();
        waitForSpool();
        continue;
      }
      InFlight head = window.peek();
      Boolean ok;
      try {
        ok = head.done().get(20, TimeUnit.MILLISECONDS);
      } catch (TimeoutException stillRunning) {
        continue; // keep waiting for the head; others may finish meanwhile
      } catch (ExecutionException failed) {
        // the delivery of this batch failed (an exception or an Error): send it again after the
        // backoff
        onFailure("sender", failed.getCause());
        window.poll();
        window.addFirst(send(head.entry()));
        continue;
      }
      if (ok && committing) {
        spool.commit(head.entry());
        failuresInARow.remove("sender");
      } else {
        committing = false; // aborted: nothing after it may be committed either
      }
      window.poll();
    }
  }

  private InFlight send(Spool.Entry entry) {
    return new InFlight(entry, CompletableFuture.supplyAsync(() -> deliver(entry), senderPool));
  }

  private void waitForSpool() {
    synchronized (spoolSignal) {
      try {
        spoolSignal.wait(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  /** A body the thread runs, which may throw anything. */
  private interface Body {
    void run() throws Exception;
  }

  /**
   * Runs {@code body} until it returns; after any failure (exception or Error) counts it, raises an
   * event and runs it again after the backoff. Ends only when the writer stops.
   */
  private void supervise(String thread, Body body) {
    while (true) {
      try {
        body.run();
        return;
      } catch (Throwable t) {
        if (t instanceof InterruptedException) {
          Thread.currentThread().interrupt();
          LOG.warn("telemetry {} interrupted; what was not delivered stays in the spool", thread);
          return;
        }
        if (!running && abortSending) {
          LOG.warn(
              "telemetry {} failed while stopping ({}); what was not delivered stays in the spool",
              thread,
              t.toString());
          return;
        }
        onFailure(thread, t);
      }
    }
  }

  /** One failure of a telemetry thread: counted, logged once, raised, then the backoff. */
  private void onFailure(String thread, Throwable t) {
    long n = restarts.incrementAndGet();
    metrics.restart(thread);
    int inARow = failuresInARow.merge(thread, 1, Integer::sum);
    long backoffMs = Math.min(RESTART_BACKOFF_MAX_MS, 100L << Math.min(inARow - 1, 20));
    LOG.error(
        "telemetry {} failed (restart {}); resuming in {} ms; points stay in the spool",
        thread,
        n,
        backoffMs,
        t);
    raise(
        new HepaEvent(
            Instant.now(),
            null,
            "telemetry",
            thread,
            "warning",
            "Telemetry "
                + thread
                + " failed ("
                + abbreviate(String.valueOf(t))
                + "); resuming in "
                + backoffMs
                + " ms, points stay in the spool."));
    long until = System.nanoTime() + backoffMs * 1_000_000;
    while (!abortSending && System.nanoTime() < until) {
      sleep(
          Math.min(
              50,
              Math.max(
                  1,
                  (until - System.nanoTime())
                      / 1_000_000))); // stop() need not wait out a 30 s backoff
    }
  }

  /**
   * A sweep of the spool's quarantine deleted old copies: one warning event per sweep (the spool
   * logged it once).
   */
  private void quarantineSwept(SpoolQuarantine.Sweep s) {
    if (s.deletedFiles() == 0) {
      return;
    }
    QuarantineRetention r = options.quarantineRetention();
    raise(
        new HepaEvent(
            Instant.now(),
            null,
            "telemetry",
            "spool",
            "warning",
            String.format(
                "Telemetry spool quarantine: deleted the %d oldest copies of damaged spool bytes (%d bytes, %s … %s) to keep within %d MiB and %d days; %d copies (%d bytes) kept in %s.",
                s.deletedFiles(),
                s.deletedBytes(),
                s.oldestDeleted(),
                s.newestDeleted(),
                r.maxBytes() >> 20,
                r.maxAge().toDays(),
                s.keptFiles(),
                s.keptBytes(),
                spoolQuarantineDir)));
  }

  /** Passes an event on; a failing event consumer (a closed bus) must not stop the writer. */
  private void raise(HepaEvent e) {
    try {
      events.accept(e);
    } catch (RuntimeException ex) {
      LOG.warn("cannot raise telemetry event ({}): {}", ex.toString(), e.message());
    }
  }

  /**
   * Delivers one spool entry; true when done (delivered or quarantined), false when aborted by
   * stop.
   */
  private boolean deliver(Spool.Entry e) {
    long backoffMs = 100;
    boolean retried = false;
    while (true) {
      if (abortSending) {
        return false;
      }
      if (!schemaReady) {
        try {
          ensureSchema();
        } catch (RuntimeException ex) {
          noteDown("schema setup failed: " + ex.getMessage());
          sleep(backoffMs);
          backoffMs = Math.min(backoffMs * 2, 5000);
          retried = true;
          continue;
        }
      }
      long t0 = System.nanoTime();
      InfluxHttp.WriteOutcome out = http.write(e.payload());
      metrics.writeLatency(System.nanoTime() - t0);
      if (out.ok()) {
        noteUp();
        delivered.addAndGet(e.points());
        metrics.delivered(e.points());
        if (retried) {
          noteBacklog(e.payload());
        }
        return true;
      }
      if (out.badData()) {
        noteUp();
        metrics.failedWrite("bad_data");
        isolateBadLines(e.text().split("\n"), out);
        if (retried) {
          noteBacklog(e.payload());
        }
        return true;
      }
      if (out.databaseMissing()) {
        schemaReady = false;
      }
      metrics.failedWrite(
          out.status() < 0
              ? "unreachable"
              : out.status() == 401 || out.status() == 403 ? "auth" : "server_error");
      noteDown(out.status() < 0 ? out.body() : "HTTP " + out.status() + " " + out.body());
      retried = true;
      sleep(backoffMs);
      backoffMs = Math.min(backoffMs * 2, 5000);
    }
  }

  private synchronized void ensureSchema() {
    if (!schemaReady) {
      http.ensureSchema();
      schemaReady = true;
    }
  }

  /**
   * Bisects a batch InfluxDB refused with 400 until each offending line stands alone; quarantines
   * those.
   */
  private void isolateBadLines(String[] lines, InfluxHttp.WriteOutcome firstOutcome) {
    ArrayDeque<String[]> work = new ArrayDeque<>();
    work.push(lines);
    InfluxHttp.WriteOutcome known = firstOutcome;
    while (!work.isEmpty()) {
      String[] part = work.pop();
      InfluxHttp.WriteOutcome out = known != null ? known : writeWithRetry(String.join("\n", part));
      known = null;
      if (out == null) {
        return; // aborted by stop: the whole entry stays in the spool and is redone next time
      }
      if (out.ok()) {
        delivered.addAndGet(part.length);
        metrics.delivered(part.length);
      } else if (part.length == 1) {
        quarantine(part[0], out);
      } else {
        int mid = part.length / 2;
        work.push(Arrays.copyOfRange(part, mid, part.length));
        work.push(Arrays.copyOfRange(part, 0, mid));
      }
    }
  }

  private InfluxHttp.WriteOutcome writeWithRetry(String payload) {
    long backoffMs = 100;
    while (!abortSending) {
      InfluxHttp.WriteOutcome out = http.write(payload.getBytes(StandardCharsets.UTF_8));
      if (out.ok() || out.badData()) {
        return out;
      }
      sleep(backoffMs);
      backoffMs = Math.min(backoffMs * 2, 5000);
    }
    return null;
  }

  private synchronized void quarantine(String line, InfluxHttp.WriteOutcome out) {
    quarantined.incrementAndGet();
    metrics.quarantined(1);
    String reason = out.body().trim().replace('\n', ' ');
    try {
      refusedLines.append(Instant.now() + " HTTP " + out.status() + " " + reason, line);
    } catch (IOException e) {
      LOG.error("cannot write {}: {}", refusedLines.file(), e.toString());
    }
    // a device sending a bad value every second must not become a log and event storm: the first
    // refusal is told at once, then at most one a minute with the count since
    long now = System.nanoTime();
    if (refusalNoticed && now - refusalNoticeNanos < REFUSAL_NOTICE_NANOS) {
      refusalsSinceNotice++;
      return;
    }
    long more = refusalsSinceNotice;
    refusalNoticed = true;
    refusalNoticeNanos = now;
    refusalsSinceNotice = 0;
    String also = more == 0 ? "" : " (" + more + " more refused since the last notice)";
    LOG.error(
        "InfluxDB refused a point (HTTP {}: {}); quarantined in {}{}: {}",
        out.status(),
        reason,
        refusedLines.file(),
        also,
        line);
    raise(
        new HepaEvent(
            Instant.now(),
            null,
            "telemetry",
            "influxdb",
            "warning",
            "InfluxDB refused a telemetry point as bad data; it is kept in quarantine.lp"
                + also
                + ": "
                + abbreviate(reason)));
  }

  private static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }

  private synchronized void noteDown(String why) {
    if (!influxDown) {
      influxDown = true;
      LOG.warn(
          "InfluxDB not taking writes ({}); telemetry is held in the spool and replayed in order when it is back",
          abbreviate(why));
      raise(
          new HepaEvent(
              Instant.now(),
              null,
              "telemetry",
              "influxdb",
              "warning",
              "InfluxDB is not taking writes; telemetry is held in the spool: " + abbreviate(why)));
    }
  }

  private synchronized void noteUp() {
    if (influxDown) {
      influxDown = false;
      LOG.info("InfluxDB takes writes again; replaying {} spooled points", spool.pendingPoints());
      raise(
          new HepaEvent(
              Instant.now(),
              null,
              "telemetry",
              "influxdb",
              "info",
              "InfluxDB is back; replaying "
                  + spool.pendingPoints()
                  + " spooled points in order."));
    }
  }

  /** Remembers the time span of a batch delivered late, to roll it up once the backlog is gone. */
  private synchronized void noteBacklog(byte[] payload) {
    String s = new String(payload, StandardCharsets.UTF_8);
    int nl = s.indexOf('\n');
    for (String line :
        new String[] {nl < 0 ? s : s.substring(0, nl), s.substring(s.lastIndexOf('\n') + 1)}) {
      int sp = line.lastIndexOf(' ');
      try {
        long ns = Long.parseLong(line.substring(sp + 1).trim());
        backlogMinNs = Math.min(backlogMinNs, ns);
        backlogMaxNs = Math.max(backlogMaxNs, ns);
      } catch (NumberFormatException ignored) {
        // a line without a timestamp: nothing to roll up
      }
    }
  }

  private void maybeBackfill() {
    long from;
    long to;
    synchronized (this) {
      if (backlogMinNs == Long.MAX_VALUE || spool.pendingPoints() > 0) {
        return;
      }
      from = backlogMinNs;
      to = backlogMaxNs + 60_000_000_000L;
      backlogMinNs = Long.MAX_VALUE;
      backlogMaxNs = Long.MIN_VALUE;
    }
    try {
      http.backfillRollups(from, to);
      LOG.info(
          "rolled up late points between {} and {}",
          Instant.ofEpochSecond(0, from),
          Instant.ofEpochSecond(0, to));
    } catch (RuntimeException e) {
      LOG.warn("roll-up backfill failed: {}", e.getMessage());
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Flushes (waits up to {@code timeout} for InfluxDB), then stops; what is not delivered stays in
   * the spool.
   */
  public void close(Duration timeout) {
    if (!running) {
      return;
    }
    boolean all = flush(timeout);
    running = false;
    abortSending = true;
    LockSupport.unpark(batcher);
    try {
      batcher.join(10_000);
      if (dispatcher != null) {
        dispatcher.join(10_000);
        senderPool.shutdownNow();
        senderPool.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      spool.close();
    } catch (IOException e) {
      LOG.warn("closing spool: {}", e.toString());
    }
    if (!all || spool.pendingPoints() > 0) {
      LOG.warn(
          "telemetry stopped with {} points kept in the spool {} (replayed at next start)",
          spool.pendingPoints(),
          spool.directory());
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
