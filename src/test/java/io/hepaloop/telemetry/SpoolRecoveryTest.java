package io.hepaloop.telemetry;

import static io.hepaloop.telemetry.SpoolTest.overwrite;
import static io.hepaloop.telemetry.SpoolTest.quarantined;
import static io.hepaloop.telemetry.SpoolTest.recordOffsets;
import static io.hepaloop.telemetry.SpoolTest.segments;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery never destroys what the spool made durable: damage is quarantined and counted, the rest
 * read.
 */
class SpoolRecoveryTest {
  private static final int BATCHES = 40;
  private static final int POINTS_PER_BATCH = 10;
  @TempDir Path dir;

  private static List<String> lines(int from, int n) {
    List<String> l = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      l.add("m,reactor=r1 seq=" + i + "i " + i);
    }
    return l;
  }

  /** 40 batches of 10 points in segments of ~2 KiB (several records each). */
  private void fill() throws Exception {
    try (Spool s = new Spool(dir, 1 << 30, 2048)) {
      for (int b = 0; b < BATCHES; b++) {
        s.append(lines(b * POINTS_PER_BATCH, POINTS_PER_BATCH));
      }
    }
  }

  /** Every point read, by sequence number. */
  private static Set<Integer> readAll(Spool s) throws Exception {
    Set<Integer> seen = new HashSet<>();
    Spool.Position p = s.committed();
    Optional<Spool.Entry> e;
    while ((e = s.read(p)).isPresent()) {
      for (String line : e.get().text().split("\n")) {
        int i = Integer.parseInt(line.substring(line.indexOf("seq=") + 4, line.indexOf("i ")));
        assertThat(seen.add(i)).as("point %d read once", i).isTrue();
      }
      p = e.get().next();
    }
    return seen;
  }

  private static Set<Integer> allBut(Set<Integer> missing) {
    Set<Integer> all = new HashSet<>();
    for (int i = 0; i < BATCHES * POINTS_PER_BATCH; i++) {
      if (!missing.contains(i)) {
        all.add(i);
      }
    }
    return all;
  }

  private static Set<Integer> batch(int b) {
    Set<Integer> s = new HashSet<>();
    for (int i = b * POINTS_PER_BATCH; i < (b + 1) * POINTS_PER_BATCH; i++) {
      s.add(i);
    }
    return s;
  }

  @Test
  void fourBytesChangedInARecordHeaderOfTheLastSegmentQuarantineThatRecordOnly() throws Exception {
    fill();
    List<Path> segs = segments(dir);
    Path last = segs.get(segs.size() - 1);
    List<Long> offsets = recordOffsets(last);
    assertThat(offsets).as("records in the last segment").hasSizeGreaterThanOrEqualTo(3);
    int recordsBefore = 0;
    for (Path p : segs.subList(0, segs.size() - 1)) {
      recordsBefore += recordOffsets(p).size();
    }
    overwrite(last, offsets.get(1) + 4, new byte[] {0, 0, 0x7f, 0x11}); // the length field
    try (Spool s = new Spool(dir, 1 << 30, 2048)) {
      assertThat(readAll(s)).isEqualTo(allBut(batch(recordsBefore + 1)));
      assertThat(s.quarantinedRecords()).isEqualTo(1);
      assertThat(s.quarantinedPoints()).isEqualTo(POINTS_PER_BATCH);
      assertThat(s.pendingPoints()).isEqualTo(BATCHES * POINTS_PER_BATCH - POINTS_PER_BATCH);
      assertThat(s.tornBytes()).as("nothing cut").isZero();
      assertThat(quarantined(dir)).hasSize(1);
    }
  }

  @Test
  void theLastRecordWithADamagedHeaderIsQuarantinedNotCutAndItsPointsEstimated() throws Exception {
    fill();
    List<Path> segs = segments(dir);
    Path last = segs.get(segs.size() - 1);
    List<Long> offsets = recordOffsets(last);
    overwrite(last, offsets.get(offsets.size() - 1) + 2, new byte[] {1, 2, 3, 4});
    long lastSize = Files.size(last);
    try (Spool s = new Spool(dir, 1 << 30, 2048)) {
      assertThat(s.tornBytes()).isZero();
      assertThat(s.quarantinedRecords()).isEqualTo(1);
      assertThat(s.quarantinedPoints())
          .as("no header after it: counted from its lines")
          .isEqualTo(POINTS_PER_BATCH);
      assertThat(s.pendingPoints()).isEqualTo(BATCHES * POINTS_PER_BATCH - POINTS_PER_BATCH);
      s.append(lines(1000, 5));
    }
    assertThat(segments(dir))
        .as("appending goes on in a new segment, the damaged one is kept")
        .hasSize(segs.size() + 1);
    assertThat(Files.size(last)).as("nothing cut from the damaged segment").isEqualTo(lastSize);
    try (Spool s = new Spool(dir, 1 << 30, 2048)) {
      assertThat(s.pendingPoints()).isEqualTo(BATCHES * POINTS_PER_BATCH - POINTS_PER_BATCH + 5);
    }
  }

  @Test
  void aDamagedHeaderInAnOlderSegmentKeepsTheRestOfThatSegment() throws Exception {
    fill();
    Path first = segments(dir).get(0);
    List<Long> offsets = recordOffsets(first);
    overwrite(first, offsets.get(1), "GARBAGE!".getBytes(StandardCharsets.US_ASCII));
    try (Spool s = new Spool(dir, 1 << 30, 2048)) {
      assertThat(readAll(s)).isEqualTo(allBut(batch(1)));
      assertThat(s.quarantinedPoints()).isEqualTo(POINTS_PER_BATCH);
      assertThat(s.quarantinedRecords()).isEqualTo(1);
    }
  }

  @Test
  void zeroedBytesAcrossSeveralRecordsAreQuarantinedAndCountedExactly() throws Exception {
    fill();
    List<Path> segs = segments(dir);
    Path seg = segs.get(2);
    long size = Files.size(seg);
    List<Long> starts = recordOffsets(seg);
    int firstInSeg = recordOffsets(segs.get(0)).size() + recordOffsets(segs.get(1)).size();
    long from = size / 2 - 300;
    long to = from + 600;
    Set<Integer> hit = new HashSet<>();
    for (int k = 0; k < starts.size(); k++) {
      long end = k + 1 < starts.size() ? starts.get(k + 1) : size;
      if (starts.get(k) < to && end > from) {
        hit.addAll(batch(firstInSeg + k));
      }
    }
    assertThat(hit.size())
        .as("the zeroed bytes reach more than one record")
        .isGreaterThan(POINTS_PER_BATCH);
    overwrite(seg, from, new byte[600]);
    try (Spool s = new Spool(dir, 1 << 30, 2048)) {
      assertThat(readAll(s)).isEqualTo(allBut(hit));
      assertThat(s.quarantinedPoints()).isEqualTo(hit.size());
      assertThat(s.pendingPoints() + s.quarantinedPoints()).isEqualTo(BATCHES * POINTS_PER_BATCH);
    }
  }

  @Test
  void theSameDamageFoundAgainAfterARestartIsNotCopiedTwice() throws Exception {
    fill();
    Path first = segments(dir).get(0);
    overwrite(first, recordOffsets(first).get(1) + 8, new byte[] {1, 2, 3, 4});
    try (Spool s = new Spool(dir, 1 << 30, 2048)) {
      assertThat(s.quarantinedStretches()).isEqualTo(1);
    }
    try (Spool s = new Spool(dir, 1 << 30, 2048)) {
      assertThat(s.quarantinedStretches()).as("already in quarantine").isZero();
      assertThat(readAll(s)).isEqualTo(allBut(batch(1)));
    }
    assertThat(quarantined(dir)).hasSize(1);
  }

  @Test
  void aCursorPastTheEndOfItsSegmentMovesBackToTheFirstRecordNotDelivered() throws Exception {
    fill();
    Spool.Position cursor;
    try (Spool s = new Spool(dir, 1 << 30, 2048)) {
      Spool.Position p = s.committed();
      for (int i = 0; i < 7; i++) {
        Spool.Entry e = s.read(p).orElseThrow();
        s.commit(e);
        p = e.next();
      }
      cursor = s.committed();
    }
    String[] c = Files.readString(dir.resolve("cursor")).trim().split(" ");
    assertThat(Long.parseLong(c[0])).isEqualTo(cursor.segment());
    long size = Files.size(dir.resolve(String.format("%020d.seg", cursor.segment())));
    Files.writeString(
        dir.resolve("cursor"),
        cursor.segment() + " " + (size + 5000) + " " + c[2] + " " + c[3] + "\n");
    try (Spool s = new Spool(dir, 1 << 30, 2048)) {
      assertThat(s.cursorRepairs()).isEqualTo(1);
      assertThat(s.pendingPoints()).as("waiting = readable").isEqualTo(33L * POINTS_PER_BATCH);
      Set<Integer> expected = new HashSet<>();
      for (int i = 70; i < 400; i++) {
        expected.add(i);
      }
      assertThat(readAll(s)).isEqualTo(expected);
    }
  }

  @Test
  void aCursorOfAnEarlierVersionPastTheEndReplaysItsSegment() throws Exception {
    fill();
    Path first = segments(dir).get(0);
    Files.writeString(dir.resolve("cursor"), "1 " + (Files.size(first) + 10) + "\n");
    try (Spool s = new Spool(dir, 1 << 30, 2048)) {
      assertThat(s.cursorRepairs()).isEqualTo(1);
      assertThat(s.pendingPoints()).isEqualTo(BATCHES * POINTS_PER_BATCH);
      assertThat(readAll(s)).isEqualTo(allBut(Set.of()));
    }
  }

  @Test
  void aCursorNamingAMissingSegmentIsRepairedWithoutDeletingOlderSegments() throws Exception {
    fill();
    int segs = segments(dir).size();
    Files.writeString(dir.resolve("cursor"), "999 40 0 0\n");
    try (Spool s = new Spool(dir, 1 << 30, 2048)) {
      assertThat(s.cursorRepairs()).isEqualTo(1);
      assertThat(readAll(s)).isEqualTo(allBut(Set.of()));
    }
    assertThat(segments(dir)).hasSizeGreaterThanOrEqualTo(segs);
  }

  @Test
  void filesThatAreNotSegmentsAreLeftAloneAndDoNotStopStartUp() throws Exception {
    fill();
    Files.writeString(dir.resolve("notes.seg"), "remember to calibrate the pO2 probe\n");
    Files.writeString(dir.resolve("x.txt"), "hello\n");
    Files.writeString(dir.resolve("5.seg"), "not ours either\n");
    Files.createDirectory(dir.resolve("old"));
    Files.writeString(dir.resolve("99999999999999999999.seg"), "beyond a long\n");
    try (Spool s = new Spool(dir, 1 << 30, 2048)) {
      assertThat(s.ignoredFiles()).isEqualTo(5);
      assertThat(readAll(s)).isEqualTo(allBut(Set.of()));
      s.append(lines(1000, 3));
    }
    assertThat(Files.readString(dir.resolve("notes.seg"))).startsWith("remember");
    assertThat(dir.resolve("x.txt")).exists();
    assertThat(dir.resolve("5.seg")).exists();
  }

  @Test
  void segmentsOfTheEarlierFormatAreReadAndNewRecordsGoToANewSegment() throws Exception {
    // format 1: [int length][int crc32c][int points][payload]
    ByteBuffer b = ByteBuffer.allocate(4096);
    for (int r = 0; r < 3; r++) {
      byte[] payload = String.join("\n", lines(r * 5, 5)).getBytes(StandardCharsets.UTF_8);
      CRC32C c = new CRC32C();
      c.update(payload);
      b.putInt(payload.length).putInt((int) c.getValue()).putInt(5).put(payload);
    }
    Files.createDirectories(dir);
    Files.write(
        dir.resolve(String.format("%020d.seg", 3)),
        java.util.Arrays.copyOf(b.array(), b.position()));
    Files.writeString(dir.resolve("cursor"), "3 0\n");
    try (Spool s = new Spool(dir, 1 << 30, 1 << 20)) {
      assertThat(s.pendingPoints()).isEqualTo(15);
      s.append(lines(15, 5));
      Set<Integer> expected = new HashSet<>();
      for (int i = 0; i < 20; i++) {
        expected.add(i);
      }
      assertThat(readAll(s)).isEqualTo(expected);
    }
    assertThat(segments(dir))
        .extracting(p -> p.getFileName().toString())
        .containsExactly(String.format("%020d.seg", 3), String.format("%020d.seg", 4));
  }

  @Test
  void aMonthOfRotationLeavesOneSegmentAndNumbersThatKeepCounting() throws Exception {
    // accelerated day 30: hundreds of segments written, delivered and deleted, with restarts
    // between
    long points = 0;
    for (int restart = 0; restart < 3; restart++) {
      try (Spool s = new Spool(dir, 1 << 30, 400)) {
        Spool.Position p = s.committed();
        for (int b = 0; b < 200; b++) {
          s.append(lines(b, 3));
          Spool.Entry e = s.read(p).orElseThrow();
          assertThat(e.firstPoint()).isEqualTo(points);
          s.commit(e);
          p = e.next();
          points += 3;
        }
        assertThat(s.pendingPoints()).isZero();
        assertThat(s.pendingBytes()).isZero();
      }
    }
    assertThat(segments(dir)).as("delivered segments are deleted").hasSize(1);
    assertThat(Long.parseLong(segments(dir).get(0).getFileName().toString().substring(0, 20)))
        .as("segments rotated")
        .isGreaterThan(100);
    assertThat(quarantined(dir)).isEmpty();
  }

  @Test
  void pointSequenceNumbersContinueAcrossRestarts() throws Exception {
    try (Spool s = new Spool(dir, 1 << 30, 2048)) {
      s.append(lines(0, 10));
      Spool.Entry e = s.read(s.committed()).orElseThrow();
      s.commit(e);
    }
    try (Spool s = new Spool(dir, 1 << 30, 2048)) {
      s.append(lines(10, 7));
      Spool.Entry e = s.read(s.committed()).orElseThrow();
      assertThat(e.firstPoint()).isEqualTo(10);
      assertThat(e.recordSeq()).isEqualTo(1);
    }
  }

  @Test
  void damageFoundWhileRunningIsQuarantinedAndTakenOffTheWaitingCount() throws Exception {
    try (Spool s = new Spool(dir, 1 << 30, 1 << 20)) {
      for (int b = 0; b < 5; b++) {
        s.append(lines(b * 10, 10));
      }
      Path seg = segments(dir).get(0);
      overwrite(
          seg, recordOffsets(seg).get(2), new byte[40]); // header of the third record, while open
      Set<Integer> read = readAll(s);
      assertThat(read).hasSize(40).doesNotContain(20, 29);
      assertThat(s.quarantinedPoints()).isEqualTo(10);
      assertThat(s.pendingPoints()).isEqualTo(40);
    }
  }

  @Test
  void spoolFilesAndDirectoriesAreReadableByTheirOwnerOnly() throws Exception {
    fill();
    Path first = segments(dir).get(0);
    overwrite(first, recordOffsets(first).get(1) + 4, new byte[] {9, 9, 9, 9});
    try (Spool s = new Spool(dir, 1 << 30, 2048)) {
      s.append(lines(1000, 1));
    }
    if (!OwnerOnly.posix(dir)) {
      return;
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("quarantine"))))
        .isEqualTo("rwx------");
    List<Path> files = new ArrayList<>(segments(dir));
    files.add(dir.resolve("cursor"));
    files.addAll(quarantined(dir));
    assertThat(files)
        .hasSizeGreaterThan(3)
        .allSatisfy(
            f ->
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
                    .as(f.toString())
                    .isEqualTo("rw-------"));
  }
}
