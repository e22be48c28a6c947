package io.hepaloop.telemetry;

import io.hepaloop.time.Clock;
import io.hepaloop.time.SystemClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the spool puts bytes it cannot read: {@code
 * <spool>/quarantine/seg<segment>-at<offset>-<bytes>b-<crc>.damaged}, one file per damaged stretch,
 * a byte-for-byte copy, fsynced before recovery goes on, its file time set to the clock's now.
 * Nothing the spool made durable is deleted without such a copy (the bytes copied are counted in
 * {@code hepaloop_telemetry_spool_quarantined_bytes_total}).
 *
 * <p>The name depends on the content, so finding the same damage again (a restart before the
 * segment was delivered and deleted) does not copy or count it twice.
 *
 * <p>The copies are kept within a {@link QuarantineRetention} ({@link #sweep}): a device or disk
 * that damages the spool every day must not fill the data directory over a long run. A sweep
 * deletes the oldest copies (by file time, then name) while the total is over the cap or while they
 * are older than the age bound. It never deletes the newest copy (the latest evidence), the one
 * just made, a copy whose segment is still in the spool (the next start would find the damage and
 * copy it again; its bytes are bounded by the spool's own bound), or any file not named like a copy
 * (segments are never in this directory, and are not matched either).
 */
final class SpoolQuarantine {
  private static final Logger LOG = LoggerFactory.getLogger(SpoolQuarantine.class);
  private static final int COPY_CHUNK_BYTES = 1024 * 1024;
  private static final Pattern COPY_NAME =
      Pattern.compile("seg(\\d{20})-at\\d+-\\d+b-[0-9a-f]{8}\\.damaged");
  private final Path dir;
  private final QuarantineRetention retention;
  private final Clock clock;
  final AtomicLong bytes = new AtomicLong();
  final AtomicLong regions = new AtomicLong();
  final AtomicLong records = new AtomicLong();
  final AtomicLong points = new AtomicLong();

  /** Copies deleted by sweeps, and their bytes. */
  final AtomicLong deletedFiles = new AtomicLong();

  final AtomicLong deletedBytes = new AtomicLong();

  /** Copies in the directory and their bytes, as the last sweep left them. */
  final AtomicLong heldFiles = new AtomicLong();

  final AtomicLong heldBytes = new AtomicLong();

  /** The copy made last (kept by the sweep that follows it whatever its file time). */
  private volatile Path lastCopied;

  /** Result of a copy: the file, whether it was new, and the lines counted in it (an estimate). */
  record Copy(Path file, boolean isNew, long estimatedLines) {}

  /**
   * What one sweep did.
   *
   * @param deletedFiles copies deleted, oldest first
   * @param deletedBytes their bytes
   * @param keptFiles copies left
   * @param keptBytes their bytes
   * @param keptInUse copies over a bound kept because their segment is still in the spool
   * @param oldestDeleted name of the oldest deleted copy, or null
   * @param newestDeleted name of the newest deleted copy, or null
   */
  record Sweep(
      int deletedFiles,
      long deletedBytes,
      int keptFiles,
      long keptBytes,
      int keptInUse,
      String oldestDeleted,
      String newestDeleted) {}

  private record Held(Path file, long segment, long bytes, FileTime time) {}

  SpoolQuarantine(Path spoolDir) {
    this(spoolDir, QuarantineRetention.defaults(), SystemClock.INSTANCE);
  }

  SpoolQuarantine(Path spoolDir, QuarantineRetention retention, Clock clock) {
    this.dir = spoolDir.resolve("quarantine");
    this.retention = retention;
    this.clock = clock;
  }

  QuarantineRetention retention() {
    return retention;
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
    // the retention's age is the clock's (accelerated in tests), not the file system's
    Files.setLastModifiedTime(file, FileTime.from(clock.now()));
    lastCopied = file;
    bytes.addAndGet(to - from);
    regions.incrementAndGet();
    heldFiles.incrementAndGet();
    heldBytes.addAndGet(to - from);
    return new Copy(file, true, lines.lines());
  }

  /**
   * Deletes the oldest copies until the rest fit the retention (see the class comment); logs once
   * when it deleted any.
   *
   * @param segmentInSpool true for a segment sequence number still in the spool
   */
  synchronized Sweep sweep(LongPredicate segmentInSpool) {
    List<Held> held = list();
    held.sort(
        Comparator.comparing(Held::time).thenComparing(h -> h.file().getFileName().toString()));
    long total = held.stream().mapToLong(Held::bytes).sum();
    Instant oldestKept = clock.now().minus(retention.maxAge());
    Path protectedCopy = lastCopied;
    int deleted = 0;
    long deletedSize = 0;
    int inUse = 0;
    String oldest = null;
    String newest = null;
    for (int i = 0; i < held.size() - 1; i++) { // the newest one (last) is always kept
      Held h = held.get(i);
      boolean overCap = total > retention.maxBytes();
      boolean tooOld = h.time().toInstant().isBefore(oldestKept);
      if ((!overCap && !tooOld) || h.file().equals(protectedCopy)) {
        continue;
      }
      if (segmentInSpool.test(h.segment())) {
        inUse++;
        continue;
      }
      try {
        Files.delete(h.file());
      } catch (NoSuchFileException gone) {
        // deleted by someone else: it no longer counts either way
      } catch (IOException e) {
        LOG.warn("spool quarantine: cannot delete {}: {}", h.file(), e.toString());
        continue;
      }
      total -= h.bytes();
      deleted++;
      deletedSize += h.bytes();
      oldest = oldest == null ? h.file().getFileName().toString() : oldest;
      newest = h.file().getFileName().toString();
    }
    deletedFiles.addAndGet(deleted);
    deletedBytes.addAndGet(deletedSize);
    heldFiles.set(held.size() - deleted);
    heldBytes.set(total);
    Sweep s = new Sweep(deleted, deletedSize, held.size() - deleted, total, inUse, oldest, newest);
    if (deleted > 0) {
      LOG.warn(
          "spool quarantine {}: deleted the {} oldest copies ({} bytes, {} … {}) to keep within {} bytes and {} days; {} copies ({} bytes) kept{}",
          dir,
          deleted,
          deletedSize,
          oldest,
          newest,
          retention.maxBytes(),
          retention.maxAge().toDays(),
          s.keptFiles(),
          total,
          inUse > 0
              ? ", " + inUse + " of them over the bound while their segment is in the spool"
              : "");
    }
    return s;
  }

  /** The copies in the directory (nothing else), with their sizes and file times. */
  private List<Held> list() {
    List<Held> held = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return held;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path p : files) {
        Matcher m = COPY_NAME.matcher(p.getFileName().toString());
        if (!m.matches() || !fitsLong(m.group(1))) {
          continue;
        }
        try {
          BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
          if (a.isRegularFile()) {
            held.add(new Held(p, Long.parseLong(m.group(1)), a.size(), a.lastModifiedTime()));
          }
        } catch (NoSuchFileException gone) {
          // deleted meanwhile
        }
      }
    } catch (IOException e) {
      LOG.warn("spool quarantine: cannot list {}: {}", dir, e.toString());
    }
    return held;
  }

  /**
   * Counts the records and points a damaged stretch held (known once the next intact header is
   * read).
   */
  void count(long lostRecords, long lostPoints) {
    records.addAndGet(lostRecords);
    points.addAndGet(lostPoints);
  }

  private static boolean fitsLong(String digits) {
    try {
      Long.parseLong(digits);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
