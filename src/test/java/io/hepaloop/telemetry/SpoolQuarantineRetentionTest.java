package io.hepaloop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepaloop.bus.HepaEvent;
import io.hepaloop.time.ManualClock;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quarantine of damaged spool bytes is bounded on day 30: oldest copies go first, the newest
 * always stays, only copies are ever deleted, and every deletion is counted. Time is a {@link
 * ManualClock} moved a day at a time (copies get its time as their file time).
 */
class SpoolQuarantineRetentionTest {
  private static final long MIB = 1L << 20;
  @TempDir Path spoolDir;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Random random = new Random(42);

  /** Copies {@code bytes} random bytes as a damaged stretch of segment {@code seq}. */
  private Path quarantineOne(SpoolQuarantine q, long seq, int bytes) throws IOException {
    Path seg = spoolDir.resolve("damage-source.bin");
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    Files.write(seg, b);
    try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.READ)) {
      SpoolQuarantine.Copy c = q.copy(ch, seq, 0, bytes);
      assertThat(c.isNew()).isTrue();
      return c.file();
    } finally {
      Files.delete(seg);
    }
  }

  private static List<Path> copies(Path quarantineDir) throws IOException {
    try (Stream<Path> f = Files.list(quarantineDir)) {
      return f.filter(p -> p.getFileName().toString().endsWith(".damaged")).sorted().toList();
    }
  }

  private static long bytesOf(List<Path> files) throws IOException {
    long total = 0;
    for (Path p : files) {
      total += Files.size(p);
    }
    return total;
  }

  @Test
  void thirtyDaysOfDailyDamageStayUnderTheCapOldestFirstCountedRight() throws Exception {
    long cap = 16 * MIB;
    int fileBytes = (int) (3 * MIB);
    SpoolQuarantine q =
        new SpoolQuarantine(spoolDir, new QuarantineRetention(cap, Duration.ofDays(30)), clock);
    List<Path> made = new ArrayList<>();
    for (int day = 0; day < 30; day++) {
      if (day > 0) {
        clock.advance(Duration.ofDays(1));
      }
      made.add(quarantineOne(q, day + 1, fileBytes));
      SpoolQuarantine.Sweep s = q.sweep(seq -> false);

      List<Path> left = copies(q.directory());
      int expectedKept = Math.min(day + 1, 5); // 5 × 3 MiB fit 16 MiB, 6 do not
      assertThat(bytesOf(left)).as("day %d", day).isLessThanOrEqualTo(cap);
      assertThat(left)
          .as("day %d: the newest copies are kept", day)
          .containsExactlyElementsOf(made.subList(made.size() - expectedKept, made.size()));
      long deletedSoFar = made.size() - expectedKept;
      assertThat(q.deletedFiles.get()).isEqualTo(deletedSoFar);
      assertThat(q.deletedBytes.get()).isEqualTo(deletedSoFar * fileBytes);
      assertThat(q.heldFiles.get()).isEqualTo(left.size());
      assertThat(q.heldBytes.get()).isEqualTo(bytesOf(left));
      assertThat(s.deletedFiles()).isEqualTo(day >= 5 ? 1 : 0);
    }
    // every byte ever quarantined is either still there or counted as deleted
    assertThat(q.bytes.get()).isEqualTo(30L * fileBytes);
    assertThat(q.bytes.get()).isEqualTo(q.heldBytes.get() + q.deletedBytes.get());
  }

  @Test
  void copiesOlderThanTheAgeBoundGoEvenUnderTheCap() throws Exception {
    SpoolQuarantine q =
        new SpoolQuarantine(
            spoolDir, new QuarantineRetention(1024 * MIB, Duration.ofDays(30)), clock);
    List<Path> made = new ArrayList<>();
    for (int day = 0; day < 45; day++) {
      if (day > 0) {
        clock.advance(Duration.ofDays(1));
      }
      made.add(quarantineOne(q, day + 1, 1024));
      q.sweep(seq -> false);
      int expectedKept = Math.min(day + 1, 31); // 0 … 30 days old
      assertThat(copies(q.directory()))
          .as("day %d", day)
          .containsExactlyElementsOf(made.subList(made.size() - expectedKept, made.size()));
    }
    assertThat(q.deletedFiles.get()).isEqualTo(45 - 31);
    for (Path p : copies(q.directory())) {
      Instant t = Files.getLastModifiedTime(p).toInstant();
      assertThat(Duration.between(t, clock.now())).isLessThanOrEqualTo(Duration.ofDays(30));
    }
  }

  @Test
  void aCapSmallerThanOneCopyKeepsTheNewestOne() throws Exception {
    SpoolQuarantine q =
        new SpoolQuarantine(spoolDir, new QuarantineRetention(MIB, Duration.ofDays(30)), clock);
    Path newest = null;
    for (int day = 0; day < 3; day++) {
      clock.advance(Duration.ofDays(1));
      newest = quarantineOne(q, day + 1, (int) (3 * MIB));
      q.sweep(seq -> false);
      assertThat(copies(q.directory())).containsExactly(newest);
      assertThat(q.deletedFiles.get()).isEqualTo(day);
    }
    // also when everything is far too old: the last evidence stays
    clock.advance(Duration.ofDays(400));
    SpoolQuarantine.Sweep s = q.sweep(seq -> false);
    assertThat(s.deletedFiles()).isZero();
    assertThat(copies(q.directory())).containsExactly(newest);
    assertThat(q.heldBytes.get()).isEqualTo(3 * MIB);
  }

  @Test
  void onlyCopiesAreDeletedNeverASegmentOrAnotherFile() throws Exception {
    SpoolQuarantine q =
        new SpoolQuarantine(spoolDir, new QuarantineRetention(0, Duration.ofDays(1)), clock);
    quarantineOne(q, 1, 4096);
    Path qdir = q.directory();
    Path strayInQuarantine = Files.writeString(qdir.resolve("00000000000000000001.seg"), "x");
    Path notes = Files.writeString(qdir.resolve("notes.txt"), "operator's notes");
    Path lookalike = Files.writeString(qdir.resolve("seg1-at0-5b-0000abcd.damaged"), "short");
    Path segment = Files.writeString(spoolDir.resolve("00000000000000000002.seg"), "segment");
    for (Path p : List.of(strayInQuarantine, notes, lookalike, segment)) {
      Files.setLastModifiedTime(p, FileTime.from(Instant.parse("2000-01-01T00:00:00Z")));
    }
    clock.advance(Duration.ofDays(10));
    Path newest = quarantineOne(q, 3, 4096);
    q.sweep(seq -> false);
    assertThat(copies(qdir)).containsExactlyInAnyOrder(newest, lookalike);
    assertThat(strayInQuarantine).exists();
    assertThat(notes).exists();
    assertThat(segment).exists();
    assertThat(q.deletedFiles.get()).isEqualTo(1);
  }

  @Test
  void aCopyWhoseSegmentIsStillInTheSpoolIsKept() throws Exception {
    SpoolQuarantine q =
        new SpoolQuarantine(spoolDir, new QuarantineRetention(0, Duration.ofDays(30)), clock);
    Path inSpool = quarantineOne(q, 7, 4096);
    clock.advance(Duration.ofDays(1));
    Path delivered = quarantineOne(q, 8, 4096);
    clock.advance(Duration.ofDays(1));
    Path newest = quarantineOne(q, 9, 4096);
    SpoolQuarantine.Sweep s = q.sweep(seq -> seq == 7);
    assertThat(copies(q.directory())).containsExactlyInAnyOrder(inSpool, newest);
    assertThat(delivered).doesNotExist();
    assertThat(s.keptInUse()).isEqualTo(1);
    // once the segment is delivered and deleted, the next sweep removes its copy
    clock.advance(Duration.ofDays(1));
    q.sweep(seq -> false);
    assertThat(copies(q.directory())).containsExactly(newest);
    assertThat(q.deletedFiles.get()).isEqualTo(2);
  }

  @Test
  void damageFoundWhileSendingIsSweptAfterItsCopyAndTheListenerIsTold() throws Exception {
    List<SpoolQuarantine.Sweep> sweeps = new ArrayList<>();
    QuarantineRetention cap0 = new QuarantineRetention(0, Duration.ofDays(30));
    // an old copy from an earlier run, of a segment long delivered
    Path qdir = Files.createDirectories(spoolDir.resolve("quarantine"));
    Path old = qdir.resolve(String.format("seg%020d-at0-3b-00000001.damaged", 0L));
    Files.writeString(old, "old");
    Files.setLastModifiedTime(old, FileTime.from(clock.now().minus(Duration.ofDays(2))));
    try (Spool s = new Spool(spoolDir, 1 << 30, 1 << 20, cap0, clock, sweeps::add)) {
      // the sweep at open keeps the old copy: it is the newest one there
      assertThat(sweeps).hasSize(1);
      assertThat(old).exists();
      for (int b = 0; b < 3; b++) {
        s.append(List.of("m seq=" + b + "i " + b));
      }
      Path seg = SpoolTest.segments(spoolDir).get(0);
      List<Long> offsets = SpoolTest.recordOffsets(seg);
      SpoolTest.overwrite(seg, offsets.get(1) + Spool.HEADER_BYTES + 1, new byte[] {'#'});
      clock.advance(Duration.ofDays(1));
      Spool.Position p = s.committed();
      int read = 0;
      Optional<Spool.Entry> e;
      while ((e = s.read(p)).isPresent()) {
        read++;
        p = e.get().next();
      }
      assertThat(read).isEqualTo(2);
      assertThat(sweeps).hasSize(2);
      assertThat(sweeps.get(1).deletedFiles()).isEqualTo(1);
      assertThat(old).doesNotExist();
      // the new copy's segment is still in the spool, and it is the newest: kept
      assertThat(copies(qdir)).hasSize(1);
      assertThat(s.quarantineDeletedFiles()).isEqualTo(1);
      assertThat(s.quarantineDeletedBytes()).isEqualTo(3);
      assertThat(s.quarantineFiles()).isEqualTo(1);
      assertThat(s.quarantineBytes()).isEqualTo(bytesOf(copies(qdir)));
    }
  }

  @Test
  void theWriterCountsDeletionsInMetricsAndRaisesOneEventPerSweep() throws Exception {
    Path qdir = Files.createDirectories(spoolDir.resolve("quarantine"));
    Instant now = Instant.now();
    for (int i = 1; i <= 3; i++) {
      Path f = qdir.resolve(String.format("seg%020d-at0-%db-0000000%d.damaged", 100L + i, i, i));
      Files.write(f, new byte[i]);
      Files.setLastModifiedTime(f, FileTime.from(now.minus(Duration.ofDays(40 - i))));
    }
    List<HepaEvent> events = new ArrayList<>();
    TelemetryMetrics metrics = TelemetryMetrics.standalone();
    TelemetryWriter w =
        TelemetryWriter.withSink(
            null,
            spoolDir,
            TelemetryWriter.Options.defaults()
                .withQuarantineRetention(new QuarantineRetention(MIB, Duration.ofDays(30))),
            metrics,
            events::add);
    try {
      MeterRegistry r = metrics.registry();
      assertThat(
              r.get("hepaloop.telemetry.spool.quarantine.deleted.files").functionCounter().count())
          .isEqualTo(2);
      assertThat(
              r.get("hepaloop.telemetry.spool.quarantine.deleted.bytes").functionCounter().count())
          .isEqualTo(1 + 2);
      assertThat(r.get("hepaloop.telemetry.spool.quarantine.files").gauge().value()).isEqualTo(1);
      assertThat(r.get("hepaloop.telemetry.spool.quarantine.bytes").gauge().value()).isEqualTo(3);
      assertThat(events)
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.type()).isEqualTo("telemetry");
                assertThat(e.source()).isEqualTo("spool");
                assertThat(e.severity()).isEqualTo("warning");
                assertThat(e.message()).contains("deleted the 2 oldest copies");
              });
      assertThat(copies(qdir)).hasSize(1);
    } finally {
      w.close(Duration.ofSeconds(1));
    }
  }

  @Test
  void configurationFromTheEnvironmentNamesTheVariableThatIsWrong() {
    assertThat(QuarantineRetention.fromEnv(Map.of())).isEqualTo(QuarantineRetention.defaults());
    assertThat(QuarantineRetention.defaults().maxBytes()).isEqualTo(256 * MIB);
    assertThat(QuarantineRetention.defaults().maxAge()).isEqualTo(Duration.ofDays(30));
    assertThat(
            QuarantineRetention.fromEnv(
                Map.of(
                    "HEPALOOP_SPOOL_QUARANTINE_MAX_MIB",
                    "64",
                    "HEPALOOP_SPOOL_QUARANTINE_MAX_DAYS",
                    "7")))
        .isEqualTo(new QuarantineRetention(64 * MIB, Duration.ofDays(7)));
    assertThatThrownBy(
            () -> QuarantineRetention.fromEnv(Map.of("HEPALOOP_SPOOL_QUARANTINE_MAX_MIB", "1G")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("HEPALOOP_SPOOL_QUARANTINE_MAX_MIB")
        .hasMessageContaining("'1G'");
    assertThatThrownBy(
            () -> QuarantineRetention.fromEnv(Map.of("HEPALOOP_SPOOL_QUARANTINE_MAX_DAYS", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("HEPALOOP_SPOOL_QUARANTINE_MAX_DAYS");
  }
}
