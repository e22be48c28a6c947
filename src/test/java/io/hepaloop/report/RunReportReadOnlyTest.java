package io.hepaloop.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepaloop.cli.HepaLoop;
import io.hepaloop.store.Migration;
import io.hepaloop.store.Migrations;
import io.hepaloop.store.SchemaMismatchException;
import io.hepaloop.store.Store;
import io.hepaloop.store.StoreException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code run report} reads the database and never changes it: no migration, no write. */
class RunReportReadOnlyTest {
  static final String RUN = "r1-20260501-000000";
  @TempDir Path dir;

  private record Result(int exit, String out, String err) {}

  private Result report() {
    CommandLine cli = HepaLoop.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute("run", "report", RUN, "--data-dir", dir.toString());
    return new Result(exit, out.toString(), err.toString());
  }

  private String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  @Test
  void aDatabaseAtAnOlderSchemaIsRefusedNamingBothVersionsAndLeftUnchanged() throws Exception {
    List<Migration> all = Migrations.fromClassPath();
    Path db = dir.resolve(Store.FILE_NAME);
    int older = 5;
    try (Store store = Store.open(db, all.subList(0, older))) {
      assertThat(store.schemaVersion()).isEqualTo(older);
    }
    String before = sha256(db);

    Result r = report();

    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err())
        .contains("schema version " + older)
        .contains("older than this HepaLoop's (" + all.size() + ")")
        .contains("not migrated");
    assertThat(sha256(db)).isEqualTo(before);
    try (Store store = Store.openReadOnly(db, all.subList(0, older))) {
      assertThat(store.schemaVersion()).isEqualTo(older);
    }
  }

  @Test
  void aCurrentDatabaseIsReportedAndNotChangedByteForByte() throws Exception {
    Instant t0 = Instant.parse("2026-05-01T00:00:00Z");
    try (Store store = Store.open(dir)) {
      ReportRows rows = new ReportRows(store);
      rows.run(RUN, "r1", t0, t0.plusSeconds(7200), "COMPLETE");
      rows.note(RUN, t0.plusSeconds(60), "alice", "medium changed");
    }
    Path db = dir.resolve(Store.FILE_NAME);
    String before = sha256(db);

    Result r = report();

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("medium changed");
    // no private InfluxDB here: said on standard error, the report is made without telemetry
    assertThat(r.err()).contains("no --influx, and no private InfluxDB data under");
    assertThat(sha256(db)).isEqualTo(before);
  }

  @Test
  void aReadOnlyStoreRefusesWritesAndANewerSchema() throws Exception {
    List<Migration> all = Migrations.fromClassPath();
    try (Store store = Store.open(dir)) {
      assertThat(store.schemaVersion()).isEqualTo(all.size());
    }
    try (Store store = Store.openReadOnly(dir)) {
      assertThatThrownBy(
              () ->
                  store.transaction(
                      c -> c.createStatement().executeUpdate("CREATE TABLE x (a INTEGER)")))
          .isInstanceOf(StoreException.class);
    }
    assertThatThrownBy(
            () -> Store.openReadOnly(dir.resolve(Store.FILE_NAME), all.subList(0, all.size() - 1)))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("schema version " + all.size())
        .hasMessageContaining("newer than this HepaLoop knows (" + (all.size() - 1) + ")");
    assertThatThrownBy(() -> Store.openReadOnly(dir.resolve("missing")))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("no database file");
  }
}
