package io.hepaloop.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The numbered migrations: applied once, in order, whole or not at all, and checked on open. */
class MigrationRunnerTest {
  @TempDir Path tmp;

  private static final Migration V1 =
      new Migration(1, "things", "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT);");
  private static final Migration V2 =
      new Migration(
          2, "more things", "ALTER TABLE things ADD COLUMN colour TEXT;\nCREATE TABLE other (x);");

  private Path db() {
    return tmp.resolve("hepaloop.db");
  }

  private static List<String> tables(Store store) {
    return store.read(
        c -> {
          List<String> out = new ArrayList<>();
          try (Statement s = c.createStatement();
              ResultSet r =
                  s.executeQuery("SELECT name FROM sqlite_master WHERE type='table' ORDER BY 1")) {
            while (r.next()) {
              out.add(r.getString(1));
            }
          }
          return out;
        });
  }

  @Test
  void aFreshDatabaseGetsEveryMigrationAndReopeningAppliesNothing() {
    try (Store store = Store.open(db(), List.of(V1, V2))) {
      assertThat(store.schemaVersion()).isEqualTo(2);
      assertThat(tables(store)).contains("things", "other", "schema_version");
      store.transaction(
          c -> c.createStatement().executeUpdate("INSERT INTO things VALUES (1, 'a', 'red')"));
    }
    try (Store store = Store.open(db(), List.of(V1, V2))) {
      assertThat(store.schemaVersion()).isEqualTo(2);
      int rows =
          store.read(
              c -> {
                try (ResultSet r =
                    c.createStatement().executeQuery("SELECT count(*) FROM schema_version")) {
                  r.next();
                  return r.getInt(1);
                }
              });
      assertThat(rows).as("each migration recorded once").isEqualTo(2);
      int things =
          store.read(
              c -> {
                try (ResultSet r =
                    c.createStatement().executeQuery("SELECT count(*) FROM things")) {
                  r.next();
                  return r.getInt(1);
                }
              });
      assertThat(things).as("data kept across the reopen").isEqualTo(1);
    }
  }

  @Test
  void anOlderDatabaseGetsOnlyTheNewMigrations() {
    Store.open(db(), List.of(V1)).close();
    try (Store store = Store.open(db(), List.of(V1, V2))) {
      assertThat(store.schemaVersion()).isEqualTo(2);
      assertThat(tables(store)).contains("other");
    }
  }

  @Test
  void aFailingMigrationIsRolledBackWholeAndTheDatabaseStaysAtThePreviousVersion() {
    Store.open(db(), List.of(V1)).close();
    Migration broken =
        new Migration(2, "broken", "CREATE TABLE half (x);\nINSERT INTO no_such_table VALUES (1);");

    assertThatThrownBy(() -> Store.open(db(), List.of(V1, broken)))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("migration V2 (broken) failed")
        .hasMessageContaining("stays at version 1")
        .hasMessageContaining("no_such_table");

    try (Store store = Store.open(db(), List.of(V1))) {
      assertThat(store.schemaVersion()).isEqualTo(1);
      assertThat(tables(store)).as("the first statement of V2 undone").doesNotContain("half");
    }
  }

  @Test
  void aMigrationChangedAfterItWasAppliedIsRefusedAndNothingIsApplied() {
    Store.open(db(), List.of(V1)).close();
    Migration tampered =
        new Migration(1, "things", "CREATE TABLE things (id INTEGER PRIMARY KEY, label TEXT);");

    assertThatThrownBy(() -> Store.open(db(), List.of(tampered, V2)))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("migration V1 (things) was changed after it was applied")
        .hasMessageContaining(V1.checksum())
        .hasMessageContaining(tampered.checksum());

    try (Store store = Store.open(db(), List.of(V1))) {
      assertThat(store.schemaVersion()).as("V2 not applied after the refusal").isEqualTo(1);
    }
  }

  @Test
  void onlyLineEndingsChangingIsNotAChange() {
    Migration crlf = new Migration(2, V2.description(), V2.sql().replace("\n", "\r\n"));
    assertThat(crlf.checksum()).isEqualTo(V2.checksum());
  }

  @Test
  void aDatabaseNewerThanTheCodeIsRefused() {
    Store.open(db(), List.of(V1, V2)).close();

    assertThatThrownBy(() -> Store.open(db(), List.of(V1)))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("schema version 2, newer than this HepaLoop knows (1)");
  }

  @Test
  void migrationsWithAGapAreRefused() {
    Migration v3 = new Migration(3, "three", "CREATE TABLE three (x);");
    assertThatThrownBy(() -> Store.open(db(), List.of(V1, v3)))
        .hasMessageContaining("without gaps");
  }

  @Test
  void theIndexNamesEveryMigrationFileInOrder() throws Exception {
    Path dir = Path.of("src/main/resources", Migrations.DIRECTORY);
    List<String> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).toList();
    }
    List<Migration> known = Migrations.fromClassPath();
    assertThat(known).hasSize(files.size());
    for (Migration m : known) {
      assertThat(files)
          .contains("V" + m.version() + "__" + m.description().replace(' ', '_') + ".sql");
    }
  }
}
