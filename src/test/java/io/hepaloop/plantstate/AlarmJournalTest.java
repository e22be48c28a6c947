package io.hepaloop.plantstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hepaloop.alarm.Actor;
import io.hepaloop.alarm.AlarmDefinition;
import io.hepaloop.alarm.AlarmEngine;
import io.hepaloop.alarm.AlarmKind;
import io.hepaloop.alarm.AlarmPriority;
import io.hepaloop.alarm.AlarmState;
import io.hepaloop.alarm.AlarmTransition;
import io.hepaloop.alarm.Rationale;
import io.hepaloop.core.Quality;
import io.hepaloop.store.Store;
import io.hepaloop.time.ManualClock;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alarm journal on a real SQLite file: restart, concurrency, its bound, retention, queries. */
class AlarmJournalTest {
  @TempDir Path tmp;

  static final Rationale WHY = new Rationale("cause", "consequence", "action", 300);
  static final Actor ALICE = new Actor("alice", Actor.Role.OPERATOR);
  static final Actor BOB = new Actor("bob", Actor.Role.OPERATOR);

  static AlarmDefinition definition(
      String id, AlarmKind kind, String signal, double limit, AlarmPriority p, boolean latched) {
    return new AlarmDefinition(id, "r1", kind, signal, limit, 0, 0, 0, p, latched, 0, null, WHY);
  }

  static final List<AlarmDefinition> DEFINITIONS =
      List.of(
          definition("po2_low", AlarmKind.LOW, "po2", 20, AlarmPriority.CRITICAL, false),
          definition("temp_high", AlarmKind.HIGH, "temp", 38, AlarmPriority.HIGH, true));

  static AlarmTransition transition(
      Instant time, String reactor, String alarm, AlarmState from, AlarmState to) {
    return new AlarmTransition(time, alarm, reactor, from, to, 1.5, 2.0, null, null, "moved");
  }

  @Test
  void afterARestartCurrentStateAcknowledgementShelvingAndHistoryComeBack() {
    ManualClock clock = new ManualClock();
    List<AlarmTransition> seen = new ArrayList<>();
    Instant shelvedAt;
    try (Store store = Store.open(tmp);
        AlarmJournal journal = new AlarmJournal(store, clock, DEFINITIONS)) {
      AlarmEngine engine =
          new AlarmEngine(
              clock,
              DEFINITIONS,
              Duration.ofHours(8),
              t -> {
                seen.add(t);
                journal.record(t);
              });
      engine.onSignal("r1", "po2", 15, Quality.GOOD, clock.now());
      clock.advanceSeconds(30);
      engine.acknowledge("r1", "po2_low", ALICE, "raising O2 flow");
      clock.advanceSeconds(30);
      engine.onSignal("r1", "temp", 39, Quality.GOOD, clock.now());
      clock.advanceSeconds(30);
      shelvedAt = clock.now();
      engine.shelve("r1", "temp_high", Duration.ofMinutes(10), BOB, "probe being replaced");
      assertThat(seen).hasSize(4);
    }
    try (Store store = Store.open(tmp);
        AlarmJournal journal = new AlarmJournal(store, clock, DEFINITIONS)) {
      List<CurrentAlarmState> states = journal.currentStates();
      assertThat(states).hasSize(2);
      CurrentAlarmState po2 = states.get(0);
      assertThat(po2.alarmId()).isEqualTo("po2_low");
      assertThat(po2.state()).isEqualTo(AlarmState.ACK_ACTIVE);
      assertThat(po2.priority()).isEqualTo(AlarmPriority.CRITICAL);
      assertThat(po2.ackedBy()).isEqualTo("alice");
      assertThat(po2.ackComment()).isEqualTo("raising O2 flow");
      assertThat(po2.ackedAt()).isEqualTo(seen.get(1).time());
      assertThat(po2.latched()).isFalse();
      CurrentAlarmState temp = states.get(1);
      assertThat(temp.state()).isEqualTo(AlarmState.SHELVED);
      assertThat(temp.shelvedBy()).isEqualTo("bob");
      assertThat(temp.shelvedUntil()).isEqualTo(shelvedAt.plus(Duration.ofMinutes(10)));
      assertThat(temp.since()).isEqualTo(shelvedAt);
      assertThat(journal.lastTransitions()).containsExactly(seen.get(1), seen.get(3));
      AlarmHistoryPage page = journal.history(AlarmHistoryQuery.all());
      assertThat(page.entries())
          .extracting(AlarmHistoryEntry::transition)
          .containsExactly(seen.get(3), seen.get(2), seen.get(1), seen.get(0));
      assertThat(page.entries().get(0).priority()).isEqualTo(AlarmPriority.HIGH);
      assertThat(page.nextCursor()).isNull();
    }
  }

  @Test
  void aNewActivationClearsTheAcknowledgementAndALatchedActiveAlarmIsMarkedLatched() {
    ManualClock clock = new ManualClock();
    try (Store store = Store.open(tmp);
        AlarmJournal journal = new AlarmJournal(store, clock, DEFINITIONS)) {
      AlarmEngine engine =
          new AlarmEngine(clock, DEFINITIONS, Duration.ofHours(8), journal::record);
      engine.onSignal("r1", "temp", 39, Quality.GOOD, clock.now());
      engine.acknowledge("r1", "temp_high", ALICE, "seen");
      journal.flush();
      assertThat(journal.currentStates().get(0).ackedBy()).isEqualTo("alice");
      assertThat(journal.currentStates().get(0).latched()).isTrue();
      engine.onSignal("r1", "temp", 30, Quality.GOOD, clock.now());
      engine.reset("r1", "temp_high", ALICE, "cooled");
      engine.onSignal("r1", "temp", 39.5, Quality.GOOD, clock.now());
      journal.flush();
      CurrentAlarmState s = journal.currentStates().get(0);
      assertThat(s.state()).isEqualTo(AlarmState.UNACK_ACTIVE);
      assertThat(s.ackedBy()).as("a new activation needs a new acknowledgement").isNull();
    }
  }

  @Test
  void concurrentRecordsFromSeveralThreadsLoseNothing() throws Exception {
    int threads = 4;
    int perThread = 3000;
    Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
    try (Store store = Store.open(tmp);
        AlarmJournal journal = new AlarmJournal(store, new ManualClock(t0), List.of())) {
      List<Thread> workers = new ArrayList<>();
      CountDownLatch start = new CountDownLatch(1);
      for (int w = 0; w < threads; w++) {
        String reactor = "r" + w;
        Thread thread =
            new Thread(
                () -> {
                  try {
                    start.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  for (int i = 0; i < perThread; i++) {
                    AlarmState to = i % 2 == 0 ? AlarmState.UNACK_ACTIVE : AlarmState.NORMAL;
                    AlarmState from =
                        to == AlarmState.NORMAL ? AlarmState.UNACK_ACTIVE : AlarmState.NORMAL;
                    journal.record(transition(t0.plusMillis(i), reactor, "a" + (i % 10), from, to));
                  }
                });
        thread.start();
        workers.add(thread);
      }
      start.countDown();
      for (Thread t : workers) {
        t.join(60_000);
      }
      journal.flush();
      assertThat(journal.historyRows()).isEqualTo((long) threads * perThread);
      assertThat(journal.health().droppedHistory()).isZero();
      assertThat(journal.health().written()).isEqualTo((long) threads * perThread);
      List<CurrentAlarmState> states = journal.currentStates();
      assertThat(states).hasSize(threads * 10);
      // Each alarm's last transition was made at i = perThread - 10 + k (k = alarm number).
      for (CurrentAlarmState s : states) {
        int k = Integer.parseInt(s.alarmId().substring(1));
        assertThat(s.since()).isEqualTo(t0.plusMillis(perThread - 10 + k));
      }
    }
  }

  @Test
  void atItsBoundTheQueueDropsHistoryRowsCountsAndRecordsTheGapButKeepsTheCurrentState()
      throws Exception {
    int capacity = 10;
    Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
    try (Store store = Store.open(tmp);
        AlarmJournal journal =
            new AlarmJournal(
                store,
                new ManualClock(t0),
                List.of(),
                AlarmJournal.Options.defaults().withCapacity(capacity))) {
      // Hold the database so that the writer cannot empty the queue.
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch held = new CountDownLatch(1);
      CompletableFuture<Void> holder =
          CompletableFuture.runAsync(
              () ->
                  store.transaction(
                      c -> {
                        held.countDown();
                        try {
                          release.await(60, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                        return null;
                      }));
      // Only once the database is held: otherwise, on a loaded machine, the writer may write
      // "first"
      // before the holder gets the database and then empty the queue as it fills.
      assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
      journal.record(transition(t0, "r1", "first", AlarmState.NORMAL, AlarmState.UNACK_ACTIVE));
      await().atMost(Duration.ofSeconds(30)).until(() -> journal.health().queued() == 0);
      for (int i = 0; i < capacity; i++) {
        journal.record(
            transition(
                t0.plusSeconds(1 + i), "r1", "q" + i, AlarmState.NORMAL, AlarmState.UNACK_ACTIVE));
      }
      assertThat(journal.health().queued()).isEqualTo(capacity);
      assertThat(journal.health().problem()).isNull();
      for (int i = 0; i < 5; i++) {
        journal.record(
            transition(
                t0.plusSeconds(100 + i),
                "r1",
                "x" + i,
                AlarmState.NORMAL,
                AlarmState.UNACK_ACTIVE));
      }
      journal.record(
          transition(
              t0.plusSeconds(200), "r1", "x0", AlarmState.UNACK_ACTIVE, AlarmState.ACK_ACTIVE));
      assertThat(journal.health().droppedHistory()).isEqualTo(6);
      assertThat(journal.health().problem()).contains("6 history rows lost");
      release.countDown();
      holder.get(30, TimeUnit.SECONDS);
      journal.flush();
      assertThat(journal.historyRows()).isEqualTo(1 + capacity);
      List<CurrentAlarmState> states = journal.currentStates();
      assertThat(states).hasSize(1 + capacity + 5);
      assertThat(states)
          .filteredOn(s -> s.alarmId().equals("x0"))
          .singleElement()
          .satisfies(s -> assertThat(s.state()).isEqualTo(AlarmState.ACK_ACTIVE));
      long[] gap =
          store.read(
              c -> {
                try (ResultSet r =
                    c.createStatement()
                        .executeQuery("SELECT from_ns, to_ns, lost FROM alarm_history_gaps")) {
                  assertThat(r.next()).isTrue();
                  return new long[] {r.getLong(1), r.getLong(2), r.getLong(3)};
                }
              });
      assertThat(gap)
          .containsExactly(
              Sql.epochNanos(t0.plusSeconds(100)), Sql.epochNanos(t0.plusSeconds(200)), 6);
    }
  }

  @Test
  void retentionKeepsHistoryBoundedOnDay30Day400AndBeyondWhileCurrentStateSurvives() {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    int days = 450;
    try (Store store = Store.open(tmp);
        AlarmJournal journal = new AlarmJournal(store, clock, DEFINITIONS)) {
      // An alarm taken out of service on day 0 and never touched again.
      journal.record(
          transition(clock.now(), "r1", "oos", AlarmState.NORMAL, AlarmState.OUT_OF_SERVICE));
      clock.advance(Duration.ofDays(1));
      for (int day = 1; day <= days; day++) {
        Instant dayStart = clock.now();
        journal.record(transition(dayStart, "r1", "a", AlarmState.NORMAL, AlarmState.UNACK_ACTIVE));
        clock.advanceSeconds(1);
        journal.record(
            transition(clock.now(), "r1", "a", AlarmState.UNACK_ACTIVE, AlarmState.ACK_ACTIVE));
        clock.advanceSeconds(1);
        journal.record(
            transition(clock.now(), "r1", "a", AlarmState.ACK_ACTIVE, AlarmState.NORMAL));
        clock.advanceSeconds(1);
        journal.flush();
        // Rows older than exactly 400 days before now are gone: at most the last 400 days' three.
        long expected = 3L * Math.min(day, 400) + (day < 400 ? 1 : 0);
        if (day == 30 || day == 399 || day == 400 || day == 401 || day == days) {
          assertThat(journal.historyRows()).as("history rows on day %d", day).isEqualTo(expected);
        }
        clock.advance(Duration.ofDays(1).minusSeconds(3));
      }
      assertThat(journal.health().prunedRows()).isEqualTo(3L * (days - 400) + 1);
    }
    try (Store store = Store.open(tmp);
        AlarmJournal journal = new AlarmJournal(store, clock, DEFINITIONS)) {
      assertThat(journal.currentStates())
          .extracting(CurrentAlarmState::alarmId, CurrentAlarmState::state)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("a", AlarmState.NORMAL),
              org.assertj.core.groups.Tuple.tuple("oos", AlarmState.OUT_OF_SERVICE));
      assertThat(journal.currentStates().get(1).outOfService()).isTrue();
    }
  }

  @Test
  void historyIsFilteredAndPagedNewestFirstWithoutGapsOrRepeats() {
    Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
    List<AlarmDefinition> defs =
        List.of(
            definition("po2_low", AlarmKind.LOW, "po2", 20, AlarmPriority.CRITICAL, false),
            definition("temp_high", AlarmKind.HIGH, "temp", 38, AlarmPriority.LOW, false));
    try (Store store = Store.open(tmp);
        AlarmJournal journal = new AlarmJournal(store, new ManualClock(t0), defs)) {
      for (int i = 0; i < 25; i++) {
        String alarm = i % 2 == 0 ? "po2_low" : "temp_high";
        AlarmState to = i % 4 < 2 ? AlarmState.UNACK_ACTIVE : AlarmState.NORMAL;
        journal.record(transition(t0.plusSeconds(i), "r1", alarm, AlarmState.NORMAL, to));
        journal.record(transition(t0.plusSeconds(i), "r2", alarm, AlarmState.NORMAL, to));
      }
      journal.flush();
      AlarmHistoryQuery q = AlarmHistoryQuery.all().withReactor("r1").withLimit(10);
      Set<Long> ids = new HashSet<>();
      List<Instant> times = new ArrayList<>();
      String cursor = null;
      int pages = 0;
      do {
        AlarmHistoryPage page = journal.history(q.after(cursor));
        for (AlarmHistoryEntry e : page.entries()) {
          assertThat(ids.add(e.id())).isTrue();
          assertThat(e.transition().reactorId()).isEqualTo("r1");
          times.add(e.transition().time());
        }
        cursor = page.nextCursor();
        pages++;
      } while (cursor != null);
      assertThat(pages).isEqualTo(3);
      assertThat(ids).hasSize(25);
      assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());
      assertThat(
              journal
                  .history(
                      AlarmHistoryQuery.all().withPriority("critical").withState("UNACK_ACTIVE"))
                  .entries())
          .as("i = 0, 4, ..., 24 of r1; r2 has no definitions, so no priority")
          .hasSize(7)
          .allSatisfy(
              e -> {
                assertThat(e.transition().reactorId()).isEqualTo("r1");
                assertThat(e.priority()).isEqualTo(AlarmPriority.CRITICAL);
                assertThat(e.transition().to()).isEqualTo(AlarmState.UNACK_ACTIVE);
              });
      assertThat(
              journal
                  .history(
                      AlarmHistoryQuery.all()
                          .withReactor("r2")
                          .withAlarm("temp_high")
                          .between(t0.plusSeconds(5), t0.plusSeconds(9)))
                  .entries())
          .extracting(e -> e.transition().time())
          .containsExactly(t0.plusSeconds(7), t0.plusSeconds(5));
    }
  }

  @Test
  void badInputIsRefusedWithAMessageNamingWhatIsWrong() {
    Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
    try (Store store = Store.open(tmp);
        AlarmJournal journal = new AlarmJournal(store, new ManualClock(t0), List.of())) {
      assertThatThrownBy(
              () ->
                  journal.record(
                      transition(t0, null, "a", AlarmState.NORMAL, AlarmState.ACK_ACTIVE)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("reactorId is required");
      assertThatThrownBy(() -> journal.record(transition(t0, "r1", "a", AlarmState.NORMAL, null)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("from and to states are required");
      assertThatThrownBy(() -> journal.record(null)).hasMessageContaining("transition is required");
      assertThatThrownBy(() -> AlarmHistoryQuery.all().withState("LOUD"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("state must be one of [NORMAL, UNACK_ACTIVE")
          .hasMessageContaining("got 'LOUD'");
      assertThatThrownBy(() -> AlarmHistoryQuery.all().withPriority("urgent"))
          .hasMessageContaining("priority must be one of [CRITICAL, HIGH, MEDIUM, LOW]");
      assertThatThrownBy(() -> AlarmHistoryQuery.all().withLimit(0))
          .hasMessageContaining("limit must be between 1 and 1000");
      assertThatThrownBy(() -> AlarmHistoryQuery.all().after("yesterday"))
          .hasMessageContaining("cursor must be a nextCursor");
      journal.flush();
      assertThat(journal.historyRows()).as("nothing of the refused was written").isZero();
    }
  }

  @Test
  void recordIsCallableOnAnEventLoopAndCloseWritesEverythingQueued() throws Exception {
    Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
    Vertx vertx = Vertx.vertx();
    try (Store store = Store.open(tmp)) {
      AlarmJournal journal = new AlarmJournal(store, new ManualClock(t0), List.of());
      CompletableFuture<Void> done = new CompletableFuture<>();
      vertx.runOnContext(
          v -> {
            try {
              for (int i = 0; i < 2000; i++) {
                journal.record(
                    transition(
                        t0.plusMillis(i), "r1", "a", AlarmState.NORMAL, AlarmState.UNACK_ACTIVE));
              }
              done.complete(null);
            } catch (RuntimeException e) {
              done.completeExceptionally(e);
            }
          });
      done.get(30, TimeUnit.SECONDS);
      journal.close();
      assertThatThrownBy(
              () -> journal.record(transition(t0, "r1", "a", AlarmState.NORMAL, AlarmState.NORMAL)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
      AlarmJournal reopened = new AlarmJournal(store, new ManualClock(t0), List.of());
      assertThat(reopened.historyRows()).isEqualTo(2000);
      reopened.close();
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aBatchTheDatabaseRefusesIsKeptAndWrittenWhenItAcceptsAgain() {
    Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
    try (Store store = Store.open(tmp);
        AlarmJournal journal = new AlarmJournal(store, new ManualClock(t0), List.of())) {
      store.transaction(
          c ->
              c.createStatement()
                  .executeUpdate(
                      "CREATE TRIGGER refuse BEFORE INSERT ON alarm_history"
                          + " BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END"));
      journal.record(transition(t0, "r1", "a", AlarmState.NORMAL, AlarmState.UNACK_ACTIVE));
      await().atMost(Duration.ofSeconds(30)).until(() -> journal.health().failing());
      assertThat(journal.health().problem()).contains("refuses writes").contains("disk full");
      assertThat(journal.currentStates()).as("nothing half written").isEmpty();
      store.transaction(c -> c.createStatement().executeUpdate("DROP TRIGGER refuse"));
      journal.flush();
      assertThat(journal.historyRows()).isEqualTo(1);
      assertThat(journal.currentStates()).hasSize(1);
      assertThat(journal.health().failing()).isFalse();
      assertThat(journal.health().problem()).isNull();
    }
  }

  @Test
  void theWriterPrunesOnItsOwnInSmallBatchesWithoutAFlush() {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    int old = 3 * AlarmJournal.PRUNE_BATCH + 7;
    try (Store store = Store.open(tmp);
        AlarmJournal journal = new AlarmJournal(store, clock, List.of())) {
      for (int i = 0; i < old; i++) {
        journal.record(
            transition(
                clock.now().plusMillis(i),
                "r1",
                "a" + (i % 5),
                AlarmState.NORMAL,
                AlarmState.UNACK_ACTIVE));
      }
      journal.flush();
      clock.advance(Duration.ofDays(401));
      journal.record(
          transition(clock.now(), "r1", "new", AlarmState.NORMAL, AlarmState.UNACK_ACTIVE));
      // The writer counts a batch after its transaction commits: the rows may be gone from the
      // table a moment before the count says so.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> journal.historyRows() == 1 && journal.health().prunedRows() >= old);
      assertThat(journal.health().prunedRows()).isEqualTo(old);
      assertThat(journal.currentStates()).hasSize(6);
    }
  }
}
