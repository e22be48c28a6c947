package io.hepaloop.telemetry;

import static io.hepaloop.telemetry.SpoolTest.overwrite;
import static io.hepaloop.telemetry.SpoolTest.recordOffsets;
import static io.hepaloop.telemetry.SpoolTest.segments;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The corruption corpus: points written through the spool, its files damaged in each way a user has
 * met or a disk can produce, then recovered and delivered to a real influxd and read back with
 * influxdb-java. Every undamaged point must be stored, sent exactly once; every damaged one must be
 * quarantined and counted; written = delivered before + delivered + quarantined + cut (torn, never
 * acknowledged). Prints one {@code CORPUS} line per case.
 */
class SpoolCorruptionCorpusIT {
  private static final int BATCHES = 120;
  private static final int POINTS_PER_BATCH = 50;
  private static final int WRITTEN = BATCHES * POINTS_PER_BATCH;
  private static final long SEGMENT_BYTES = 32 * 1024;
  private static final long T0 = LineBuilder.epochNanos(Instant.now().minusSeconds(3600));
  private static LocalInfluxd influxd;
  private static final List<String> FIGURES = new ArrayList<>();
  @TempDir Path dir;

  @BeforeAll
  static void startInfluxd() {
    influxd = LocalInfluxd.launch();
  }

  @AfterAll
  static void stopInfluxd() {
    if (influxd != null) {
      influxd.close();
    }
    System.out.println(
        "CORPUS figures (points; " + WRITTEN + " written per case in " + BATCHES + " batches):");
    FIGURES.forEach(System.out::println);
  }

  /** What the damage should cost, by point sequence number. */
  private static final class Expected {
    final Set<Integer> quarantined = new HashSet<>();
    final Set<Integer> torn = new HashSet<>();
    final Set<Integer> deliveredBefore = new HashSet<>();
  }

  private interface Damage {
    void apply(Path spool, Expected expected) throws Exception;
  }

  private static String line(int i) {
    return "corpus,reactor=r1 seq=" + i + "i " + (T0 + i * 1000L);
  }

  /** Record k (global index over all segments) → its point numbers. */
  private static Set<Integer> batch(int k) {
    Set<Integer> s = new HashSet<>();
    for (int i = k * POINTS_PER_BATCH; i < (k + 1) * POINTS_PER_BATCH; i++) {
      s.add(i);
    }
    return s;
  }

  private static int recordsBefore(List<Path> segs, int segIndex) throws Exception {
    int n = 0;
    for (Path p : segs.subList(0, segIndex)) {
      n += recordOffsets(p).size();
    }
    return n;
  }

  private void run(String name, Damage damage) throws Exception {
    Path spool = dir.resolve(name);
    try (Spool s = new Spool(spool, 1L << 30, SEGMENT_BYTES)) {
      for (int b = 0; b < BATCHES; b++) {
        List<String> lines = new ArrayList<>();
        for (int i = b * POINTS_PER_BATCH; i < (b + 1) * POINTS_PER_BATCH; i++) {
          lines.add(line(i));
        }
        s.append(lines);
      }
    }
    assertThat(segments(spool)).as("several segments").hasSizeGreaterThan(4);
    Expected expected = new Expected();
    InfluxConfig cfg = InfluxConfig.local(influxd.url(), "corpus_" + name);
    InfluxHttp http = new InfluxHttp(cfg, Duration.ofSeconds(10));
    InfluxSchemaSetup.ensure(http);
    damage.apply(spool, expected);

    TelemetryWriter w =
        new TelemetryWriter(
                http,
                spool,
                TelemetryWriter.Options.defaults().withSpool(1L << 30, SEGMENT_BYTES),
                TelemetryMetrics.standalone(),
                null)
            .start();
    long waiting = w.spoolPendingPoints();
    assertThat(w.flush(Duration.ofSeconds(120)))
        .as(name + ": everything readable delivered")
        .isTrue();
    w.close();
    Spool s = w.spool();

    Set<Integer> stored = new TreeSet<>();
    try (InfluxQueries q = new InfluxQueries(influxd.url(), cfg.database())) {
      for (List<Object> row : q.rows("SELECT seq FROM corpus")) {
        stored.add(((Number) row.get(1)).intValue());
      }
    }
    Set<Integer> undamaged = new TreeSet<>();
    for (int i = 0; i < WRITTEN; i++) {
      if (!expected.quarantined.contains(i) && !expected.torn.contains(i)) {
        undamaged.add(i);
      }
    }
    long deliveredNow = w.delivered();
    FIGURES.add(
        String.format(
            "CORPUS case=%-20s written=%d delivered_before=%d delivered=%d quarantined=%d (%d records, %d bytes) torn_cut=%d",
            name,
            WRITTEN,
            expected.deliveredBefore.size(),
            deliveredNow,
            s.quarantinedPoints(),
            s.quarantinedRecords(),
            s.quarantinedBytes(),
            s.tornPoints()));

    assertThat(stored)
        .as(name + ": every undamaged point in InfluxDB, no damaged one")
        .isEqualTo(undamaged);
    assertThat(deliveredNow)
        .as(name + ": each sent once")
        .isEqualTo(undamaged.size() - expected.deliveredBefore.size());
    assertThat(waiting)
        .as(name + ": points counted as waiting are the readable ones")
        .isEqualTo(deliveredNow);
    assertThat(s.quarantinedPoints())
        .as(name + ": quarantined points counted")
        .isEqualTo(expected.quarantined.size());
    assertThat(s.tornPoints()).as(name + ": torn points counted").isEqualTo(expected.torn.size());
    assertThat(
            expected.deliveredBefore.size() + deliveredNow + s.quarantinedPoints() + s.tornPoints())
        .as(name + ": counts add up")
        .isEqualTo(WRITTEN);
    if (!expected.quarantined.isEmpty()) {
      assertThat(s.quarantinedBytes()).isPositive();
      assertThat(spool.resolve("quarantine")).isNotEmptyDirectory();
    }
  }

  @Test
  void fourBytesChangedInARecordHeaderOfTheLastSegment() throws Exception {
    run(
        "header_last_segment",
        (spool, e) -> {
          List<Path> segs = segments(spool);
          int last = segs.size() - 1;
          List<Long> offsets = recordOffsets(segs.get(last));
          assertThat(offsets).hasSizeGreaterThan(3);
          overwrite(
              segs.get(last),
              offsets.get(1) + 4,
              new byte[] {0x00, 0x01, 0x02, 0x03}); // its length
          e.quarantined.addAll(batch(recordsBefore(segs, last) + 1));
        });
  }

  @Test
  void aDamagedHeaderInAnOlderSegment() throws Exception {
    run(
        "header_older_segment",
        (spool, e) -> {
          List<Path> segs = segments(spool);
          List<Long> offsets = recordOffsets(segs.get(1));
          overwrite(
              segs.get(1),
              offsets.get(2) + 8,
              new byte[] {0x7f, 0x7f, 0x7f, 0x7f}); // its point count
          e.quarantined.addAll(batch(recordsBefore(segs, 1) + 2));
        });
  }

  @Test
  void aCursorPastTheEndOfItsFile() throws Exception {
    run(
        "cursor_past_eof",
        (spool, e) -> {
          // deliver the first 25 batches for real, as the sender would, then move the cursor past
          // the end of its file
          InfluxHttp http =
              new InfluxHttp(
                  InfluxConfig.local(influxd.url(), "corpus_cursor_past_eof"),
                  Duration.ofSeconds(10));
          try (Spool s = new Spool(spool, 1L << 30, SEGMENT_BYTES)) {
            Spool.Position p = s.committed();
            for (int k = 0; k < 25; k++) {
              Spool.Entry entry = s.read(p).orElseThrow();
              assertThat(http.write(entry.payload()).ok()).isTrue();
              s.commit(entry);
              p = entry.next();
              e.deliveredBefore.addAll(batch(k));
            }
          }
          String[] cursor = Files.readString(spool.resolve("cursor")).trim().split(" ");
          Path seg = spool.resolve(String.format("%020d.seg", Long.parseLong(cursor[0])));
          Files.writeString(
              spool.resolve("cursor"),
              cursor[0]
                  + " "
                  + (Files.size(seg) + 12_345)
                  + " "
                  + cursor[2]
                  + " "
                  + cursor[3]
                  + "\n");
        });
  }

  @Test
  void strayFilesInTheSpoolDirectory() throws Exception {
    run(
        "stray_files",
        (spool, e) -> {
          Files.writeString(
              spool.resolve("notes.seg"), "perfusion run 12: swap the pO2 probe on day 9\n");
          Files.writeString(spool.resolve("x.txt"), "x\n");
        });
    assertThat(dir.resolve("stray_files").resolve("notes.seg")).exists();
  }

  @Test
  void fourKibZeroedInTheMiddleOfASegment() throws Exception {
    run(
        "zeroed_4kib",
        (spool, e) -> {
          List<Path> segs = segments(spool);
          int mid = segs.size() / 2;
          Path seg = segs.get(mid);
          long size = Files.size(seg);
          long from = size / 2 - 2048;
          long to = from + 4096;
          List<Long> starts = recordOffsets(seg);
          int first = recordsBefore(segs, mid);
          for (int k = 0; k < starts.size(); k++) {
            long end = k + 1 < starts.size() ? starts.get(k + 1) : size;
            if (starts.get(k) < to && end > from) {
              e.quarantined.addAll(batch(first + k));
            }
          }
          overwrite(seg, from, new byte[4096]);
        });
  }

  @Test
  void aGenuinelyTornTail() throws Exception {
    run(
        "torn_tail",
        (spool, e) -> {
          List<Path> segs = segments(spool);
          int last = segs.size() - 1;
          Path seg = segs.get(last);
          List<Long> offsets = recordOffsets(seg);
          long lastStart = offsets.get(offsets.size() - 1);
          try (RandomAccessFile raf = new RandomAccessFile(seg.toFile(), "rw")) {
            raf.setLength(
                lastStart
                    + Spool.HEADER_BYTES
                    + 700); // the crash came in the middle of the payload
          }
          e.torn.addAll(batch(recordsBefore(segs, last) + offsets.size() - 1));
        });
  }
}
