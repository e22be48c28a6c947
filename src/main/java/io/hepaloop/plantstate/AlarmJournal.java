package io.hepaloop.plantstate;

import io.hepaloop.alarm.AlarmDefinition;
import io.hepaloop.alarm.AlarmPriority;
import io.hepaloop.alarm.AlarmTransition;
import io.hepaloop.core.ActiveRuns;
import io.hepaloop.store.Store;
import io.hepaloop.time.Clock;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alarm journal: every {@link AlarmTransition} as history, and the current lifecycle state of
 * each (reactor, alarm), in the data directory's database, so that active, acknowledged, shelved
 * and out-of-service alarms come back after a restart ({@link #lastTransitions()} for {@code
 * AlarmEngine.restore}).
 *
 * <p><b>{@link #record} never blocks</b>: the engine calls it beside the control loop. It checks
 * the transition and puts it on a lock-free queue; one writer thread ("alarm-journal") writes what
 * is queued in batches of up to {@value #BATCH} rows, one transaction per batch. {@link #flush()}
 * and {@link #close()} wait until everything recorded before them is written: nothing is lost on a
 * clean stop.
 *
 * <p><b>At the queue's bound</b> ({@link Options#capacity()}, default 100,000 transitions: minutes
 * of a flood of 64 reactors) the producer is not blocked. The transition's history row is dropped
 * and counted ({@link JournalHealth#droppedHistory()}, a critical problem in {@link
 * JournalHealth#problem()}, an ERROR in the log); its effect on the current state is still kept (a
 * map holding the latest transition per alarm, bounded by the number of alarms), and the writer
 * records the gap (how many rows, between which times) in {@code alarm_history_gaps}. So after a
 * restart the alarms are right even then; only history has a recorded hole. Should the database
 * refuse a batch (a full disk), the batch is kept and tried again each second.
 *
 * <p><b>Retention</b>: history older than {@link Options#retention()} (default 400 days, by the
 * clock's wall time) is deleted by the writer, {@value #PRUNE_BATCH} rows per transaction between
 * the inserts, checked every {@link Options#pruneEvery()} of clock time. The current state is never
 * pruned.
 *
 * <p>The read methods ({@link #history}, {@link #currentStates}, {@link #lastTransitions}) block on
 * the database: call them on a worker thread (the store refuses a Vert.x event loop).
 */
public final class AlarmJournal implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AlarmJournal.class);

  /** Rows written per transaction. */
  static final int BATCH = 500;

  /** Rows deleted per retention transaction. */
  static final int PRUNE_BATCH = 500;

  private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(30);

  /**
   * @param retention history older than this is deleted
   * @param capacity transitions the queue holds before history rows are dropped
   * @param pruneEvery how often (clock time) retention looks for old rows
   */
  public record Options(Duration retention, int capacity, Duration pruneEvery) {
    public Options {
      if (retention == null || retention.isNegative() || retention.isZero()) {
        throw new IllegalArgumentException(
            "retention must be a positive duration, got " + retention);
      }
      if (capacity < 1) {
        throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
      }
      if (pruneEvery == null || pruneEvery.isNegative() || pruneEvery.isZero()) {
        throw new IllegalArgumentException(
            "pruneEvery must be a positive duration, got " + pruneEvery);
      }
    }

    public static Options defaults() {
      return new Options(Duration.ofDays(400), 100_000, Duration.ofMinutes(10));
    }

    public Options withRetention(Duration d) {
      return new Options(d, capacity, pruneEvery);
    }

    public Options withCapacity(int n) {
      return new Options(retention, n, pruneEvery);
    }
  }

  private record Key(String reactorId, String alarmId) {}

  /** {@code runId}: the run open on the reactor when the transition was recorded, or null. */
  private record Queued(long seq, AlarmTransition transition, String runId) {
    Key key() {
      return new Key(transition.reactorId(), transition.alarmId());
    }
  }

  private final Store store;
  private final Clock clock;
  private final Options options;
  private final ActiveRuns activeRuns;
  private final Map<Key, AlarmDefinition> definitions = new HashMap<>();

  private final ConcurrentLinkedQueue<Queued> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong sequence = new AtomicLong();
  private final ConcurrentHashMap<Key, Queued> overflowLatest = new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong gapFromNs = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong gapToNs = new AtomicLong(Long.MIN_VALUE);

  // Writer thread only (published to health() through the volatile counters).
  private final Map<Key, Long> appliedSeq = new HashMap<>();

  /** The state of each alarm as committed (one entry per alarm), so a batch reads none back. */
  private final Map<Key, CurrentAlarmState> stateCache = new HashMap<>();

  private List<Queued> pendingBatch = List.of();
  private long droppedRecorded;
  private Instant nextPruneAt;
  private boolean pruneBacklog;
  private volatile long written;
  private volatile long pruned;
  private volatile long writeFailures;
  private volatile String lastFailure;
  private volatile boolean failing;

  private final SingleWriter writer;

  /** With {@link Options#defaults()}. */
  public AlarmJournal(Store store, Clock clock, List<AlarmDefinition> definitions) {
    this(store, clock, definitions, Options.defaults());
  }

  /**
   * @param definitions the plant's alarm definitions: where latching comes from, and the priority
   *     of a transition that carries none (a transition carries the effective priority, which a
   *     recipe phase may override; one of an alarm not among them and without a priority is
   *     recorded without priority)
   */
  public AlarmJournal(
      Store store, Clock clock, List<AlarmDefinition> definitions, Options options) {
    this(store, clock, definitions, options, ActiveRuns.NONE);
  }

  /**
   * @param activeRuns which run each reactor has open: each history row carries the run open on its
   *     reactor when the transition was recorded (asked in {@link #record}, from memory)
   */
  public AlarmJournal(
      Store store,
      Clock clock,
      List<AlarmDefinition> definitions,
      Options options,
      ActiveRuns activeRuns) {
    if (store == null
        || clock == null
        || definitions == null
        || options == null
        || activeRuns == null) {
      throw new IllegalArgumentException(
          "store, clock, definitions, options and activeRuns are required");
    }
    this.store = store;
    this.activeRuns = activeRuns;
    this.clock = clock;
    this.options = options;
    for (AlarmDefinition d : definitions) {
      this.definitions.put(new Key(d.reactorId(), d.id()), d);
    }
    this.nextPruneAt = clock.now();
    this.writer = new SingleWriter("alarm-journal", this::writeOnce, Duration.ofSeconds(1));
  }

  /**
   * Queues a transition for the journal; never blocks, callable from any thread.
   *
   * @throws IllegalArgumentException for a transition missing its time, reactor, alarm, states or
   *     message (nothing is queued)
   * @throws IllegalStateException after {@link #close()}
   */
  public void record(AlarmTransition t) {
    check(t);
    if (writer.isStopping()) {
      throw new IllegalStateException(
          "the alarm journal is closed; transition of alarm '" + t.alarmId() + "' not recorded");
    }
    Queued q = new Queued(sequence.incrementAndGet(), t, activeRuns.runIdOf(t.reactorId()));
    if (queued.incrementAndGet() > options.capacity()) {
      queued.decrementAndGet();
      overflowLatest.merge(q.key(), q, (a, b) -> a.seq() > b.seq() ? a : b);
      long n = dropped.incrementAndGet();
      long ns = Sql.epochNanos(t.time());
      gapFromNs.accumulateAndGet(ns, Math::min);
      gapToNs.accumulateAndGet(ns, Math::max);
      if (Long.bitCount(n) == 1) {
        // 1, 2, 4, 8, ...: a flood of drops is not a flood of log lines.
        LOG.error(
            "alarm journal queue full ({} transitions): {} history rows dropped so far; the"
                + " current alarm states are kept",
            options.capacity(),
            n);
      }
    } else {
      queue.add(q);
    }
    writer.wake();
  }

  private static void check(AlarmTransition t) {
    if (t == null) {
      throw new IllegalArgumentException("transition is required");
    }
    String what = "transition of alarm '" + t.alarmId() + "' of reactor '" + t.reactorId() + "'";
    if (t.reactorId() == null || t.reactorId().isBlank()) {
      throw new IllegalArgumentException("reactorId is required (" + what + ")");
    }
    if (t.alarmId() == null || t.alarmId().isBlank()) {
      throw new IllegalArgumentException("alarmId is required (" + what + ")");
    }
    if (t.time() == null) {
      throw new IllegalArgumentException("time is required (" + what + ")");
    }
    if (t.from() == null || t.to() == null) {
      throw new IllegalArgumentException(
          "from and to states are required (" + what + "), got " + t.from() + " -> " + t.to());
    }
    if (t.message() == null) {
      throw new IllegalArgumentException("message is required (" + what + ")");
    }
  }

  /** Waits until everything recorded before the call is written (blocks; not on an event loop). */
  public void flush() {
    writer.flush(FLUSH_TIMEOUT);
  }

  /** Writes everything recorded, then stops the writer; later {@link #record}s are refused. */
  @Override
  public void close() {
    writer.stop(FLUSH_TIMEOUT);
  }

  /** The last transition of every alarm the journal knows, for {@code AlarmEngine.restore}. */
  public List<AlarmTransition> lastTransitions() {
    return currentStates().stream().map(CurrentAlarmState::last).toList();
  }

  /** The current lifecycle state of every alarm the journal knows, by reactor and alarm id. */
  public List<CurrentAlarmState> currentStates() {
    return store.read(AlarmTables::all);
  }

  /** A page of history, newest first. */
  public AlarmHistoryPage history(AlarmHistoryQuery query) {
    if (query == null) {
      throw new IllegalArgumentException("query is required (AlarmHistoryQuery.all() for all)");
    }
    return store.read(c -> AlarmTables.history(c, query));
  }

  /** Rows in the history table (for retention checks and health). */
  public long historyRows() {
    return store.read(c -> AlarmTables.count(c, "alarm_history"));
  }

  public JournalHealth health() {
    return new JournalHealth(
        queued.get(),
        options.capacity(),
        dropped.get(),
        written,
        pruned,
        writeFailures,
        failing,
        lastFailure);
  }

  // ---- the writer thread ----

  private SingleWriter.Outcome writeOnce(boolean flushing) {
    if (!write()) {
      return SingleWriter.Outcome.FAILED;
    }
    try {
      prune(flushing);
    } catch (RuntimeException e) {
      failed("retention", e);
      pruneBacklog = false;
    }
    return queue.isEmpty() && overflowLatest.isEmpty() && !pruneBacklog
        ? SingleWriter.Outcome.DONE
        : SingleWriter.Outcome.MORE;
  }

  /** Writes one batch; false when the database refused it (kept for the next try). */
  private boolean write() {
    if (pendingBatch.isEmpty()) {
      List<Queued> batch = new ArrayList<>();
      for (Queued q; batch.size() < BATCH && (q = queue.poll()) != null; ) {
        batch.add(q);
      }
      queued.addAndGet(-batch.size());
      pendingBatch = batch;
    }
    List<Queued> stateOnly = new ArrayList<>();
    for (Key k : overflowLatest.keySet()) {
      Queued q = overflowLatest.remove(k);
      if (q != null) {
        stateOnly.add(q);
      }
    }
    long lost = dropped.get() - droppedRecorded;
    if (pendingBatch.isEmpty() && stateOnly.isEmpty() && lost == 0) {
      return true;
    }
    long fromNs = gapFromNs.get();
    long toNs = gapToNs.get();
    List<Queued> batch = pendingBatch;
    Map<Key, CurrentAlarmState> committed = new HashMap<>();
    Map<Key, Long> committedSeq = new HashMap<>();
    try {
      store.transaction(
          c -> {
            try (PreparedStatement p = c.prepareStatement(AlarmTables.INSERT_HISTORY)) {
              for (Queued q : batch) {
                AlarmTables.insertHistory(p, q.transition(), priority(q), q.runId());
              }
              p.executeBatch();
            }
            // Each alarm's state follows its transitions in order; only the last is written.
            Map<Key, Long> applied = new HashMap<>();
            Map<Key, CurrentAlarmState> changed = new HashMap<>();
            List<Queued> states = new ArrayList<>(batch);
            states.addAll(stateOnly);
            for (Queued q : states) {
              Key k = q.key();
              long done = applied.getOrDefault(k, appliedSeq.getOrDefault(k, 0L));
              if (q.seq() > done) {
                CurrentAlarmState before = changed.get(k);
                if (before == null) {
                  before = stateCache.get(k);
                }
                if (before == null) {
                  before = AlarmTables.find(c, k.reactorId(), k.alarmId());
                }
                AlarmDefinition d = definitions.get(k);
                changed.put(
                    k,
                    AlarmTables.next(
                        before, q.transition(), priority(q), d != null && d.latched()));
                applied.put(k, q.seq());
              }
            }
            for (CurrentAlarmState s : changed.values()) {
              AlarmTables.upsert(c, s);
            }
            committed.putAll(changed);
            if (lost > 0) {
              AlarmTables.insertGap(c, fromNs, toNs, lost);
            }
            committedSeq.putAll(applied);
            return null;
          });
    } catch (RuntimeException e) {
      // Keep the state-only transitions for the next try (a newer one may have come meanwhile).
      for (Queued q : stateOnly) {
        overflowLatest.merge(q.key(), q, (a, b) -> a.seq() > b.seq() ? a : b);
      }
      failed("writing " + batch.size() + " transitions", e);
      return false;
    }
    if (lost > 0) {
      droppedRecorded += lost;
      gapFromNs.compareAndSet(fromNs, Long.MAX_VALUE);
      gapToNs.compareAndSet(toNs, Long.MIN_VALUE);
    }
    failing = false;
    stateCache.putAll(committed);
    appliedSeq.putAll(committedSeq);
    written += batch.size();
    pendingBatch = List.of();
    return true;
  }

  private void prune(boolean flushing) {
    Instant now = clock.now();
    if (!pruneBacklog && !flushing && now.isBefore(nextPruneAt)) {
      return;
    }
    Instant cutoff = now.minus(options.retention());
    int deleted;
    do {
      deleted = store.transaction(c -> AlarmTables.prune(c, cutoff, PRUNE_BATCH));
      pruned += deleted;
    } while (flushing && deleted == PRUNE_BATCH);
    pruneBacklog = deleted == PRUNE_BATCH;
    if (!pruneBacklog) {
      nextPruneAt = now.plus(options.pruneEvery());
    }
  }

  private void failed(String what, RuntimeException e) {
    writeFailures++;
    failing = true;
    lastFailure = e.getMessage();
    LOG.error("alarm journal: {} failed, will retry: {}", what, e.getMessage());
  }

  /**
   * The priority the alarm had when the transition happened: the transition's own (the effective
   * one, a recipe phase's override while the phase runs), else the definition's.
   */
  private AlarmPriority priority(Queued q) {
    if (q.transition().priority() != null) {
      return q.transition().priority();
    }
    AlarmDefinition d = definitions.get(q.key());
    return d == null ? null : d.priority();
  }
}
