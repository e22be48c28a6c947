package io.hepaloop.lab;

import io.hepaloop.store.Store;
import java.sql.PreparedStatement;
import java.time.Instant;

/**
 * Rows of the {@code runs} table (V6) for tests of lab results, written as the run service would
 * (its code is another part's): a run of a reactor created at a time, ended or not.
 */
public final class TestRuns {
  private TestRuns() {}

  /** Inserts a run created at {@code createdAt}, ended at {@code endedAt} (null: still going). */
  public static void insert(
      Store store, String runId, String reactorId, Instant createdAt, Instant endedAt) {
    String created = LabSampleStore.time(createdAt);
    store.transaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO runs (run_id, reactor_id, recipe_name, recipe_version,"
                      + " recipe_sha256, recipe_text, cell_source, cells_seeded, scaffold, medium,"
                      + " operator, created_at, created_by, started_at, ended_at, state,"
                      + " updated_at) VALUES (?, ?, 'maintenance', '1', ?, 'phases: []', 'heparg',"
                      + " 2.0e7, 'PCL scaffold', 'William E', 'olga', ?, 'olga', ?, ?, ?, ?)")) {
            s.setString(1, runId);
            s.setString(2, reactorId);
            s.setString(3, "a".repeat(64));
            s.setString(4, created);
            s.setString(5, created);
            s.setString(6, endedAt == null ? null : LabSampleStore.time(endedAt));
            s.setString(7, endedAt == null ? "RUNNING" : "COMPLETE");
            s.setString(8, created);
            s.executeUpdate();
          }
          return null;
        });
  }
}
