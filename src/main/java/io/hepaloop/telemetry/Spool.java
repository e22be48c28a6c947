package io.hepaloop.telemetry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable, bounded, append-only spool of line-protocol batches: the write-ahead log between HepaLoop
 * and InfluxDB. Every batch is appended here and fsynced before it counts as acknowledged; the sender
 * reads records in order and {@link #commit commits} a position once InfluxDB has taken everything
 * before it. A crash (kill -9) therefore loses nothing acknowledged: on open, records after the
 * committed cursor are replayed.
 *
 * <p>Layout: {@code <dir>/<seq>.seg} segment files of records {@code [int length][int crc32c][int points][payload]},
 * payload = UTF-8 lines joined by '\n'; {@code <dir>/cursor} holds {@code "seq offset"} (written to a
 * temporary file, fsynced, renamed). A torn record at the end of the last segment (crash in the middle
 * of an append, never acknowledged) is truncated on open; a record failing its CRC elsewhere is moved
 * to {@code corrupt.lp} and skipped. Segments wholly before the cursor are deleted.
 *
 * <p>Thread-safety: one appender thread and one reader thread may work at the same time.
 */
public final class Spool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
  static final int HEADER_BYTES = 12;
  private static final int MAX_RECORD_BYTES = 256 * 1024 * 1024;

  /** A position in the spool: segment sequence number and byte offset in it. */
  public record Position(long segment, long offset) implements Comparable<Position> {
    @Override
    public int compareTo(Position o) {
      return segment != o.segment ? Long.compare(segment, o.segment) : Long.compare(offset, o.offset);
    }
  }

  /** One record: its payload, point count, where it starts and where the next one starts. */
  public record Entry(Position start, Position next, byte[] payload, int points) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  /** Thrown by {@link #append} when the spool has reached its bound; the caller counts the points as dropped. */
  public static final class SpoolFullException extends IOException {
    public SpoolFullException(String message) {
      super(message);
    }
  }

  private final Path dir;
  private final long maxBytes;
  private final long segmentBytes;
  /** segment seq → size in bytes (of complete records). Guarded by this. */
  private final TreeMap<Long, Long> segments = new TreeMap<>();
  private FileChannel active;
  private long activeSeq;
  private Position committed;
  private long pendingPoints;
  private long pendingRecords;
  // reader's open channel
  private FileChannel readChannel;
  private static final long CURSOR_PERSIST_NANOS = 250_000_000L;
  private volatile long cursorPersistedAt;
  private final java.util.Set<Position> corruptSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private long readSeq = -1;

  /**
   * @param maxBytes bound on the bytes held (pending records); {@link #append} refuses beyond it
   * @param segmentBytes size at which a new segment file is started
   */
  public Spool(Path dir, long maxBytes, long segmentBytes) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    try {
      Files.createDirectories(dir);
      open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open spool " + dir, e);
    }
  }

  private void open() throws IOException {
    committed = readCursor();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".seg")).toList()) {
        String n = p.getFileName().toString();
        segments.put(Long.parseLong(n.substring(0, n.length() - 4)), Files.size(p));
      }
    }
    // drop segments wholly before the cursor
    for (Long seq : new ArrayList<>(segments.headMap(committed.segment()).keySet())) {
      Files.deleteIfExists(segmentPath(seq));
      segments.remove(seq);
    }
    // validate every pending record; truncate a torn tail on the last segment
    for (Long seq : new ArrayList<>(segments.keySet())) {
      long start = seq == committed.segment() ? committed.offset() : 0;
      scanSegment(seq, start, seq.equals(segments.lastKey()));
    }
    activeSeq = segments.isEmpty() ? Math.max(1, committed.segment()) : segments.lastKey();
    if (segments.isEmpty() && committed.segment() < activeSeq) {
      committed = new Position(activeSeq, 0);
    }
    if (segments.isEmpty() && committed.offset() > 0) {
      // the cursor points into a segment that was deleted after being fully sent
      activeSeq = committed.segment() + 1;
      committed = new Position(activeSeq, 0);
      writeCursor(committed);
    }
    openActive();
    if (pendingRecords > 0) {
      LOG.info("spool {}: {} points in {} batches pending from before, will be replayed in order", dir, pendingPoints, pendingRecords);
    }
  }

  private void scanSegment(long seq, long start, boolean last) throws IOException {
    Path p = segmentPath(seq);
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      long pos = start;
      while (pos < size) {
        RecordRead r = readRecord(ch, pos, size);
        if (r == null) {
          if (last) {
            LOG.warn("spool {}: truncating a torn record at the end of {} (offset {}; it was never acknowledged)", dir, p.getFileName(), pos);
            ch.truncate(pos);
            ch.force(true);
            size = pos;
          } else {
            LOG.error("spool {}: unreadable data in {} at offset {}; the rest of this segment is skipped", dir, p.getFileName(), pos);
            size = pos;
          }
          break;
        }
        if (!r.crcOk) {
          quarantineCorrupt(seq, pos, r.payload);
          corruptSeen.add(new Position(seq, pos));
        } else {
          pendingPoints += r.points;
          pendingRecords++;
        }
        pos = r.next;
      }
      segments.put(seq, size);
    }
  }

  private record RecordRead(byte[] payload, int points, long next, boolean crcOk) {}

  /** Reads a record at {@code pos}, or null when it is incomplete (torn). */
  private static RecordRead readRecord(FileChannel ch, long pos, long limit) throws IOException {
    if (limit - pos < HEADER_BYTES) {
      return null;
    }
    ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES);
    readFully(ch, h, pos);
    h.flip();
    int len = h.getInt();
    int crc = h.getInt();
    int points = h.getInt();
    if (len < 0 || len > MAX_RECORD_BYTES || points < 0 || limit - pos - HEADER_BYTES < len) {
      return null;
    }
    ByteBuffer body = ByteBuffer.allocate(len);
    readFully(ch, body, pos + HEADER_BYTES);
    byte[] payload = body.array();
    CRC32C c = new CRC32C();
    c.update(payload);
    return new RecordRead(payload, points, pos + HEADER_BYTES + len, (int) c.getValue() == crc);
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      int n = ch.read(b, pos + b.position());
      if (n < 0) {
        throw new IOException("unexpected end of spool segment");
      }
    }
  }

  private void quarantineCorrupt(long seq, long pos, byte[] payload) throws IOException {
    LOG.error("spool {}: record at {}:{} fails its CRC; moved to corrupt.lp and skipped", dir, seq, pos);
    Files.write(dir.resolve("corrupt.lp"), payload, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private void openActive() throws IOException {
    Path p = segmentPath(activeSeq);
    boolean created = !Files.exists(p);
    active = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    active.position(segments.getOrDefault(activeSeq, 0L));
    segments.putIfAbsent(activeSeq, 0L);
    if (created) {
      fsyncDir();
    }
  }

  private void fsyncDir() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // not supported on every OS; the data files themselves are fsynced
    }
  }

  /**
   * Appends one batch and fsyncs it. When this returns, the batch is acknowledged: it survives a crash.
   *
   * @throws SpoolFullException when the spool is at its bound (nothing written)
   */
  public synchronized void append(List<String> lines) throws IOException {
    StringBuilder sb = new StringBuilder(lines.size() * 120);
    for (int i = 0; i < lines.size(); i++) {
      if (i > 0) {
        sb.append('\n');
      }
      sb.append(lines.get(i));
    }
    append(sb.toString().getBytes(StandardCharsets.UTF_8), lines.size());
  }

  public synchronized void append(byte[] payload, int points) throws IOException {
    if (pendingBytes() + payload.length + HEADER_BYTES > maxBytes) {
      throw new SpoolFullException("spool " + dir + " is full (" + pendingBytes() + " of " + maxBytes + " bytes)");
    }
    if (segments.get(activeSeq) >= segmentBytes) {
      active.close();
      activeSeq++;
      openActive();
    }
    CRC32C c = new CRC32C();
    c.update(payload);
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + payload.length);
    b.putInt(payload.length).putInt((int) c.getValue()).putInt(points).put(payload).flip();
    long pos = segments.get(activeSeq);
    while (b.hasRemaining()) {
      active.write(b, pos + b.position());
    }
    active.force(false);
    segments.put(activeSeq, pos + HEADER_BYTES + payload.length);
    pendingPoints += points;
    pendingRecords++;
  }

  /** The committed cursor: everything before it has been delivered (or quarantined). */
  public synchronized Position committed() {
    return committed;
  }

  /** The record at or after {@code from}, if one has been appended. Called by the reader thread only. */
  public Optional<Entry> read(Position from) throws IOException {
    Position p = from;
    while (true) {
      long size;
      Long nextSeq;
      synchronized (this) {
        Long s = segments.get(p.segment());
        if (s == null) {
          Long higher = segments.higherKey(p.segment());
          if (higher == null) {
            return Optional.empty();
          }
          p = new Position(higher, 0);
          continue;
        }
        size = s;
        nextSeq = segments.higherKey(p.segment());
      }
      if (p.offset() >= size) {
        if (nextSeq == null) {
          return Optional.empty();
        }
        p = new Position(nextSeq, 0);
        continue;
      }
      FileChannel ch = readChannel(p.segment());
      RecordRead r = readRecord(ch, p.offset(), size);
      if (r == null) {
        throw new IOException("spool record at " + p + " is incomplete although acknowledged");
      }
      Position next = new Position(p.segment(), r.next);
      if (!r.crcOk) {
        // never counted as pending (a CRC failure found at open) or counted once: keep the counters honest
        if (corruptSeen.add(p)) {
          quarantineCorrupt(p.segment(), p.offset(), r.payload);
        }
        p = next;
        continue;
      }
      return Optional.of(new Entry(p, next, r.payload, r.points));
    }
  }

  private FileChannel readChannel(long seq) throws IOException {
    if (readSeq != seq || readChannel == null || !readChannel.isOpen()) {
      if (readChannel != null) {
        readChannel.close();
      }
      readChannel = FileChannel.open(segmentPath(seq), StandardOpenOption.READ);
      readSeq = seq;
    }
    return readChannel;
  }

  /**
   * Records that everything before {@code next} was delivered: persists the cursor and deletes
   * segments that are wholly delivered.
   */
  public void commit(Position next, long records, long points) throws IOException {
    List<Long> toDelete;
    synchronized (this) {
      if (next.compareTo(committed) <= 0) {
        return;
      }
      committed = next;
      pendingRecords -= records;
      pendingPoints -= points;
      toDelete = new ArrayList<>(segments.headMap(next.segment()).keySet());
      for (Long seq : toDelete) {
        segments.remove(seq);
      }
    }
    // The cursor is persisted at most every CURSOR_PERSIST_NANOS (and always before a segment is
    // deleted): a crash in between only re-delivers batches InfluxDB already has, which overwrite
    // themselves (same series, same time). An fsync per delivered batch halved throughput.
    long now = System.nanoTime();
    if (!toDelete.isEmpty() || now - cursorPersistedAt >= CURSOR_PERSIST_NANOS || pendingRecords() == 0) {
      cursorPersistedAt = now;
      writeCursor(next);
    }
    for (Long seq : toDelete) {
      if (seq == readSeq && readChannel != null) {
        readChannel.close();
        readChannel = null;
      }
      Files.deleteIfExists(segmentPath(seq));
    }
  }

  public synchronized long pendingPoints() {
    return pendingPoints;
  }

  public synchronized long pendingRecords() {
    return pendingRecords;
  }

  /** Bytes on disk not yet delivered. */
  public synchronized long pendingBytes() {
    long total = 0;
    for (var e : segments.entrySet()) {
      total += e.getValue();
      if (e.getKey() == committed.segment()) {
        total -= committed.offset();
      }
    }
    return Math.max(0, total);
  }

  public long maxBytes() {
    return maxBytes;
  }

  public Path directory() {
    return dir;
  }

  private Path segmentPath(long seq) {
    return dir.resolve(String.format("%020d.seg", seq));
  }

  private Position readCursor() throws IOException {
    Path c = dir.resolve("cursor");
    if (!Files.exists(c)) {
      return new Position(1, 0);
    }
    try {
      String[] parts = Files.readString(c).trim().split("\\s+");
      return new Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    } catch (RuntimeException unreadable) {
      // replaying from the oldest segment is safe: InfluxDB overwrites points it already has
      LOG.warn("spool {}: cursor unreadable ({}); replaying every segment", dir, unreadable.toString());
      return new Position(0, 0);
    }
  }

  private void writeCursor(Position p) throws IOException {
    Path tmp = dir.resolve("cursor.tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap((p.segment() + " " + p.offset() + "\n").getBytes(StandardCharsets.US_ASCII)));
      ch.force(false);
    }
    try {
      Files.move(tmp, dir.resolve("cursor"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dir.resolve("cursor"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    writeCursor(committed);
    if (active != null) {
      active.close();
    }
    if (readChannel != null) {
      readChannel.close();
    }
  }
}
