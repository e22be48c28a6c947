package io.hepaloop.telemetry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/**
 * Where the spool puts bytes it cannot read: {@code
 * <spool>/quarantine/seg<segment>-at<offset>-<bytes>b-<crc>.damaged}, one file per damaged stretch,
 * a byte-for-byte copy, fsynced before recovery goes on. Nothing the spool made durable is deleted
 * without such a copy; the files are evidence and are never removed by HepaLoop (their total is in
 * {@code hepaloop_telemetry_spool_quarantined_bytes_total}).
 *
 * <p>The name depends on the content, so finding the same damage again (a restart before the
 * segment was delivered and deleted) does not copy or count it twice.
 */
final class SpoolQuarantine {
  private static final int COPY_CHUNK_BYTES = 1024 * 1024;
  private final Path dir;
  final AtomicLong bytes = new AtomicLong();
  final AtomicLong regions = new AtomicLong();
  final AtomicLong records = new AtomicLong();
  final AtomicLong points = new AtomicLong();

  /** Result of a copy: the file, whether it was new, and the lines counted in it (an estimate). */
  record Copy(Path file, boolean isNew, long estimatedLines) {}

  SpoolQuarantine(Path spoolDir) {
    this.dir = spoolDir.resolve("quarantine");
  }

  Path directory() {
    return dir;
  }

  /**
   * Copies {@code [from, to)} of segment {@code seq}, fsyncs it and counts its bytes (once per
   * distinct stretch).
   */
  Copy copy(FileChannel ch, long seq, long from, long to) throws IOException {
    OwnerOnly.directory(dir);
    Path tmp = dir.resolve("copy.tmp");
    CRC32C crc = new CRC32C();
    SpoolFormat.LineEstimate lines = new SpoolFormat.LineEstimate();
    Files.deleteIfExists(tmp);
    try (FileChannel out =
        FileChannel.open(
            tmp,
            java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            OwnerOnly.fileAttributes(tmp))) {
      byte[] buf = new byte[(int) Math.min(COPY_CHUNK_BYTES, to - from)];
      for (long at = from; at < to; ) {
        int n = (int) Math.min(buf.length, to - at);
        SpoolFormat.readFully(ch, ByteBuffer.wrap(buf, 0, n), at);
        crc.update(buf, 0, n);
        // the stretch starts where a record header should be: its bytes are not lines
        int headerLeft = (int) Math.max(0, Math.min(n, from + SpoolFormat.HEADER_BYTES - at));
        lines.update(buf, headerLeft, n - headerLeft);
        ByteBuffer w = ByteBuffer.wrap(buf, 0, n);
        while (w.hasRemaining()) {
          out.write(w);
        }
        at += n;
      }
      out.force(true);
    }
    Path file =
        dir.resolve(
            String.format(
                "seg%020d-at%d-%db-%08x.damaged", seq, from, to - from, (int) crc.getValue()));
    if (Files.exists(file) && Files.size(file) == to - from) {
      Files.delete(tmp); // the same stretch was quarantined by an earlier start
      return new Copy(file, false, lines.lines());
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    bytes.addAndGet(to - from);
    regions.incrementAndGet();
    return new Copy(file, true, lines.lines());
  }

  /**
   * Counts the records and points a damaged stretch held (known once the next intact header is
   * read).
   */
  void count(long lostRecords, long lostPoints) {
    records.addAndGet(lostRecords);
    points.addAndGet(lostPoints);
  }
}
