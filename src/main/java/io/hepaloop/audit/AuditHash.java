package io.hepaloop.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;

/**
 * The chain's arithmetic: a record's hash is SHA-256 over the previous record's hash (32 bytes)
 * followed by its canonical bytes, a version tag and then each field as a 4-byte big-endian length
 * and its UTF-8 (length -1 for an absent field). Length prefixes make the encoding unambiguous:
 * moving text from one field to the next ("ab","c" vs "a","bc") changes the hash.
 */
final class AuditHash {
  /** The previous hash of record 1. */
  static final String GENESIS = "0".repeat(64);

  private static final byte[] TAG = "hepaloop-audit-v1".getBytes(StandardCharsets.US_ASCII);

  /** Fixed width, so that text order is time order in SQL and in the CSV. */
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private AuditHash() {}

  static String hash(String previousHash, List<String> fields) {
    MessageDigest sha = sha256();
    sha.update(HexFormat.of().parseHex(previousHash));
    sha.update(TAG);
    ByteBuffer length = ByteBuffer.allocate(4);
    for (String field : fields) {
      length.clear();
      if (field == null) {
        sha.update(length.putInt(-1).array());
      } else {
        byte[] utf8 = field.getBytes(StandardCharsets.UTF_8);
        sha.update(length.putInt(utf8.length).array());
        sha.update(utf8);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /** True when {@code text} is 64 lower-case hex digits. */
  static boolean isHash(String text) {
    return text != null && text.length() == 64 && text.chars().allMatch(AuditHash::isHexDigit);
  }

  private static boolean isHexDigit(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }

  static String time(Instant t) {
    return TIME.format(t.truncatedTo(ChronoUnit.MICROS));
  }

  static Instant parseTime(String text) {
    return Instant.parse(text);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
