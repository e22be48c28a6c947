package io.hepaloop.telemetry;

import io.hepaloop.telemetry.SpoolFormat.Header;
import io.hepaloop.telemetry.SpoolFormat.Kind;
import io.hepaloop.telemetry.SpoolFormat.Parsed;
import io.hepaloop.time.Clock;
import io.hepaloop.time.SystemClock;
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
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable, bounded, append-only spool of line-protocol batches: the write-ahead log between
 * HepaLoop and InfluxDB. Every batch is appended here and fsynced before it counts as acknowledged;
 * the sender reads records in order and {@link #commit commits} each once InfluxDB has taken
 * everything before it. A crash (kill -9) therefore loses nothing acknowledged: on open, records
 * after the committed cursor are replayed.
 *
 * <p>Layout: {@code <dir>/<20-digit seq>.seg} segment files of records (format in {@link
 * SpoolFormat}; segments of the earlier format are still read, and never appended to); {@code
 * <dir>/cursor} holds {@code "seq offset nextPoint nextRecord"} (written to a temporary file,
 * fsynced, renamed).
 *
 * <p>Recovery never destroys what was made durable. On open: files that are not segments are left
 * alone with a warning; the cursor is checked against the segments (a cursor naming a missing
 * segment or pointing past the end of one is moved back to the first record not yet delivered,
 * found by point sequence number, with a warning); every pending record is checked. A damaged
 * stretch is copied to {@link SpoolQuarantine quarantine} and skipped, and reading resumes at the
 * next valid header (the sync marker); the records and points it held are counted and logged. The
 * only bytes ever cut are a torn final record of the newest segment: a write that a crash
 * interrupted, which was never acknowledged. Segments wholly before the cursor are deleted.
 * Quarantine copies are kept within a {@link QuarantineRetention}: swept at open and after each
 * copy made while reading (on the opening or the reader thread, never an event loop).
 *
 * <p>Thread-safety: one appender thread and one reader thread may work at the same time.
 */
public final class Spool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
  static final int HEADER_BYTES = SpoolFormat.HEADER_BYTES;
  private static final Pattern SEGMENT_NAME = Pattern.compile("(\\d{20})\\.seg");

  /** Names in the spool directory that are the spool's own and not segments. */
  private static final Set<String> OWN_FILES =
      Set.of("cursor", "cursor.tmp", "quarantine.lp", "corrupt.lp", "quarantine");

  private static final long CURSOR_PERSIST_NANOS = 250_000_000L;

  /** A position in the spool: segment sequence number and byte offset in it. */
  public record Position(long segment, long offset) implements Comparable<Position> {
    @Override
    public int compareTo(Position o) {
      return segment != o.segment
          ? Long.compare(segment, o.segment)
          : Long.compare(offset, o.offset);
    }
  }

  /**
   * One record: its payload, point count, where it starts and where the next one starts.
   *
   * @param firstPoint spool-wide sequence number of its first point; -1 in a segment of the earlier
   *     format
   * @param recordSeq spool-wide sequence number of the record; -1 in a segment of the earlier
   *     format
   */
  public record Entry(
      Position start, Position next, byte[] payload, int points, long firstPoint, long recordSeq) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  /**
   * Thrown by {@link #append} when the spool has reached its bound; the caller counts the points as
   * dropped.
   */
  public static final class SpoolFullException extends IOException {
    public SpoolFullException(String message) {
      super(message);
    }
  }

  /**
   * The cursor file: the first record not yet delivered, and the sequence numbers there (-1:
   * unknown).
   */
  private record Cursor(Position position, long nextPoint, long nextRecord) {}

  private final Path dir;
  private final long maxBytes;
  private final long segmentBytes;
  private final SpoolQuarantine quarantine;
  private final Consumer<SpoolQuarantine.Sweep> swept;

  /** segment seq → size in bytes (of complete records). Guarded by this. */
  private final TreeMap<Long, Long> segments = new TreeMap<>();

  /** Segments written by an earlier version (format 1). Guarded by this. */
  private final Set<Long> legacySegments = new HashSet<>();

  /**
   * Damaged stretches already quarantined, start → end offset in the same segment; read() skips
   * them. Guarded by this.
   */
  private final TreeMap<Position, Long> damaged = new TreeMap<>();

  private FileChannel active;
  private long activeSeq;
  private Position committed;
  private long committedNextPoint = -1;
  private long committedNextRecord = -1;
  private long pendingPoints;
  private long pendingRecords;

  /** Sequence numbers of the next record appended. Guarded by this. */
  private long nextPoint;

  private long nextRecord;
  // reader's open channel and where its next point should start (to count a damaged stretch it
  // meets)
  private FileChannel readChannel;
  private long readSeq = -1;
  private long readerExpectedPoint = -1;
  private long readerExpectedRecord = -1;
  private volatile long cursorPersistedAt;
  private final AtomicLong tornBytes = new AtomicLong();
  private final AtomicLong tornPoints = new AtomicLong();
  private final AtomicLong cursorRepairs = new AtomicLong();
  private final AtomicLong ignoredFiles = new AtomicLong();

  /**
   * @param maxBytes bound on the bytes held (pending records); {@link #append} refuses beyond it
   * @param segmentBytes size at which a new segment file is started
   */
  public Spool(Path dir, long maxBytes, long segmentBytes) {
    this(
        dir, maxBytes, segmentBytes, QuarantineRetention.defaults(), SystemClock.INSTANCE, s -> {});
  }

  /**
   * @param retention how much of {@code quarantine/} is kept
   * @param clock file times of quarantine copies and their age
   * @param swept told what each sweep of the quarantine did (also the one at open, before this
   *     constructor returns), on the opening or the reader thread
   */
  Spool(
      Path dir,
      long maxBytes,
      long segmentBytes,
      QuarantineRetention retention,
      Clock clock,
      Consumer<SpoolQuarantine.Sweep> swept) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    this.quarantine = new SpoolQuarantine(dir, retention, clock);
    this.swept = swept;
    try {
      OwnerOnly.directory(dir);
      open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open spool " + dir, e);
    }
    sweepQuarantine();
  }

  /** Keeps the quarantine within its retention and tells the listener. */
  private void sweepQuarantine() {
    SpoolQuarantine.Sweep s = quarantine.sweep(this::holdsSegment);
    try {
      swept.accept(s);
    } catch (RuntimeException e) {
      LOG.warn("spool {}: quarantine sweep listener failed: {}", dir, e.toString());
    }
  }

  private synchronized boolean holdsSegment(long seq) {
    return segments.containsKey(seq);
  }

  // ---------------------------------------------------------------- open and recovery

  private void open() throws IOException {
    Cursor cursor = readCursor();
    listSegments();
    committed = checkCursor(cursor);
    // segments wholly before the cursor were delivered; a crash between the cursor write and their
    // deletion leaves them
    for (Long seq : new ArrayList<>(segments.headMap(committed.segment()).keySet())) {
      Files.deleteIfExists(segmentPath(seq));
      segments.remove(seq);
      legacySegments.remove(seq);
    }
    Scan scan = new Scan(committedNextPoint, committedNextRecord);
    boolean lastEndsDamaged = false;
    for (Long seq : new ArrayList<>(segments.keySet())) {
      long start = seq == committed.segment() ? committed.offset() : 0;
      lastEndsDamaged = scanSegment(seq, start, seq.equals(segments.lastKey()), scan);
    }
    scan.resolveAtEnd();
    nextPoint = Math.max(0, Math.max(committedNextPoint, scan.maxEndPoint));
    nextRecord = Math.max(0, Math.max(committedNextRecord, scan.maxEndRecord));
    readerExpectedPoint = committedNextPoint;
    readerExpectedRecord = committedNextRecord;
    if (segments.isEmpty()) {
      activeSeq = Math.max(1, committed.segment());
      if (committed.offset() > 0) {
        // the cursor points into a segment that was deleted after being fully sent
        activeSeq = committed.segment() + 1;
      }
      committed = new Position(activeSeq, 0);
      writeCursor(committed);
    } else {
      activeSeq = segments.lastKey();
      if (legacySegments.contains(activeSeq) || lastEndsDamaged) {
        activeSeq++; // never append after bytes of another format or after damage
      }
    }
    openActive();
    if (pendingRecords > 0) {
      LOG.info(
          "spool {}: {} points in {} batches pending from before, will be replayed in order",
          dir,
          pendingPoints,
          pendingRecords);
    }
    if (quarantine.regions.get() > 0) {
      LOG.warn(
          "spool {}: recovery quarantined {} bytes in {} stretches holding {} records / {} points; they are in {}, everything else is replayed",
          dir,
          quarantine.bytes.get(),
          quarantine.regions.get(),
          quarantine.records.get(),
          quarantine.points.get(),
          quarantine.directory());
    }
  }

  private void listSegments() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.sorted().toList();
    }
    for (Path p : files) {
      String name = p.getFileName().toString();
      Matcher m = SEGMENT_NAME.matcher(name);
      if (m.matches() && Files.isRegularFile(p) && fitsLong(m.group(1))) {
        long seq = Long.parseLong(m.group(1));
        OwnerOnly.restrict(p);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
          segments.put(seq, ch.size());
          if (SpoolFormat.isLegacySegment(ch, ch.size())) {
            legacySegments.add(seq);
          }
        }
      } else if (OWN_FILES.contains(name) && Files.isDirectory(p)) {
        OwnerOnly.directory(p);
      } else if (OWN_FILES.contains(name)) {
        OwnerOnly.restrict(p);
      } else {
        ignoredFiles.incrementAndGet();
        LOG.warn(
            "spool {}: ignoring {}: not a spool segment (segments are named <20 digits>.seg); it is left as it is",
            dir,
            name);
      }
    }
    if (!legacySegments.isEmpty()) {
      LOG.info(
          "spool {}: {} segments of the earlier record format are read as they are; new records go to new segments",
          dir,
          legacySegments.size());
    }
  }

  private static boolean fitsLong(String digits) {
    try {
      Long.parseLong(digits);
      return true;
    } catch (NumberFormatException tooBig) {
      return false;
    }
  }

  /** The cursor, checked against the segments: repaired with a warning when it cannot be right. */
  private Position checkCursor(Cursor c) throws IOException {
    committedNextPoint = c.nextPoint();
    committedNextRecord = c.nextRecord();
    Position p = c.position();
    if (segments.isEmpty()) {
      return p;
    }
    Long size = segments.get(p.segment());
    String problem = null;
    if (size == null && segments.firstKey() < p.segment()) {
      problem = "names segment " + p.segment() + ", which does not exist, while older segments do";
    } else if (size == null) {
      // every segment is after the cursor's (its own was delivered and deleted): all of them are
      // pending
      if (p.offset() > 0 || segments.firstKey() > p.segment() + 1) {
        warnCursor(
            p,
            "names segment " + p.segment() + ", which does not exist",
            new Position(segments.firstKey(), 0));
      }
      return new Position(segments.firstKey(), 0);
    } else if (p.offset() > size) {
      problem = "is past the end of segment " + p.segment() + " (" + size + " bytes)";
    } else if (c.nextPoint() >= 0 && p.offset() < size && !legacySegments.contains(p.segment())) {
      Header h = headerAt(p);
      if (h != null && h.firstPoint() != c.nextPoint()) {
        problem =
            "does not match the record there (point "
                + h.firstPoint()
                + ", cursor says "
                + c.nextPoint()
                + ")";
      }
    }
    if (problem == null) {
      return p;
    }
    Position repaired =
        c.nextPoint() >= 0
            ? locate(c.nextPoint())
            : new Position(size == null ? segments.firstKey() : p.segment(), 0);
    warnCursor(p, problem, repaired);
    return repaired;
  }

  private void warnCursor(Position was, String problem, Position now) {
    cursorRepairs.incrementAndGet();
    LOG.warn(
        "spool {}: the cursor {}:{} {}; continuing from {}:{} (points from there on are sent again; InfluxDB keeps one copy of each)",
        dir,
        was.segment(),
        was.offset(),
        problem,
        now.segment(),
        now.offset());
  }

  private Header headerAt(Position p) throws IOException {
    try (FileChannel ch = FileChannel.open(segmentPath(p.segment()), StandardOpenOption.READ)) {
      Parsed r = SpoolFormat.parse(ch, p.offset(), segments.get(p.segment()));
      return r.header();
    }
  }

  /**
   * The first record whose first point is at or after {@code point}, walking headers from the
   * oldest segment.
   */
  private Position locate(long point) throws IOException {
    for (var seg : segments.entrySet()) {
      long seq = seg.getKey();
      if (legacySegments.contains(seq)) {
        return new Position(
            seq, 0); // older than any point-numbered record and without numbers: send again
      }
      try (FileChannel ch = FileChannel.open(segmentPath(seq), StandardOpenOption.READ)) {
        long pos = 0;
        while (pos < seg.getValue()) {
          Parsed r = SpoolFormat.parse(ch, pos, seg.getValue());
          if (r.header() != null && r.header().endPoint() > point) {
            return new Position(seq, pos);
          }
          if (r.next() > 0) {
            pos = r.next();
          } else {
            long next = SpoolFormat.findNextHeader(ch, pos + 1, seg.getValue());
            if (next < 0) {
              break;
            }
            pos = next;
          }
        }
      }
    }
    return new Position(segments.lastKey(), segments.lastEntry().getValue());
  }

  /**
   * Running state of a recovery scan: where the next record's sequence numbers should start, so
   * that a damaged stretch whose headers are gone is counted exactly from the next intact header.
   */
  private final class Scan {
    long expectedPoint;
    long expectedRecord;
    long maxEndPoint = -1;
    long maxEndRecord = -1;

    /** Quarantined stretches (new copies) not yet counted, waiting for the next intact header. */
    final List<SpoolQuarantine.Copy> uncounted = new ArrayList<>();

    Scan(long expectedPoint, long expectedRecord) {
      this.expectedPoint = expectedPoint;
      this.expectedRecord = expectedRecord;
    }

    /** An intact header (of a good, damaged-payload or torn record) at {@code pos}. */
    void header(Header h, long seq, long pos) {
      if (h.firstPoint() < 0) {
        return; // earlier format: no sequence numbers
      }
      if (!uncounted.isEmpty()) {
        if (expectedPoint >= 0 && h.firstPoint() >= expectedPoint) {
          long points = h.firstPoint() - expectedPoint;
          long records = Math.max(0, h.recordSeq() - expectedRecord);
          quarantine.count(records, points);
          LOG.warn(
              "spool {}: the damaged bytes before {}:{} held {} records / {} points (counted from the sequence numbers), now in {}",
              dir,
              seq,
              pos,
              records,
              points,
              uncounted.stream().map(c -> c.file().getFileName().toString()).toList());
        } else {
          estimate();
        }
        uncounted.clear();
      }
      expectedPoint = h.endPoint();
      expectedRecord = h.recordSeq() + 1;
    }

    void good(Header h) {
      maxEndPoint = Math.max(maxEndPoint, h.firstPoint() < 0 ? -1 : h.endPoint());
      maxEndRecord = Math.max(maxEndRecord, h.recordSeq() < 0 ? -1 : h.recordSeq() + 1);
    }

    void resolveAtEnd() {
      if (!uncounted.isEmpty()) {
        estimate();
        uncounted.clear();
      }
    }

    private void estimate() {
      long lines = uncounted.stream().mapToLong(SpoolQuarantine.Copy::estimatedLines).sum();
      quarantine.count(uncounted.size(), lines);
      LOG.warn(
          "spool {}: no intact header after the damaged bytes in {}: they held about {} points (lines counted in the bytes)",
          dir,
          uncounted.stream().map(c -> c.file().getFileName().toString()).toList(),
          lines);
    }
  }

  /**
   * Checks every record of a segment from {@code start}; counts the good ones as pending,
   * quarantines damage, cuts a torn final record of the newest segment.
   *
   * @return true when the segment ends with a damaged stretch
   */
  private boolean scanSegment(long seq, long start, boolean newest, Scan scan) throws IOException {
    Path p = segmentPath(seq);
    boolean legacy = legacySegments.contains(seq);
    boolean endsDamaged = false;
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      long pos = start;
      while (pos < size) {
        Parsed r =
            legacy ? SpoolFormat.parseLegacy(ch, pos, size) : SpoolFormat.parse(ch, pos, size);
        endsDamaged = false;
        if (r.header() != null) {
          scan.header(r.header(), seq, pos);
        }
        if (r.kind() == Kind.OK) {
          pendingPoints += r.header().points();
          pendingRecords++;
          scan.good(r.header());
          pos = r.next();
        } else if (r.kind() == Kind.TORN && newest && !legacy) {
          long points = r.header() == null ? 0 : r.header().points();
          LOG.warn(
              "spool {}: cutting a torn final record at the end of {} (offset {}, {} bytes, {} points): its write was interrupted, so it was never acknowledged",
              dir,
              p.getFileName(),
              pos,
              size - pos,
              points);
          tornBytes.addAndGet(size - pos);
          tornPoints.addAndGet(points);
          ch.truncate(pos);
          ch.force(true);
          size = pos;
        } else if (r.kind() == Kind.BAD_PAYLOAD) {
          SpoolQuarantine.Copy c =
              quarantine(ch, seq, pos, r.next(), "a record whose payload fails its checksum");
          if (c.isNew()) {
            quarantine.count(1, r.header().points());
          }
          pos = r.next();
        } else if (r.header() != null || legacy) {
          // a record cut short in an older segment (or any damage in one of the earlier format,
          // which has
          // no sync marker): the rest of the segment is quarantined
          SpoolQuarantine.Copy c =
              quarantine(
                  ch,
                  seq,
                  pos,
                  size,
                  legacy ? "damage in a segment of the earlier format" : "a record cut short");
          if (c.isNew()) {
            quarantine.count(1, r.header() != null ? r.header().points() : c.estimatedLines());
          }
          endsDamaged = true;
          pos = size;
        } else {
          // no header to believe: find the next one (the sync marker) and count what was lost from
          // its numbers
          long next = SpoolFormat.findNextHeader(ch, pos + 1, size);
          long end = next < 0 ? size : next;
          SpoolQuarantine.Copy c =
              quarantine(ch, seq, pos, end, "bytes without a valid record header");
          if (c.isNew()) {
            scan.uncounted.add(c);
          }
          endsDamaged = next < 0;
          pos = end;
        }
      }
      segments.put(seq, size);
    }
    return endsDamaged;
  }

  /** Copies a damaged stretch to quarantine and remembers it, so that reading skips it. */
  private SpoolQuarantine.Copy quarantine(FileChannel ch, long seq, long from, long to, String what)
      throws IOException {
    SpoolQuarantine.Copy c = quarantine.copy(ch, seq, from, to);
    synchronized (this) {
      damaged.put(new Position(seq, from), to);
    }
    if (c.isNew()) {
      LOG.error(
          "spool {}: {} in segment {} at offset {} ({} bytes): copied to {} and skipped",
          dir,
          what,
          seq,
          from,
          to - from,
          c.file());
    } else {
      LOG.warn(
          "spool {}: {} in segment {} at offset {} ({} bytes) is already in {}; skipped",
          dir,
          what,
          seq,
          from,
          to - from,
          c.file());
    }
    return c;
  }

  private void openActive() throws IOException {
    Path p = segmentPath(activeSeq);
    boolean created = !Files.exists(p);
    active =
        FileChannel.open(
            p,
            Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
            OwnerOnly.fileAttributes(p));
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

  // ---------------------------------------------------------------- append

  /**
   * Appends one batch and fsyncs it. When this returns, the batch is acknowledged: it survives a
   * crash.
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
      throw new SpoolFullException(
          "spool " + dir + " is full (" + pendingBytes() + " of " + maxBytes + " bytes)");
    }
    if (segments.get(activeSeq) >= segmentBytes) {
      active.close();
      activeSeq++;
      openActive();
    }
    ByteBuffer b = SpoolFormat.encode(payload, points, nextPoint, nextRecord);
    long pos = segments.get(activeSeq);
    long at = pos;
    while (b.hasRemaining()) {
      at += active.write(b, at);
    }
    active.force(false);
    segments.put(activeSeq, at);
    nextPoint += points;
    nextRecord++;
    pendingPoints += points;
    pendingRecords++;
  }

  // ---------------------------------------------------------------- read and commit

  /** The committed cursor: everything before it has been delivered (or quarantined). */
  public synchronized Position committed() {
    return committed;
  }

  /**
   * The record at or after {@code from}, if one has been appended. Called by the reader thread
   * only. Damage met here (the disk changed under a running spool) is quarantined and skipped like
   * at open.
   */
  public Optional<Entry> read(Position from) throws IOException {
    Position p = from;
    while (true) {
      long size;
      Long nextSeq;
      boolean legacy;
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
        Long skipTo = damaged.get(p);
        if (skipTo != null) {
          p = new Position(p.segment(), skipTo);
          continue;
        }
        size = s;
        nextSeq = segments.higherKey(p.segment());
        legacy = legacySegments.contains(p.segment());
      }
      if (p.offset() >= size) {
        if (nextSeq == null) {
          return Optional.empty();
        }
        p = new Position(nextSeq, 0);
        continue;
      }
      FileChannel ch = readChannel(p.segment());
      Parsed r =
          legacy
              ? SpoolFormat.parseLegacy(ch, p.offset(), size)
              : SpoolFormat.parse(ch, p.offset(), size);
      if (r.kind() == Kind.OK) {
        Header h = r.header();
        readerExpectedPoint = h.firstPoint() < 0 ? -1 : h.endPoint();
        readerExpectedRecord = h.recordSeq() < 0 ? -1 : h.recordSeq() + 1;
        return Optional.of(
            new Entry(
                p,
                new Position(p.segment(), r.next()),
                r.payload(),
                h.points(),
                h.firstPoint(),
                h.recordSeq()));
      }
      p = new Position(p.segment(), quarantineWhileRunning(ch, p, size, r, legacy));
    }
  }

  /**
   * Damage found by the reader: quarantined and skipped; its records were counted as pending, so
   * they are taken off.
   */
  private long quarantineWhileRunning(
      FileChannel ch, Position p, long size, Parsed r, boolean legacy) throws IOException {
    long end;
    long records;
    long points;
    if (r.kind() == Kind.BAD_PAYLOAD) {
      end = r.next();
      records = 1;
      points = r.header().points();
    } else {
      long next = legacy ? -1 : SpoolFormat.findNextHeader(ch, p.offset() + 1, size);
      end = next < 0 ? size : next;
      Header after = next < 0 ? null : SpoolFormat.parse(ch, next, size).header();
      boolean exact =
          after != null && readerExpectedPoint >= 0 && after.firstPoint() >= readerExpectedPoint;
      points = exact ? after.firstPoint() - readerExpectedPoint : 0;
      records = exact ? Math.max(0, after.recordSeq() - readerExpectedRecord) : 0;
      if (!exact) {
        LOG.error(
            "spool {}: cannot tell how many points the damaged bytes at {}:{} held; the waiting count is corrected when the spool is empty",
            dir,
            p.segment(),
            p.offset());
      }
    }
    SpoolQuarantine.Copy c =
        quarantine(ch, p.segment(), p.offset(), end, "damage found while sending");
    if (c.isNew()) {
      quarantine.count(records, points);
    }
    synchronized (this) {
      pendingPoints = Math.max(0, pendingPoints - points);
      pendingRecords = Math.max(0, pendingRecords - records);
    }
    if (c.isNew()) {
      sweepQuarantine();
    }
    return end;
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
   * Records that {@code delivered} and everything before it was delivered: persists the cursor (at
   * most every 250 ms) and deletes segments that are wholly delivered.
   */
  public void commit(Entry delivered) throws IOException {
    Position next = delivered.next();
    List<Long> toDelete;
    boolean drained;
    synchronized (this) {
      if (next.compareTo(committed) <= 0) {
        return;
      }
      committed = next;
      committedNextPoint =
          delivered.firstPoint() < 0 ? -1 : delivered.firstPoint() + delivered.points();
      committedNextRecord = delivered.recordSeq() < 0 ? -1 : delivered.recordSeq() + 1;
      pendingRecords -= 1;
      pendingPoints -= delivered.points();
      toDelete = new ArrayList<>(segments.headMap(next.segment()).keySet());
      for (Long seq : toDelete) {
        segments.remove(seq);
        legacySegments.remove(seq);
      }
      damaged.headMap(next).clear();
      Long size = segments.get(next.segment());
      drained = size != null && next.segment() == segments.lastKey() && next.offset() >= size;
      if (drained && (pendingPoints != 0 || pendingRecords != 0)) {
        // only after damage whose size could not be told: the spool is empty now, so the count is 0
        LOG.warn(
            "spool {}: waiting count corrected from {} points / {} records to 0 (the spool is empty)",
            dir,
            pendingPoints,
            pendingRecords);
        pendingPoints = 0;
        pendingRecords = 0;
      }
    }
    // The cursor is persisted at most every CURSOR_PERSIST_NANOS (and always before a segment is
    // deleted): a crash in between only re-delivers batches InfluxDB already has, which overwrite
    // themselves (same series, same time). An fsync per delivered batch halved throughput.
    long now = System.nanoTime();
    if (!toDelete.isEmpty() || now - cursorPersistedAt >= CURSOR_PERSIST_NANOS || drained) {
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

  // ---------------------------------------------------------------- counts

  public synchronized long pendingPoints() {
    return pendingPoints;
  }

  /**
   * The spool-wide sequence number of the next point appended and the points not yet delivered,
   * read together: the first point waiting is {@code nextPoint - pendingPoints} (for the age of the
   * telemetry backlog).
   */
  public record Backlog(long nextPoint, long pendingPoints) {}

  public synchronized Backlog backlog() {
    return new Backlog(nextPoint, pendingPoints);
  }

  public synchronized long pendingRecords() {
    return pendingRecords;
  }

  /**
   * Bytes on disk not yet delivered (damaged stretches, already copied to quarantine, not
   * included).
   */
  public synchronized long pendingBytes() {
    long total = 0;
    for (var e : segments.entrySet()) {
      total += e.getValue();
      if (e.getKey() == committed.segment()) {
        total -= committed.offset();
      }
    }
    for (var d : damaged.tailMap(committed).entrySet()) {
      total -= d.getValue() - d.getKey().offset();
    }
    return Math.max(0, total);
  }

  /** Bytes copied to quarantine by recovery since this spool was opened. */
  public long quarantinedBytes() {
    return quarantine.bytes.get();
  }

  /** Damaged stretches copied to quarantine since this spool was opened. */
  public long quarantinedStretches() {
    return quarantine.regions.get();
  }

  /** Records and points the quarantined stretches held. */
  public long quarantinedRecords() {
    return quarantine.records.get();
  }

  public long quarantinedPoints() {
    return quarantine.points.get();
  }

  /** Bytes of a torn final record cut at open (an interrupted, never acknowledged write). */
  public long tornBytes() {
    return tornBytes.get();
  }

  public long tornPoints() {
    return tornPoints.get();
  }

  /** Times the cursor was found inconsistent with the segments and moved. */
  public long cursorRepairs() {
    return cursorRepairs.get();
  }

  /** Files in the spool directory that are not segments, left alone. */
  public long ignoredFiles() {
    return ignoredFiles.get();
  }

  public Path quarantineDirectory() {
    return quarantine.directory();
  }

  /** Quarantine copies deleted by the retention since this spool was opened, and their bytes. */
  public long quarantineDeletedFiles() {
    return quarantine.deletedFiles.get();
  }

  public long quarantineDeletedBytes() {
    return quarantine.deletedBytes.get();
  }

  /** Quarantine copies in the directory now, and their bytes (as of the last sweep or copy). */
  public long quarantineFiles() {
    return quarantine.heldFiles.get();
  }

  public long quarantineBytes() {
    return quarantine.heldBytes.get();
  }

  /** How much of the quarantine is kept. */
  public QuarantineRetention quarantineRetention() {
    return quarantine.retention();
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

  // ---------------------------------------------------------------- cursor file

  private Cursor readCursor() throws IOException {
    Path c = dir.resolve("cursor");
    if (!Files.exists(c)) {
      return new Cursor(new Position(1, 0), -1, -1);
    }
    try {
      String[] parts = Files.readString(c).trim().split("\\s+");
      Position p = new Position(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
      if (p.segment() < 0 || p.offset() < 0) {
        throw new IllegalArgumentException("negative position " + p);
      }
      // an earlier version wrote "seq offset" only
      return parts.length >= 4
          ? new Cursor(p, Long.parseLong(parts[2]), Long.parseLong(parts[3]))
          : new Cursor(p, -1, -1);
    } catch (RuntimeException unreadable) {
      // replaying from the oldest segment is safe: InfluxDB overwrites points it already has
      cursorRepairs.incrementAndGet();
      LOG.warn(
          "spool {}: cursor unreadable ({}); replaying every segment", dir, unreadable.toString());
      return new Cursor(new Position(0, 0), -1, -1);
    }
  }

  private void writeCursor(Position p) throws IOException {
    long point;
    long record;
    synchronized (this) {
      point = p.equals(committed) ? committedNextPoint : -1;
      record = p.equals(committed) ? committedNextRecord : -1;
    }
    Path tmp = dir.resolve("cursor.tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            Set.of(
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING),
            OwnerOnly.fileAttributes(tmp))) {
      ch.write(
          ByteBuffer.wrap(
              (p.segment() + " " + p.offset() + " " + point + " " + record + "\n")
                  .getBytes(StandardCharsets.US_ASCII)));
      ch.force(false);
    }
    try {
      Files.move(
          tmp,
          dir.resolve("cursor"),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
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
