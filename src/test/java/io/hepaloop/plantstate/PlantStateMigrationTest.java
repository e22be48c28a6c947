package io.hepaloop.plantstate;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.alarm.AlarmState;
import io.hepaloop.store.Migration;
import io.hepaloop.store.Migrations;
import io.hepaloop.store.Store;
import io.hepaloop.time.ManualClock;
import io.hepaloop.users.Role;
import io.hepaloop.users.Users;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data directory from before the plant state (schema V1: users only) is brought up to date. */
class PlantStateMigrationTest {
  @TempDir Path tmp;

  @Test
  void aVersion1DatabaseWithAUserIsMigratedAndKeepsTheUser() {
    List<Migration> all = Migrations.fromClassPath();
    assertThat(all)
        .extracting(Migration::description)
        .startsWith("users", "alarms", "loop settings");
    ManualClock clock = new ManualClock();
    try (Store v1 = Store.open(tmp.resolve(Store.FILE_NAME), all.subList(0, 1))) {
      assertThat(v1.schemaVersion()).isEqualTo(1);
      new Users(v1, clock)
          .add("alice", "Alice", Role.OPERATOR, "correct horse battery".toCharArray(), false);
    }
    try (Store store = Store.open(tmp)) {
      assertThat(store.schemaVersion()).isEqualTo(all.size());
      assertThat(new Users(store, clock).find("alice"))
          .hasValueSatisfying(u -> assertThat(u.role()).isEqualTo(Role.OPERATOR));
      List<String> tables =
          store.read(
              c -> {
                List<String> out = new ArrayList<>();
                try (ResultSet r =
                    c.createStatement()
                        .executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                  while (r.next()) {
                    out.add(r.getString(1));
                  }
                }
                return out;
              });
      assertThat(tables)
          .contains(
              "users",
              "alarm_history",
              "alarm_state",
              "alarm_history_gaps",
              "loop_settings",
              "loop_tunings");
      try (AlarmJournal journal = new AlarmJournal(store, clock, List.of());
          LoopSettingsStore settings = new LoopSettingsStore(store)) {
        journal.record(
            AlarmJournalTest.transition(
                clock.now(), "r1", "a", AlarmState.NORMAL, AlarmState.UNACK_ACTIVE));
        journal.flush();
        assertThat(journal.currentStates()).hasSize(1);
        settings.save(LoopSettingsStoreTest.setting("r1", "temp", 37, 0));
        assertThat(settings.load("r1"))
            .isEqualTo(Map.of("temp", LoopSettingsStoreTest.setting("r1", "temp", 37, 0)));
      }
    }
  }
}
