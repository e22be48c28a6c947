package io.hepaloop.plantstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepaloop.store.Store;
import io.hepaloop.store.StoreException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run tables on a real SQLite file: create, one open run per reactor, events, notes. */
class RunTablesTest {
  @TempDir Path tmp;

  static final Instant T0 = Instant.parse("2026-03-01T08:00:00.123456789Z");
  static final String SHA = "a".repeat(64);

  static RunRecord run(String id, String reactor, Instant at) {
    return new RunRecord(
        id,
        reactor,
        "perfusion",
        "1.0",
        SHA,
        "name: perfusion\n",
        "ipsc_hlc",
        "line X",
        1e7,
        "PLGA",
        "HCM",
        "olga",
        at,
        "olga",
        null,
        null,
        "IDLE",
        null,
        at);
  }

  @Test
  void aRunIsCreatedReadBackAndItsProgressAndEventsAreWrittenInOrder() {
    try (Store store = Store.open(tmp);
        RunTables runs = new RunTables(store)) {
      RunRecord created = runs.create(run("r1-20260301-080000", "r1", T0));
      assertThat(created.runId()).isEqualTo("r1-20260301-080000");
      for (int i = 0; i < 300; i++) {
        runs.appendEvent(
            new RunEventRecord(
                0,
                created.runId(),
                T0.plusSeconds(i),
                "STATE_CHANGED",
                i % 3,
                "p" + i % 3,
                "RUNNING",
                null,
                "event " + i));
        runs.saveProgress(
            created.runId(), "RUNNING", "{\"i\":" + i + "}", T0.plusSeconds(i), T0, null);
      }
      List<RunEventRecord> events = runs.events(created.runId());
      assertThat(events).hasSize(300);
      assertThat(events.get(299).message()).isEqualTo("event 299");
      assertThat(events).extracting(RunEventRecord::seq).isSorted();
      RunRecord read = runs.find(created.runId()).orElseThrow();
      assertThat(read.progressJson()).isEqualTo("{\"i\":299}");
      assertThat(read.startedAt()).isEqualTo(Instant.parse("2026-03-01T08:00:00.123456Z"));
      assertThat(read.recipeText()).isEqualTo("name: perfusion\n");
      assertThat(read.cellsSeeded()).isEqualTo(1e7);
      assertThat(read.state()).isEqualTo("RUNNING");
      assertThat(runs.open()).extracting(RunRecord::runId).containsExactly(created.runId());
    }
  }

  @Test
  void aReactorHasOneOpenRunAndASecondCreateIsRefusedNamingTheOpenOne() {
    try (Store store = Store.open(tmp);
        RunTables runs = new RunTables(store)) {
      runs.create(run("r1-a", "r1", T0));
      assertThatThrownBy(() -> runs.create(run("r1-b", "r1", T0.plusSeconds(5))))
          .isInstanceOf(OpenRunExistsException.class)
          .hasMessageContaining("r1-a")
          .hasMessageContaining("IDLE");
      assertThat(runs.create(run("r2-a", "r2", T0)).runId()).isEqualTo("r2-a");
      // ended (the final state only queued): the next create sees it and goes through
      runs.saveProgress("r1-a", "ABORTED", "{}", T0.plusSeconds(9), null, T0.plusSeconds(9));
      RunRecord again = runs.create(run("r1-a", "r1", T0.plusSeconds(10)));
      assertThat(again.runId()).isEqualTo("r1-a-2");
      assertThat(runs.list("r1", null))
          .extracting(RunRecord::runId)
          .containsExactly("r1-a-2", "r1-a");
      assertThat(runs.list(null, "ABORTED")).extracting(RunRecord::runId).containsExactly("r1-a");
      assertThat(runs.find("r1-a").orElseThrow().endedAt()).isNotNull();
    }
  }

  @Test
  void notesAreKeptByTheTimeTheyAreAboutAndAreAppendOnly() {
    try (Store store = Store.open(tmp);
        RunTables runs = new RunTables(store)) {
      runs.create(run("r1-a", "r1", T0));
      RunNoteRecord late = runs.addNote("r1-a", T0.plusSeconds(60), T0, "olga", "medium cloudy");
      RunNoteRecord early = runs.addNote("r1-a", T0.plusSeconds(10), T0, "eve", "bubble seen");
      assertThat(late.noteId()).isPositive();
      assertThat(runs.notes("r1-a")).containsExactly(early, late);
      assertThatThrownBy(() -> runs.addNote("r1-a", T0, T0, "olga", " "))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> runs.addNote("nope", T0, T0, "olga", "x"))
          .isInstanceOf(StoreException.class);
      assertThatThrownBy(
              () -> store.read(c -> c.createStatement().executeUpdate("DELETE FROM run_notes")))
          .hasMessageContaining("append-only");
    }
  }

  @Test
  void aReleaseIsFoundByItsContentHash() {
    try (Store store = Store.open(tmp);
        RunTables runs = new RunTables(store)) {
      assertThat(runs.isReleased(SHA)).isFalse();
      store.transaction(
          c ->
              c.createStatement()
                  .executeUpdate(
                      "INSERT INTO recipe_releases VALUES ('perfusion', '1.0', '"
                          + SHA
                          + "', 'x', 'eve', '2026-03-01T08:00:00.000000Z', 'approved', NULL)"));
      assertThat(runs.isReleased(SHA)).isTrue();
      assertThat(runs.isReleased("b".repeat(64))).isFalse();
    }
  }
}
