package io.hepaloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.audit.AuditAction;
import io.hepaloop.audit.AuditEntry;
import io.hepaloop.audit.AuditTrail;
import io.hepaloop.audit.Signature;
import io.hepaloop.store.Store;
import io.hepaloop.time.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hepaloop audit verify|export} through picocli on a temporary data directory. */
class AuditCommandTest {
  @TempDir Path tmp;

  private CliRun run(String... args) {
    return CliRun.of(args);
  }

  /** Four records a day apart from 2026-01-01T09:00Z, the third signed, with a comma and quote. */
  private void writeTrail() {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T09:00:00Z"));
    try (Store store = Store.open(tmp);
        AuditTrail trail = AuditTrail.open(store, clock)) {
      trail.append(
          AuditEntry.of("alice", "operator", AuditAction.LOGIN, null, null, null, null, null));
      clock.advance(Duration.ofDays(1));
      trail.append(
          AuditEntry.of(
              "alice",
              "operator",
              AuditAction.SETPOINT,
              "R1/flow",
              "1.5",
              "2.0",
              "ramp, as \"planned\"",
              "run-1"));
      clock.advance(Duration.ofDays(1));
      trail.append(
          AuditEntry.of(
                  "carol",
                  "engineer",
                  AuditAction.RUN_ABORT,
                  "run-1",
                  "running",
                  "aborted",
                  "contamination",
                  "run-1")
              .signedBy(new Signature("Carol Smith", "approved", clock.now())));
      clock.advance(Duration.ofDays(1));
      trail.append(
          AuditEntry.of("alice", "operator", AuditAction.LOGOUT, null, null, null, null, null));
    }
  }

  @Test
  void verifySaysIntactWithExitCodeZero() {
    writeTrail();
    CliRun r = run("audit", "verify", "--data-dir", tmp.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("4 records (last 4)", "INTACT");
  }

  @Test
  void verifyNamesATamperedRecordWithExitCodeOne() throws Exception {
    writeTrail();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve(Store.FILE_NAME));
        Statement s = c.createStatement()) {
      s.executeUpdate("DROP TRIGGER audit_records_no_update");
      s.executeUpdate("UPDATE audit_records SET new_value = '9.0' WHERE seq = 2");
    }
    CliRun r = run("audit", "verify", "--data-dir", tmp.toString());

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("TAMPERED: 1 problem(s)", "EDITED: record 2:");
  }

  @Test
  void verifyOfADirectoryWithoutADatabaseIsAUserError() {
    CliRun r = run("audit", "verify", "--data-dir", tmp.resolve("typo").toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("no database in").doesNotContain("\tat ");
    assertThat(tmp.resolve("typo")).doesNotExist();
  }

  @Test
  void exportWritesTheRecordsOfTheRangeAsCsvWithSignatures() throws Exception {
    writeTrail();
    Path csv = tmp.resolve("audit.csv");
    CliRun r =
        run(
            "audit",
            "export",
            "--data-dir",
            tmp.toString(),
            "--from",
            "2026-01-02",
            "--to",
            "2026-01-03T09:00:00.000001Z",
            "--out",
            csv.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("wrote 2 audit records");
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0))
        .isEqualTo(
            "sequence,recorded_at,user,role,action,target,old_value,new_value,reason,run_id,"
                + "signed_by,signature_meaning,signed_at,previous_hash,hash");
    assertThat(lines).hasSize(3);
    assertThat(lines.get(1))
        .startsWith(
            "2,2026-01-02T09:00:00.000000Z,alice,operator,setpoint,R1/flow,1.5,2.0,"
                + "\"ramp, as \"\"planned\"\"\",run-1,,,,");
    assertThat(lines.get(2))
        .startsWith(
            "3,2026-01-03T09:00:00.000000Z,carol,engineer,run_abort,run-1,running,"
                + "aborted,contamination,run-1,Carol Smith,approved,2026-01-03T09:00:00.000000Z,");
  }

  @Test
  void exportRefusesABadTimeNamingTheOption() {
    writeTrail();
    CliRun r =
        run(
            "audit",
            "export",
            "--data-dir",
            tmp.toString(),
            "--from",
            "yesterday",
            "--out",
            tmp.resolve("x.csv").toString());

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--from 'yesterday' is not a date");
  }
}
