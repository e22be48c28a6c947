package io.hepaloop.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.hepaloop.store.Store;
import io.hepaloop.time.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appending: the chain, its time, signatures, several threads, close and reopen, anchors. */
class AuditTrailTest {
  @TempDir Path dir;

  private final ManualClock clock =
      new ManualClock(Instant.parse("2026-03-01T08:00:00.123456789Z"));

  static AuditEntry setpoint(String user, int i) {
    return AuditEntry.of(
        user, "operator", AuditAction.SETPOINT, "R1/flow", "1.0", "" + i, "why", null);
  }

  private List<String> anchorSeqs() throws Exception {
    Path file = AnchorFile.of(dir);
    return Files.exists(file)
        ? Files.readAllLines(file).stream().map(l -> l.split(" ")[0]).toList()
        : List.of();
  }

  @Test
  void eachRecordHoldsTheHashOfTheOneBeforeAndTheClocksUtcTime() {
    try (Store store = Store.open(dir);
        AuditTrail trail = AuditTrail.open(store, clock)) {
      AuditRecord first = trail.append(setpoint("alice", 1));
      clock.advanceSeconds(2.5);
      Signature signature = new Signature("Alice Liddell", "approved", clock.now());
      AuditRecord second =
          trail.append(
              new AuditEntry(
                  "alice",
                  "engineer",
                  AuditAction.TUNING,
                  "R1/do",
                  "kp=1",
                  "kp=2",
                  "drift",
                  "run-7",
                  signature));

      assertThat(first.sequence()).isEqualTo(1);
      assertThat(first.previousHash()).isEqualTo("0".repeat(64));
      assertThat(first.recordedAt()).isEqualTo(Instant.parse("2026-03-01T08:00:00.123456Z"));
      assertThat(second.sequence()).isEqualTo(2);
      assertThat(second.previousHash()).isEqualTo(first.hash());
      assertThat(second.hash()).isNotEqualTo(first.hash()).matches("[0-9a-f]{64}");
      assertThat(second.entry().signature()).isEqualTo(signature);
      assertThat(AuditAction.TUNING.critical()).isTrue();
    }
    assertThat(AuditVerifier.verify(dir).intact()).isTrue();
  }

  @Test
  void badEntriesAreRefusedNamingTheField() {
    assertThatThrownBy(() -> setpoint(" ", 1)).hasMessageContaining("audit user is missing");
    assertThatThrownBy(
            () ->
                AuditEntry.of(
                    "a", null, AuditAction.LOGIN, null, null, null, "x".repeat(4001), null))
        .hasMessageContaining("audit reason is 4001 characters long; at most 4000");
    assertThatThrownBy(() -> new Signature("A", "", Instant.EPOCH))
        .hasMessageContaining("signature meaning is missing");
    assertThatThrownBy(() -> AuditAction.parse("reboot"))
        .hasMessageContaining("unknown audit action 'reboot'")
        .hasMessageContaining("interlock_reset");
  }

  @Test
  void concurrentAppendsFromSeveralThreadsFormOneGapFreeChain() throws Exception {
    int threads = 6;
    int each = 300;
    List<CompletableFuture<AuditRecord>> futures = new ArrayList<>();
    try (Store store = Store.open(dir);
        AuditTrail trail =
            AuditTrail.open(store, clock, new AnchorPolicy(50, Duration.ofHours(1)))) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<CompletableFuture<List<AuditRecord>>> perThread = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String user = "user" + t;
        boolean blocking = t % 2 == 0;
        perThread.add(
            CompletableFuture.supplyAsync(
                () -> {
                  List<AuditRecord> out = new ArrayList<>();
                  for (int i = 0; i < each; i++) {
                    out.add(
                        blocking
                            ? trail.append(setpoint(user, i))
                            : trail.enqueue(setpoint(user, i)).join());
                  }
                  return out;
                },
                pool));
      }
      List<Long> seqs = new ArrayList<>();
      for (CompletableFuture<List<AuditRecord>> f : perThread) {
        List<AuditRecord> records = f.get(120, TimeUnit.SECONDS);
        // Each thread's records keep that thread's order.
        assertThat(records).extracting(AuditRecord::sequence).isSorted();
        records.forEach(r -> seqs.add(r.sequence()));
      }
      pool.shutdown();
      assertThat(seqs).doesNotHaveDuplicates().hasSize(threads * each);
      assertThat(seqs.stream().mapToLong(Long::longValue).max().orElseThrow())
          .isEqualTo(threads * each);
    }
    AuditVerification v = AuditVerifier.verify(dir);
    assertThat(v.intact()).as(v.findings().toString()).isTrue();
    assertThat(v.records()).isEqualTo(threads * each);
    assertThat(v.lastAnchoredSequence()).isEqualTo(threads * each);
  }

  @Test
  void closeWritesEverythingQueuedAndLaterAppendsAreRefused() throws Exception {
    List<CompletableFuture<AuditRecord>> queued = new ArrayList<>();
    AuditTrail closed;
    try (Store store = Store.open(dir)) {
      AuditTrail trail = AuditTrail.open(store, clock);
      for (int i = 0; i < 2_000; i++) {
        queued.add(trail.enqueue(setpoint("bob", i)));
      }
      trail.close();
      closed = trail;
      assertThat(queued).allSatisfy(f -> assertThat(f).isCompleted());
      assertThat(closed.enqueue(setpoint("bob", 0))).isCompletedExceptionally();
      assertThatThrownBy(() -> closed.append(setpoint("bob", 0)))
          .isInstanceOf(AuditException.class)
          .hasMessageContaining("closed");
    }
    AuditVerification v = AuditVerifier.verify(dir);
    assertThat(v.records()).isEqualTo(2_000);
    assertThat(v.lastAnchoredSequence()).as("close anchors the last record").isEqualTo(2_000);
  }

  @Test
  void aReopenedTrailContinuesTheChain() throws Exception {
    AuditRecord last;
    try (Store store = Store.open(dir);
        AuditTrail trail = AuditTrail.open(store, clock)) {
      trail.append(setpoint("alice", 1));
      last = trail.append(setpoint("alice", 2));
    }
    try (Store store = Store.open(dir);
        AuditTrail trail = AuditTrail.open(store, clock)) {
      AuditRecord next = trail.append(setpoint("alice", 3));
      assertThat(next.sequence()).isEqualTo(3);
      assertThat(next.previousHash()).isEqualTo(last.hash());
    }
    assertThat(AuditVerifier.verify(dir).intact()).isTrue();
    assertThat(anchorSeqs()).containsExactly("1", "2", "3");
  }

  @Test
  void anAnchorIsWrittenWhenTheIntervalPassesWithUnanchoredRecordsAndNotWhileIdle()
      throws Exception {
    try (Store store = Store.open(dir);
        AuditTrail trail =
            AuditTrail.open(store, clock, new AnchorPolicy(1_000, Duration.ofMinutes(5)))) {
      trail.append(setpoint("alice", 1));
      assertThat(anchorSeqs()).as("the first record is anchored at once").containsExactly("1");
      trail.append(setpoint("alice", 2));
      trail.append(setpoint("alice", 3));
      assertThat(anchorSeqs()).containsExactly("1");

      clock.advance(Duration.ofMinutes(5));
      await().atMost(Duration.ofSeconds(30)).until(() -> anchorSeqs().equals(List.of("1", "3")));

      clock.advance(Duration.ofMinutes(60));
      trail.flush();
      assertThat(anchorSeqs()).as("nothing new, no anchor").containsExactly("1", "3");
    }
  }

  @Test
  void verifyWhileThePlantAppendsSeesAnIntactTrailAndBlocksNothing() throws Exception {
    try (Store store = Store.open(dir);
        AuditTrail trail =
            AuditTrail.open(store, clock, new AnchorPolicy(20, Duration.ofHours(1)))) {
      trail.append(setpoint("alice", 0));
      CompletableFuture<Void> writing =
          CompletableFuture.runAsync(
              () -> {
                for (int i = 1; i <= 1_500; i++) {
                  trail.append(setpoint("alice", i));
                }
              });
      int verifications = 0;
      while (!writing.isDone() || verifications == 0) {
        AuditVerification v = AuditVerifier.verify(dir);
        assertThat(v.intact()).as(v.findings().toString()).isTrue();
        assertThat(v.lastSequence()).isGreaterThanOrEqualTo(v.lastAnchoredSequence());
        verifications++;
      }
      writing.get(120, TimeUnit.SECONDS);
      assertThat(verifications).isPositive();
    }
  }

  @Test
  void aHalfWrittenLastAnchorLineIsNotYetAnAnchor() throws Exception {
    try (Store store = Store.open(dir);
        AuditTrail trail = AuditTrail.open(store, clock)) {
      trail.append(setpoint("alice", 1));
    }
    Files.writeString(AnchorFile.of(dir), "2 abc", java.nio.file.StandardOpenOption.APPEND);

    AuditVerification v = AuditVerifier.verify(dir);
    assertThat(v.intact()).as(v.findings().toString()).isTrue();
    assertThat(v.anchors()).isEqualTo(1);
  }

  @Test
  void aBlockingAppendInACallbackOnTheWriterIsRefusedInsteadOfDeadlocking() {
    try (Store store = Store.open(dir);
        AuditTrail trail = AuditTrail.open(store, clock)) {
      // Hold the store, so the entry cannot be written before the callback is attached.
      java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
      CompletableFuture<Object> holder =
          CompletableFuture.supplyAsync(
              () ->
                  store.transaction(
                      c -> {
                        holding.countDown();
                        try {
                          return release.await(60, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                          throw new IllegalStateException(e);
                        }
                      }));
      assertThat(awaitLatch(holding)).isTrue();
      CompletableFuture<AuditRecord> nested =
          trail.enqueue(setpoint("alice", 1)).thenApply(r -> trail.append(setpoint("alice", 2)));
      release.countDown();
      holder.join();

      assertThatThrownBy(() -> nested.get(30, TimeUnit.SECONDS))
          .hasCauseInstanceOf(IllegalStateException.class)
          .hasMessageContaining("would wait for itself");
      assertThat(trail.append(setpoint("alice", 3)).sequence()).isEqualTo(2);
    }
  }

  private static boolean awaitLatch(java.util.concurrent.CountDownLatch latch) {
    try {
      return latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
