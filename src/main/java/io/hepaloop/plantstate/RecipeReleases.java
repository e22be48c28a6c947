package io.hepaloop.plantstate;

import io.hepaloop.store.Store;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The released recipe versions (table {@code recipe_releases}, V8): one row per content hash,
 * append-only (the table's triggers refuse UPDATE and DELETE), linked to the signed audit record of
 * the release. Plain strings: the recipe package stays out of the plant state. Every method blocks
 * on the database: call it on a worker.
 */
public final class RecipeReleases {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  /**
   * One release.
   *
   * @param sha256 the recipe file's SHA-256 (hex, 64 characters): the version released
   * @param text the file's text as released
   * @param releasedBy the signer's printed name
   * @param meaning the signature's meaning ("approved")
   * @param auditSeq the sequence of the signed audit record, or null when no trail is kept
   */
  public record Release(
      String name,
      String version,
      String sha256,
      String text,
      String releasedBy,
      Instant releasedAt,
      String meaning,
      Long auditSeq) {}

  /** A version that is released already (its hash is in the table). */
  public static final class AlreadyReleasedException extends RuntimeException {
    private final transient Release existing;

    AlreadyReleasedException(Release existing) {
      super(
          "recipe "
              + existing.name()
              + " "
              + existing.version()
              + " (sha256 "
              + existing.sha256()
              + ") was released by "
              + existing.releasedBy()
              + " at "
              + existing.releasedAt());
      this.existing = existing;
    }

    public Release existing() {
      return existing;
    }
  }

  private final Store store;

  public RecipeReleases(Store store) {
    if (store == null) {
      throw new IllegalArgumentException("store is required");
    }
    this.store = store;
  }

  /** The release of this exact version, if any. */
  public Optional<Release> find(String sha256) {
    return store.read(c -> Optional.ofNullable(find(c, sha256)));
  }

  /** Every release by content hash. */
  public Map<String, Release> all() {
    return store.read(
        c -> {
          Map<String, Release> out = new LinkedHashMap<>();
          try (PreparedStatement p = c.prepareStatement(SELECT + " ORDER BY released_at");
              ResultSet r = p.executeQuery()) {
            while (r.next()) {
              Release rel = release(r);
              out.put(rel.sha256(), rel);
            }
          }
          return out;
        });
  }

  /**
   * Records a release; its time is kept to the microsecond.
   *
   * @throws AlreadyReleasedException when this hash is released already (nothing is written)
   */
  public Release insert(Release release) {
    Release r =
        new Release(
            release.name(),
            release.version(),
            release.sha256(),
            release.text(),
            release.releasedBy(),
            release.releasedAt().truncatedTo(ChronoUnit.MICROS),
            release.meaning(),
            release.auditSeq());
    List<Release> existing = new ArrayList<>(1);
    store.transaction(
        c -> {
          Release before = find(c, r.sha256());
          if (before != null) {
            existing.add(before);
            return null;
          }
          try (PreparedStatement p =
              c.prepareStatement(
                  "INSERT INTO recipe_releases (recipe_name, recipe_version, recipe_sha256,"
                      + " recipe_text, released_by, released_at, meaning, audit_seq)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, r.name());
            p.setString(2, r.version());
            p.setString(3, r.sha256());
            p.setString(4, r.text());
            p.setString(5, r.releasedBy());
            p.setString(6, TIME.format(r.releasedAt()));
            p.setString(7, r.meaning());
            p.setObject(8, r.auditSeq());
            p.executeUpdate();
          }
          return null;
        });
    if (!existing.isEmpty()) {
      throw new AlreadyReleasedException(existing.get(0));
    }
    return r;
  }

  private static final String SELECT =
      "SELECT recipe_name, recipe_version, recipe_sha256, recipe_text, released_by, released_at,"
          + " meaning, audit_seq FROM recipe_releases";

  private static Release find(Connection c, String sha256) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(SELECT + " WHERE recipe_sha256 = ?")) {
      p.setString(1, sha256);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? release(r) : null;
      }
    }
  }

  private static Release release(ResultSet r) throws SQLException {
    long seq = r.getLong("audit_seq");
    Long auditSeq = r.wasNull() ? null : seq;
    return new Release(
        r.getString("recipe_name"),
        r.getString("recipe_version"),
        r.getString("recipe_sha256"),
        r.getString("recipe_text"),
        r.getString("released_by"),
        Instant.parse(r.getString("released_at")),
        r.getString("meaning"),
        auditSeq);
  }
}
