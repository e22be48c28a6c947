package io.hepaloop.telemetry;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * The on-disk record format of the {@link Spool}, and a reader for segments of the earlier format.
 *
 * <p>Format 2 (written by this version), one record:
 *
 * <pre>
 *   magic      4  FF 48 4C 32 ("\xFFHL2"): 0xFF never occurs in UTF-8 text, so a payload cannot imitate it
 *   length     4  payload bytes
 *   points     4  line-protocol lines in the payload
 *   firstPoint 8  spool-wide sequence number of the first point (monotonic, never reset while the spool lives)
 *   recordSeq  8  spool-wide sequence number of the record
 *   recordCrc  4  CRC32C over length, points, firstPoint, recordSeq and the payload
 *   headerCrc  4  CRC32C over the 32 bytes before it
 *   payload       UTF-8 lines joined by '\n'
 * </pre>
 *
 * The header checks itself, so a damaged length can never be believed (in format 1 a changed length
 * made the rest of the file look like a torn tail), and the magic plus the header CRC are the sync
 * marker: recovery scans forward for the next position where they hold. The sequence numbers let it
 * count exactly how many points and records a damaged stretch held, even when their headers are
 * gone.
 *
 * <p>Format 1 (earlier versions): {@code [int length][int crc32c of payload][int points][payload]},
 * no magic, header not covered. It is still read, so points spooled before an upgrade are
 * delivered.
 */
final class SpoolFormat {
  static final int MAGIC = 0xFF484C32;
  static final int HEADER_BYTES = 36;
  static final int LEGACY_HEADER_BYTES = 12;
  static final int MAX_RECORD_BYTES = 256 * 1024 * 1024;
  private static final int SCAN_CHUNK_BYTES = 64 * 1024;

  private SpoolFormat() {}

  /** What is found at a position. */
  enum Kind {
    /** a whole record, both checksums right */
    OK,
    /** header right (so its length and counts can be believed), payload damaged */
    BAD_PAYLOAD,
    /**
     * header right but the record runs past the end of the file, or only a prefix of a header is
     * there
     */
    TORN,
    /** no valid header here */
    BAD_HEADER
  }

  /** A checked header; {@code firstPoint} and {@code recordSeq} are -1 for format 1. */
  record Header(int length, int points, long firstPoint, long recordSeq) {
    long endPoint() {
      return firstPoint + points;
    }
  }

  /**
   * @param header the checked header, null for BAD_HEADER (and for a TORN prefix shorter than a
   *     header)
   * @param payload null unless OK
   * @param next where the next record starts (OK, BAD_PAYLOAD)
   */
  record Parsed(Kind kind, Header header, byte[] payload, long next) {}

  /** A record ready to write: header and payload. */
  static ByteBuffer encode(byte[] payload, int points, long firstPoint, long recordSeq) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + payload.length);
    b.putInt(MAGIC).putInt(payload.length).putInt(points).putLong(firstPoint).putLong(recordSeq);
    CRC32C record = new CRC32C();
    record.update(b.array(), 4, 24);
    record.update(payload);
    b.putInt((int) record.getValue());
    CRC32C header = new CRC32C();
    header.update(b.array(), 0, 32);
    b.putInt((int) header.getValue());
    b.put(payload).flip();
    return b;
  }

  /**
   * Parses a header from 36 bytes at {@code offset} of {@code h}; null when it is not a valid one.
   */
  static Header header(byte[] h, int offset) {
    ByteBuffer b = ByteBuffer.wrap(h, offset, HEADER_BYTES);
    if (b.getInt() != MAGIC) {
      return null;
    }
    int length = b.getInt();
    int points = b.getInt();
    long firstPoint = b.getLong();
    long recordSeq = b.getLong();
    b.getInt(); // record CRC, checked with the payload
    int headerCrc = b.getInt();
    CRC32C c = new CRC32C();
    c.update(h, offset, 32);
    if ((int) c.getValue() != headerCrc
        || length < 0
        || length > MAX_RECORD_BYTES
        || points < 0
        || firstPoint < 0
        || recordSeq < 0) {
      return null;
    }
    return new Header(length, points, firstPoint, recordSeq);
  }

  /**
   * Reads the format-2 record at {@code pos}; {@code limit} is the end of the valid part of the
   * file.
   */
  static Parsed parse(FileChannel ch, long pos, long limit) throws IOException {
    long remaining = limit - pos;
    if (remaining < HEADER_BYTES) {
      byte[] prefix = new byte[(int) Math.max(0, remaining)];
      readFully(ch, ByteBuffer.wrap(prefix), pos);
      return new Parsed(isMagicPrefix(prefix) ? Kind.TORN : Kind.BAD_HEADER, null, null, -1);
    }
    byte[] hb = new byte[HEADER_BYTES];
    readFully(ch, ByteBuffer.wrap(hb), pos);
    Header h = header(hb, 0);
    if (h == null) {
      return new Parsed(Kind.BAD_HEADER, null, null, -1);
    }
    long next = pos + HEADER_BYTES + h.length();
    if (next > limit) {
      return new Parsed(Kind.TORN, h, null, -1);
    }
    byte[] payload = new byte[h.length()];
    readFully(ch, ByteBuffer.wrap(payload), pos + HEADER_BYTES);
    CRC32C c = new CRC32C();
    c.update(hb, 4, 24);
    c.update(payload);
    int recordCrc = ByteBuffer.wrap(hb, 28, 4).getInt();
    return (int) c.getValue() == recordCrc
        ? new Parsed(Kind.OK, h, payload, next)
        : new Parsed(Kind.BAD_PAYLOAD, h, null, next);
  }

  /**
   * Reads a format-1 record; its length is not checksummed, so a CRC failure is BAD_PAYLOAD only if
   * the length fits.
   */
  static Parsed parseLegacy(FileChannel ch, long pos, long limit) throws IOException {
    if (limit - pos < LEGACY_HEADER_BYTES) {
      return new Parsed(Kind.TORN, null, null, -1);
    }
    ByteBuffer hb = ByteBuffer.allocate(LEGACY_HEADER_BYTES);
    readFully(ch, hb, pos);
    hb.flip();
    int length = hb.getInt();
    int crc = hb.getInt();
    int points = hb.getInt();
    if (length < 0 || length > MAX_RECORD_BYTES || points < 0) {
      return new Parsed(Kind.BAD_HEADER, null, null, -1);
    }
    Header h = new Header(length, points, -1, -1);
    long next = pos + LEGACY_HEADER_BYTES + length;
    if (next > limit) {
      return new Parsed(Kind.TORN, h, null, -1);
    }
    byte[] payload = new byte[length];
    readFully(ch, ByteBuffer.wrap(payload), pos + LEGACY_HEADER_BYTES);
    CRC32C c = new CRC32C();
    c.update(payload);
    return (int) c.getValue() == crc
        ? new Parsed(Kind.OK, h, payload, next)
        : new Parsed(Kind.BAD_PAYLOAD, h, null, next);
  }

  /**
   * A file written by an earlier version: it does not start with the magic and its first record
   * checks out as format 1.
   */
  static boolean isLegacySegment(FileChannel ch, long size) throws IOException {
    if (size < LEGACY_HEADER_BYTES) {
      return false;
    }
    ByteBuffer first = ByteBuffer.allocate(4);
    readFully(ch, first, 0);
    return first.getInt(0) != MAGIC && parseLegacy(ch, 0, size).kind() == Kind.OK;
  }

  /** The first position at or after {@code from} where a valid format-2 header starts, or -1. */
  static long findNextHeader(FileChannel ch, long from, long limit) throws IOException {
    byte[] buf = new byte[SCAN_CHUNK_BYTES + HEADER_BYTES];
    long base = from;
    while (limit - base >= HEADER_BYTES) {
      int n = (int) Math.min(buf.length, limit - base);
      readFully(ch, ByteBuffer.wrap(buf, 0, n), base);
      int lastStart = n - HEADER_BYTES;
      for (int i = 0; i <= lastStart; i++) {
        if (buf[i] == (byte) 0xFF && header(buf, i) != null) {
          return base + i;
        }
      }
      base += lastStart + 1;
    }
    return -1;
  }

  /**
   * Counts the line-protocol lines in damaged bytes whose header is lost (fed chunk by chunk): an
   * estimate, said as such in the log; used only when no later header tells the exact count.
   */
  static final class LineEstimate {
    private long lines;
    private boolean inText;

    void update(byte[] bytes, int offset, int length) {
      for (int i = offset; i < offset + length; i++) {
        byte b = bytes[i];
        boolean text = b >= 0x20 || b < 0; // printable ASCII or part of a UTF-8 sequence
        if (text && !inText) {
          lines++;
        }
        inText = text;
      }
    }

    long lines() {
      return lines;
    }
  }

  private static boolean isMagicPrefix(byte[] prefix) {
    byte[] magic = ByteBuffer.allocate(4).putInt(MAGIC).array();
    for (int i = 0; i < prefix.length && i < 4; i++) {
      if (prefix[i] != magic[i]) {
        return false;
      }
    }
    return true;
  }

  static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    long at = pos;
    while (b.hasRemaining()) {
      int n = ch.read(b, at);
      if (n < 0) {
        throw new IOException("unexpected end of spool segment at " + at);
      }
      at += n;
    }
  }
}
