package io.hepaloop.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The data directory's run survives restarts, is replaced atomically and is never silently lost.
 */
class RunStoreTest {
  static final ZoneId UTC = ZoneOffset.UTC;
  static final Instant T0 = Instant.parse("2026-12-02T00:41:30Z");

  @TempDir Path dataDir;

  private RunStore store() {
    return new RunStore(dataDir);
  }

  @Test
  void theFirstStartOnAnEmptyDataDirectoryStartsARunAndRecordsIt() throws Exception {
    RunStore s = new RunStore(dataDir.resolve("not-yet")); // the directory is created on save
    assertThat(s.load()).isEmpty();
    RunStart start = s.open(null, false, "demo", T0, UTC);
    assertThat(start.continued()).isFalse();
    assertThat(start.previous()).isNull();
    assertThat(start.run()).isEqualTo(new RunIdentity("demo-20261202-004130", T0));
    assertThat(s.load()).contains(start.run());
    assertThat(start.describe(UTC))
        .isEqualTo("demo-20261202-004130 (new run, started 2026-12-02 00:41:30)");
  }

  @Test
  void aRestartContinuesTheRunWithItsOriginalStartTime() {
    RunIdentity first = store().open(null, false, "serve", T0, UTC).run();
    RunStart again =
        new RunStore(dataDir).open(null, false, "serve", T0.plusSeconds(86_400 * 9), UTC);
    assertThat(again.continued()).isTrue();
    assertThat(again.run()).isEqualTo(first);
    assertThat(again.describe(UTC))
        .isEqualTo("serve-20261202-004130 (continued; started 2026-12-02 00:41:30)");
  }

  @Test
  void newRunStartsAnotherRunEvenWithinTheSameSecond() {
    RunIdentity first = store().open(null, false, "demo", T0, UTC).run();
    RunStart second = store().open(null, true, "demo", T0, UTC);
    RunStart third = store().open(null, true, "demo", T0, UTC);
    assertThat(second.continued()).isFalse();
    assertThat(second.previous()).isEqualTo(first);
    assertThat(second.run().id()).isEqualTo("demo-20261202-004130-2");
    assertThat(third.run().id()).isEqualTo("demo-20261202-004130-3");
    assertThat(third.describe(UTC))
        .contains("previous run demo-20261202-004130-2 of 2026-12-02 00:41:30 ended");
    assertThat(store().load()).contains(third.run());
    RunStart later = store().open(null, true, "demo", T0.plusSeconds(3600), UTC);
    assertThat(later.run().id()).isEqualTo("demo-20261202-014130");
  }

  @Test
  void runWithThePersistedIdContinuesAndWithAnotherIdStartsThatRun() {
    Instant t1 = T0.plusSeconds(60);
    RunIdentity a = store().open("culture-a", false, "serve", T0, UTC).run();
    RunStart same = store().open("culture-a", false, "serve", t1, UTC);
    assertThat(same.continued()).isTrue();
    assertThat(same.run()).isEqualTo(a);
    RunStart other = store().open("culture-b", false, "serve", t1, UTC);
    assertThat(other.continued()).isFalse();
    assertThat(other.run()).isEqualTo(new RunIdentity("culture-b", t1));
    assertThat(other.previous()).isEqualTo(a);
    assertThat(other.describe(UTC))
        .contains("previous run culture-a of 2026-12-02 00:41:30 ended")
        .contains("--run culture-b differs from the run this data directory had");
    assertThat(store().load()).contains(other.run());
  }

  @Test
  void newRunWithTheIdOfTheRunItWouldEndIsRefused() {
    store().open("culture-a", false, "serve", T0, UTC);
    assertThatThrownBy(() -> store().open("culture-a", true, "serve", T0.plusSeconds(1), UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--new-run with --run culture-a")
        .hasMessageContaining(store().file().toString());
    assertThat(store().load()).contains(new RunIdentity("culture-a", T0));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a b", "-leading-dash", "tag,with=comma", "x\ny"})
  void anIdThatCannotBeATelemetryTagIsRefused(String id) {
    assertThatThrownBy(() -> store().open(id, false, "serve", T0, UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not valid");
    assertThat(store().file()).doesNotExist();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "garbage",
        "{\"runId\": \"demo-1\", \"startedAt\": \"2026-12-02T00:41:30Z\"",
        "{\"runId\": \"demo-1\"}",
        "{\"runId\": 42, \"startedAt\": \"2026-12-02T00:41:30Z\"}",
        "{\"runId\": \"demo-1\", \"startedAt\": \"yesterday\"}",
        "{\"runId\": \"demo 1\", \"startedAt\": \"2026-12-02T00:41:30Z\"}",
        "{\"version\": 9, \"runId\": \"demo-1\", \"startedAt\": \"2026-12-02T00:41:30Z\"}",
        "[\"demo-1\"]"
      })
  void aCorruptRunFileIsAnErrorNamingTheFileAndIsLeftAsItWas(String content) throws Exception {
    Files.writeString(store().file(), content);
    assertThatThrownBy(() -> store().load())
        .isInstanceOf(RunFileException.class)
        .hasMessageStartingWith(store().file() + ": ")
        .hasMessageContaining("--new-run");
    assertThatThrownBy(() -> store().open(null, false, "demo", T0, UTC))
        .isInstanceOf(RunFileException.class);
    assertThat(Files.readString(store().file()))
        .isEqualTo(content); // not silently replaced by a new run
  }

  @Test
  void binaryAndOversizedFilesAreNotTakenForRuns() throws Exception {
    Files.write(store().file(), new byte[] {0, (byte) 0xff, 0x13, 0x37, 0});
    assertThatThrownBy(() -> store().load())
        .isInstanceOf(RunFileException.class)
        .hasMessageContaining(store().file().toString());
    Files.write(store().file(), new byte[(int) RunStore.MAX_FILE_BYTES + 1]);
    assertThatThrownBy(() -> store().load())
        .isInstanceOf(RunFileException.class)
        .hasMessageContaining("larger than");
  }

  @Test
  void newRunReplacesAnUnreadableFileAndSaysSo() throws Exception {
    Files.writeString(store().file(), "garbage");
    RunStart start = store().open(null, true, "demo", T0, UTC);
    assertThat(start.continued()).isFalse();
    assertThat(start.note()).contains("replaced the unreadable " + store().file());
    assertThat(store().load()).contains(start.run());
  }

  @Test
  void theFileIsReadableByItsOwnerOnlyAndNoTemporaryFileIsLeft() throws Exception {
    store().open(null, false, "demo", T0, UTC);
    store().open(null, true, "demo", T0, UTC);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store().file())))
        .isEqualTo("rw-------");
    try (Stream<Path> files = Files.list(dataDir)) {
      assertThat(files.map(p -> p.getFileName().toString()).toList())
          .containsExactly(RunStore.FILE_NAME);
    }
  }

  @Test
  void aSaveInterruptedByACrashLeavesTheRecordedRunAndItsTemporaryFileIsRemovedLater()
      throws Exception {
    RunIdentity run = store().open(null, false, "demo", T0, UTC).run();
    Path torn = dataDir.resolve(RunStore.FILE_NAME + ".8141.tmp"); // a save that died half-way
    Files.writeString(torn, "{\"runId\": \"demo-2");
    assertThat(store().load()).contains(run);
    store().open(null, true, "demo", T0.plusSeconds(5), UTC);
    assertThat(torn).doesNotExist();
  }

  @Test
  void aReaderNeverSeesAHalfWrittenFileWhileRunsAreReplaced() throws Exception {
    store().save(new RunIdentity("run-0", T0));
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger reads = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread reader =
        new Thread(
            () -> {
              RunStore s = new RunStore(dataDir);
              while (!done.get() || reads.get() < 100) {
                try {
                  Optional<RunIdentity> r = s.load();
                  assertThat(r).isPresent();
                  assertThat(r.get().id()).startsWith("run-");
                  reads.incrementAndGet();
                } catch (Throwable t) {
                  failure.compareAndSet(null, t);
                  return;
                }
              }
            },
            "run-file-reader");
    reader.start();
    RunStore writer = store();
    // ids of growing length: a non-atomic rewrite would show a truncated or mixed file to the
    // reader
    for (int i = 1; i <= 300; i++) {
      writer.save(new RunIdentity("run-" + "x".repeat(i % 90) + i, T0.plusSeconds(i)));
    }
    done.set(true);
    reader.join(60_000);
    assertThat(failure.get()).as("a reader saw a broken run file").isNull();
    assertThat(reads.get()).isGreaterThanOrEqualTo(100);
    assertThat(store().load().orElseThrow().id()).endsWith("300");
    try (Stream<Path> files = Files.list(dataDir)) {
      assertThat(files.toList()).hasSize(1);
    }
    assertThat(List.of(Files.readString(store().file(), StandardCharsets.UTF_8).split("\n")))
        .contains("  \"version\" : 1,");
  }
}
