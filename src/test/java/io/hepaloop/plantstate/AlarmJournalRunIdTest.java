package io.hepaloop.plantstate;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.alarm.AlarmState;
import io.hepaloop.alarm.AlarmTransition;
import io.hepaloop.core.ActiveRuns;
import io.hepaloop.store.Store;
import io.hepaloop.time.ManualClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * History rows carry the run open on the alarm's reactor when the transition was recorded (V9
 * column run_id), and the history can be read for one run.
 */
class AlarmJournalRunIdTest {
  @TempDir Path tmp;

  @Test
  void eachRowKeepsTheRunOpenWhenItWasRecordedAndTheHistoryFiltersByRun() {
    ManualClock clock = new ManualClock();
    Map<String, String> open = new ConcurrentHashMap<>();
    ActiveRuns runs = open::get;
    Instant t0 = clock.now();
    try (Store store = Store.open(tmp);
        AlarmJournal journal =
            new AlarmJournal(
                store,
                clock,
                AlarmJournalTest.DEFINITIONS,
                AlarmJournal.Options.defaults(),
                runs)) {
      journal.record(
          AlarmJournalTest.transition(
              t0, "r1", "po2_low", AlarmState.NORMAL, AlarmState.UNACK_ACTIVE)); // before any run
      open.put("r1", "r1-20261202-000000");
      journal.record(
          AlarmJournalTest.transition(
              t0.plusSeconds(1), "r1", "po2_low", AlarmState.UNACK_ACTIVE, AlarmState.RTN_UNACK));
      journal.record(
          AlarmJournalTest.transition(
              t0.plusSeconds(2), "r2", "po2_low", AlarmState.NORMAL, AlarmState.UNACK_ACTIVE));
      open.put("r1", "r1-20261203-000000"); // the next run: later rows only
      journal.record(
          AlarmJournalTest.transition(
              t0.plusSeconds(3), "r1", "temp_high", AlarmState.NORMAL, AlarmState.UNACK_ACTIVE));
      journal.flush();

      AlarmHistoryPage all = journal.history(AlarmHistoryQuery.all());
      assertThat(all.entries())
          .extracting(AlarmHistoryEntry::runId)
          .containsExactly("r1-20261203-000000", null, "r1-20261202-000000", null);

      AlarmHistoryPage first =
          journal.history(AlarmHistoryQuery.all().withRun("r1-20261202-000000"));
      assertThat(first.entries()).hasSize(1);
      assertThat(first.entries().get(0).transition().to()).isEqualTo(AlarmState.RTN_UNACK);
      assertThat(first.entries().get(0).transition().reactorId()).isEqualTo("r1");

      assertThat(journal.history(AlarmHistoryQuery.all().withRun("nope")).entries()).isEmpty();
      // the run filter combines with the others
      assertThat(
              journal
                  .history(
                      AlarmHistoryQuery.all()
                          .withRun("r1-20261203-000000")
                          .withState(AlarmState.UNACK_ACTIVE))
                  .entries())
          .extracting(e -> e.transition().alarmId())
          .containsExactly("temp_high");
    }
  }

  @Test
  void aTransitionRecordedWithoutRunsHasNone() {
    try (Store store = Store.open(tmp);
        AlarmJournal journal =
            new AlarmJournal(store, new ManualClock(), AlarmJournalTest.DEFINITIONS)) {
      AlarmTransition t =
          AlarmJournalTest.transition(
              Instant.parse("2026-12-02T00:00:00Z"),
              "r1",
              "po2_low",
              AlarmState.NORMAL,
              AlarmState.UNACK_ACTIVE);
      journal.record(t);
      journal.flush();
      assertThat(journal.history(AlarmHistoryQuery.all()).entries().get(0).runId()).isNull();
    }
  }
}
