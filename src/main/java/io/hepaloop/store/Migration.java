package io.hepaloop.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One numbered schema change: version {@code n} moves the schema from {@code n-1} to {@code n}.
 *
 * @param version 1, 2, 3, ... without gaps
 * @param description what it does, from the file name ({@code V1__users.sql} gives "users")
 * @param sql one or more SQL statements separated by semicolons
 */
public record Migration(int version, String description, String sql) {
  public Migration {
    if (version < 1) {
      throw new IllegalArgumentException("migration version must be 1 or more, was " + version);
    }
  }

  /**
   * SHA-256 of the SQL with line endings normalised, so a checkout with CRLF line endings does not
   * look like a changed migration.
   */
  public String checksum() {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(sql.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
