package io.hepaloop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
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
        s.commit(e.next(), 1, e.points());
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
    Path seg;
    try (Stream<Path> f = Files.list(dir)) {
      seg = f.filter(x -> x.toString().endsWith(".seg")).findFirst().orElseThrow();
    }
    try (RandomAccessFile raf = new RandomAccessFile(seg.toFile(), "rw")) {
      raf.seek(Spool.HEADER_BYTES + 3);
      raf.write('X');
    }
    try (Spool s = new Spool(dir, 1 << 30, 1 << 20)) {
      assertThat(readAll(s)).containsExactlyElementsOf(lines(5, 5));
      assertThat(dir.resolve("corrupt.lp")).exists();
    }
  }

  @Test
  void theSpoolRefusesToGrowBeyondItsBound() throws Exception {
    try (Spool s = new Spool(dir, 1000, 1 << 20)) {
      s.append(lines(0, 10));
      assertThatThrownBy(() -> {
        for (int i = 0; i < 100; i++) {
          s.append(lines(0, 10));
        }
      }).isInstanceOf(Spool.SpoolFullException.class);
      assertThat(s.pendingBytes()).isLessThanOrEqualTo(1000);
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> l = new ArrayList<>(a);
    l.addAll(b);
    return l;
  }
}
