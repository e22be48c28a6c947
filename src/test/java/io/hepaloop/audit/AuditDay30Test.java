package io.hepaloop.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.store.Store;
import io.hepaloop.time.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Day 30 in accelerated time: 100 000 records spread over 30 days (one every 26 s, a busy plant)
 * with the default anchors verify in reasonable time, and the anchor file stays bounded by the
 * interval (at most one line per 5 minutes and per 100 records).
 */
class AuditDay30Test {
  private static final int RECORDS = 100_000;
  private static final Duration DAYS_30 = Duration.ofDays(30);

  @TempDir Path dir;

  /** A clock the test thread moves while the writer reads it. */
  private static final class SteppedClock implements Clock {
    final AtomicLong nanos = new AtomicLong();

    @Override
    public long nanoTime() {
      return nanos.get();
    }

    @Override
    public Instant now() {
      return Instant.parse("2026-01-01T00:00:00Z").plusNanos(nanos.get());
    }
  }

  @Test
  void aMonthOfRecordsVerifiesInSecondsAndTheAnchorFileStaysSmall() throws Exception {
    SteppedClock clock = new SteppedClock();
    long stepNanos = DAYS_30.toNanos() / RECORDS;
    long writeStarted = System.nanoTime();
    try (Store store = Store.open(dir);
        AuditTrail trail = AuditTrail.open(store, clock)) {
      List<CompletableFuture<AuditRecord>> pending = new ArrayList<>();
      for (int i = 1; i <= RECORDS; i++) {
        clock.nanos.addAndGet(stepNanos);
        pending.add(
            trail.enqueue(
                AuditEntry.of(
                    "operator" + (i % 7),
                    "operator",
                    AuditAction.ACKNOWLEDGE,
                    "alarm-" + (i % 50),
                    "unacknowledged",
                    "acknowledged",
                    "seen",
                    "run-1")));
        if (pending.size() == 5_000) {
          CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
          pending.clear();
        }
      }
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
    }
    double writeS = (System.nanoTime() - writeStarted) / 1e9;

    AuditVerification v = AuditVerifier.verify(dir);
    long anchorLines = Files.readAllLines(AnchorFile.of(dir)).size();
    long anchorBytes = Files.size(AnchorFile.of(dir));
    long dbBytes = Files.size(dir.resolve(Store.FILE_NAME));
    System.out.printf(
        "day 30: %d audit records written in %.1f s, verified in %.2f s; anchor file %d lines,"
            + " %d bytes; database %d bytes%n",
        RECORDS, writeS, v.took().toNanos() / 1e9, anchorLines, anchorBytes, dbBytes);

    assertThat(v.intact()).as(v.findings().toString()).isTrue();
    assertThat(v.records()).isEqualTo(RECORDS);
    assertThat(v.lastAnchoredSequence()).isEqualTo(RECORDS);
    assertThat(v.took()).isLessThan(Duration.ofSeconds(60));
    long bound =
        DAYS_30.dividedBy(AnchorPolicy.DEFAULT.every())
            + RECORDS / AnchorPolicy.DEFAULT.everyRecords()
            + 2;
    assertThat(anchorLines).isBetween(2L, bound);
    assertThat(anchorBytes).isLessThan(bound * 100);
  }
}
