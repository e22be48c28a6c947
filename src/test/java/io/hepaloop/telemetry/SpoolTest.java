package io.hepaloop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {
  @TempDir Path dir;

  private static List<String> lines(int from, int n) {
    List<String> l = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      l.add("m,reactor=r1 seq=" + i + "i " + i);
    }
    return l;
  }

  private static List<String> readAll(Spool s) throws Exception {
    List<String> out = new ArrayList<>();
    Spool.Position p = s.committed();
    Optional<Spool.Entry> e;
    while ((e = s.read(p)).isPresent()) {
      out.addAll(List.of(e.get().text().split("\n")));
      p = e.get().next();
    }
    return out;
  }

  @Test
  void recordsAreReadBackInOrderAcrossSegmentsAndSurviveAReopen() throws Exception {
    try (Spool s = new Spool(dir, 1 << 30, 1000)) {
      for (int i = 0; i < 20; i++) {
        s.append(lines(i * 10, 10));
      }
      assertThat(s.pendingPoints()).isEqualTo(200);
    }
    try (Spool s = new Spool(dir, 1 << 30, 1000)) {
      assertThat(s.pendingPoints()).isEqualTo(200);
      assertThat(readAll(s)).containsExactlyElementsOf(lines(0, 200));
    }
  }

  @Test
  void committedRecordsAreNotReplayedAndTheirSegmentsAreDeleted() throws Exception {
    try (Spool s = new Spool(dir, 1 << 30, 500)) {
      for (int i = 0; i < 10; i++) {
        s.append(lines(i * 10, 10));
      }
      Spool.Position p = s.committed();
      for (int i = 0; i < 6; i++) {
        Spool.Entry e = s.read(p).orElseThrow();
        s.commit(e);
        p = e.next();
      }
      assertThat(s.pendingPoints()).isEqualTo(40);
    }
    long segments;
    try (Stream<Path> f = Files.list(dir)) {
      segments = f.filter(x -> x.toString().endsWith(".seg")).count();
    }
    try (Spool s = new Spool(dir, 1 << 30, 500)) {
      assertThat(readAll(s)).containsExactlyElementsOf(lines(60, 40));
      assertThat(segments).isLessThan(10);
    }
  }

  @Test
  void aTornRecordAtTheEndIsTruncatedAndAppendingContinues() throws Exception {
    try (Spool s = new Spool(dir, 1 << 30, 1 << 20)) {
      s.append(lines(0, 5));
      s.append(lines(5, 5));
    }
    Path seg;
    try (Stream<Path> f = Files.list(dir)) {
      seg = f.filter(x -> x.toString().endsWith(".seg")).findFirst().orElseThrow();
    }
    try (RandomAccessFile raf = new RandomAccessFile(seg.toFile(), "rw")) {
      raf.setLength(raf.length() - 7); // crash in the middle of the second append
    }
    try (Spool s = new Spool(dir, 1 << 30, 1 << 20)) {
      assertThat(s.pendingPoints()).isEqualTo(5);
      assertThat(s.tornPoints())
          .as("the interrupted append's points, never acknowledged")
          .isEqualTo(5);
      assertThat(s.quarantinedBytes()).isZero();
      s.append(lines(100, 2));
      assertThat(readAll(s)).containsExactlyElementsOf(concat(lines(0, 5), lines(100, 2)));
    }
  }

  @Test
  void aRecordFailingItsCrcIsSkippedAndKeptAside() throws Exception {
    try (Spool s = new Spool(dir, 1 << 30, 1 << 20)) {
      s.append(lines(0, 5));
      s.append(lines(5, 5));
    }
    Path seg = segments(dir).get(0);
    try (RandomAccessFile raf = new RandomAccessFile(seg.toFile(), "rw")) {
      raf.seek(Spool.HEADER_BYTES + 3);
      raf.write('X');
    }
    try (Spool s = new Spool(dir, 1 << 30, 1 << 20)) {
      assertThat(readAll(s)).containsExactlyElementsOf(lines(5, 5));
      assertThat(s.pendingPoints()).isEqualTo(5);
      assertThat(s.quarantinedPoints()).isEqualTo(5);
      assertThat(s.quarantinedRecords()).isEqualTo(1);
      assertThat(quarantined(dir))
          .singleElement()
          .satisfies(
              q -> assertThat(Files.readString(q, StandardCharsets.ISO_8859_1)).contains("seq=0i"));
    }
  }

  @Test
  void theSpoolRefusesToGrowBeyondItsBound() throws Exception {
    try (Spool s = new Spool(dir, 1000, 1 << 20)) {
      s.append(lines(0, 10));
      assertThatThrownBy(
              () -> {
                for (int i = 0; i < 100; i++) {
                  s.append(lines(0, 10));
                }
              })
          .isInstanceOf(Spool.SpoolFullException.class);
      assertThat(s.pendingBytes()).isLessThanOrEqualTo(1000);
    }
  }

  /** Segment files in order. */
  static List<Path> segments(Path dir) throws IOException {
    try (Stream<Path> f = Files.list(dir)) {
      return f.filter(x -> x.getFileName().toString().matches("\\d{20}\\.seg")).sorted().toList();
    }
  }

  static List<Path> quarantined(Path dir) throws IOException {
    Path q = dir.resolve("quarantine");
    if (!Files.isDirectory(q)) {
      return List.of();
    }
    try (Stream<Path> f = Files.list(q)) {
      return f.sorted().toList();
    }
  }

  /** Offsets of the records in a segment (all intact). */
  static List<Long> recordOffsets(Path segment) throws IOException {
    List<Long> offsets = new ArrayList<>();
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ)) {
      long pos = 0;
      while (pos < ch.size()) {
        offsets.add(pos);
        pos = SpoolFormat.parse(ch, pos, ch.size()).next();
      }
    }
    return offsets;
  }

  static void overwrite(Path file, long at, byte[] bytes) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(at);
      raf.write(bytes);
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> l = new ArrayList<>(a);
    l.addAll(b);
    return l;
  }
}
