package io.hepaloop.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepaloop.audit.Finding.Kind;
import io.hepaloop.store.Store;
import io.hepaloop.time.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tamper corpus: each way an attacker with the database file in hand (triggers dropped) can
 * change the record is detected by {@link AuditVerifier} and named with the record it concerns. The
 * trail holds 30 records anchored every 10 (anchors at 1, 11, 21 and, on close, 30).
 */
class AuditTamperTest {
  private static final int RECORDS = 30;

  @TempDir Path dir;

  @BeforeEach
  void writeTrail() {
    ManualClock clock = new ManualClock();
    try (Store store = Store.open(dir);
        AuditTrail trail =
            AuditTrail.open(store, clock, new AnchorPolicy(10, Duration.ofHours(1)))) {
      for (int i = 1; i <= RECORDS; i++) {
        clock.advanceSeconds(7);
        trail.append(
            AuditEntry.of(
                "alice",
                "operator",
                AuditAction.SETPOINT,
                "R1/do",
                "40.0",
                Integer.toString(i),
                "step " + i,
                "run-1"));
      }
    }
  }

  private List<Finding> findings() {
    return AuditVerifier.verify(dir).findings();
  }

  private static void assertNamed(List<Finding> findings, Kind kind, long seq, String text) {
    assertThat(findings)
        .as(findings.toString())
        .anySatisfy(
            f -> {
              assertThat(f.kind()).isEqualTo(kind);
              assertThat(f.sequence()).isEqualTo(seq);
              assertThat(f.message()).contains(text);
            });
  }

  @Test
  void anUntouchedTrailIsIntactAndItsAnchorsFollowThePolicy() throws Exception {
    AuditVerification v = AuditVerifier.verify(dir);

    assertThat(v.intact()).as(v.findings().toString()).isTrue();
    assertThat(v.records()).isEqualTo(RECORDS);
    assertThat(v.lastAnchoredSequence()).isEqualTo(RECORDS);
    assertThat(Files.readAllLines(AnchorFile.of(dir)))
        .extracting(l -> l.split(" ")[0])
        .containsExactly("1", "11", "21", "30");
  }

  @Test
  void theDatabaseRefusesUpdateAndDeleteWhileTheTriggersStand() {
    try (Store store = Store.open(dir)) {
      assertThatThrownBy(
              () ->
                  store.transaction(
                      c ->
                          c.createStatement()
                              .executeUpdate("UPDATE audit_records SET reason = 'x'")))
          .hasMessageContaining("append-only: UPDATE refused");
      assertThatThrownBy(
              () ->
                  store.transaction(
                      c -> c.createStatement().executeUpdate("DELETE FROM audit_records")))
          .hasMessageContaining("append-only: DELETE refused");
      assertThatThrownBy(
              () ->
                  store.transaction(
                      c -> {
                        try (Statement s = c.createStatement()) {
                          return s.executeUpdate(
                              "INSERT INTO audit_records (seq, recorded_at, user_name, action,"
                                  + " previous_hash, hash) VALUES (99, 't', 'mallory', 'login', '"
                                  + "0".repeat(64)
                                  + "', '"
                                  + "1".repeat(64)
                                  + "')");
                        }
                      }))
          .hasMessageContaining("must continue the chain");
    }
    assertThat(AuditVerifier.verify(dir).intact()).isTrue();
  }

  @Test
  void anEditedFieldIsNamed() throws Exception {
    try (Tamper t = new Tamper(dir)) {
      t.sql("UPDATE audit_records SET new_value = '99' WHERE seq = 12");
    }
    List<Finding> found = findings();

    assertThat(found).hasSize(1);
    assertNamed(found, Kind.EDITED, 12, "record 12: its fields no longer match its hash");
  }

  @Test
  void anEditWhoseHashWasRecomputedIsNamedByTheNextRecordsLink() throws Exception {
    try (Tamper t = new Tamper(dir)) {
      t.rehashWithNewValue(12, "99");
    }
    List<Finding> found = findings();

    assertThat(found).hasSize(1);
    assertNamed(found, Kind.EDITED, 12, "record 12 was changed and its hash recomputed");
  }

  @Test
  void aDeletedRecordIsNamed() throws Exception {
    try (Tamper t = new Tamper(dir)) {
      t.sql("DELETE FROM audit_records WHERE seq = 12");
    }
    List<Finding> found = findings();

    assertThat(found).hasSize(1);
    assertNamed(found, Kind.DELETED, 12, "record 12 is missing (deleted)");
  }

  @Test
  void aDeletionHiddenByRenumberingIsNamed() throws Exception {
    try (Tamper t = new Tamper(dir)) {
      t.sql("DELETE FROM audit_records WHERE seq = 12");
      t.sql("UPDATE audit_records SET seq = seq - 1 WHERE seq > 12");
    }
    List<Finding> found = findings();

    assertThat(found)
        .extracting(Finding::kind)
        .containsExactlyInAnyOrder(Kind.DELETED, Kind.REORDERED, Kind.REWRITTEN, Kind.TRUNCATED);
    assertNamed(found, Kind.DELETED, 12, "record 12 is missing (deleted)");
    assertNamed(found, Kind.REORDERED, 12, "records 12..29 were written as 13..30");
    assertNamed(found, Kind.TRUNCATED, 30, "covers record 30");
    assertNamed(found, Kind.REWRITTEN, 21, "after record 11");
  }

  @Test
  void aForgedRecordInsertedInTheMiddleIsNamed() throws Exception {
    try (Tamper t = new Tamper(dir)) {
      StoredRecord before = t.row(11);
      t.shiftUpFrom(12);
      StoredRecord template = t.row(13); // the original 12, now one place up
      StoredRecord forged =
          Tamper.withValue(
              new StoredRecord(
                  12,
                  template.recordedAt(),
                  "mallory",
                  "engineer",
                  "tuning",
                  "R1/do",
                  "1",
                  "2",
                  "forged",
                  null,
                  null,
                  null,
                  null,
                  before.hash(),
                  ""),
              "2",
              before.hash());
      t.insert(forged);
    }
    List<Finding> found = findings();

    assertThat(found)
        .extracting(Finding::kind)
        .containsExactlyInAnyOrder(Kind.INSERTED, Kind.REORDERED, Kind.REWRITTEN);
    assertNamed(found, Kind.INSERTED, 12, "record 12 was inserted");
    assertNamed(found, Kind.REORDERED, 13, "records 13..31 were written as 12..30");
  }

  @Test
  void twoSwappedRecordsAreEachNamed() throws Exception {
    try (Tamper t = new Tamper(dir)) {
      t.sql("UPDATE audit_records SET seq = 1000 WHERE seq = 12");
      t.sql("UPDATE audit_records SET seq = 12 WHERE seq = 17");
      t.sql("UPDATE audit_records SET seq = 17 WHERE seq = 1000");
    }
    List<Finding> found = findings();

    assertThat(found).hasSize(2);
    assertNamed(found, Kind.REORDERED, 12, "record 12 was written as record 17");
    assertNamed(found, Kind.REORDERED, 17, "record 17 was written as record 12");
  }

  @Test
  void aTruncatedTailIsNamedByTheAnchor() throws Exception {
    try (Tamper t = new Tamper(dir)) {
      t.sql("DELETE FROM audit_records WHERE seq > 25");
    }
    List<Finding> found = findings();

    assertThat(found).hasSize(1);
    assertNamed(found, Kind.TRUNCATED, 26, "records 26..30 were removed (tail truncated)");
  }

  @Test
  void aChainRewrittenConsistentlyIsNamedByTheAnchorsItContradicts() throws Exception {
    try (Tamper t = new Tamper(dir)) {
      t.rewriteChainFrom(15, "99");
    }
    List<Finding> found = findings();

    assertThat(found).hasSize(1);
    assertNamed(
        found,
        Kind.REWRITTEN,
        21,
        "the chain was rewritten after record 11 (the last anchor that matches)");
  }

  @Test
  void aDeletedAnchorFileAndADamagedLineAreNamed() throws Exception {
    Path anchors = AnchorFile.of(dir);
    Files.writeString(
        anchors, "11 not-a-hash 2026-01-01T00:00:00Z\n", java.nio.file.StandardOpenOption.APPEND);
    assertNamed(findings(), Kind.ANCHOR_FILE_DAMAGED, 0, "line 5 is not an anchor");

    Files.delete(anchors);
    assertNamed(findings(), Kind.ANCHORS_MISSING, 0, "30 records but no audit-anchors.txt");
  }
}
