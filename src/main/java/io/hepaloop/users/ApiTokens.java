package io.hepaloop.users;

import io.hepaloop.store.Store;
import io.hepaloop.time.Clock;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * API tokens for scripts ({@code Authorization: Bearer hlt_...}). A user creates a token for
 * themselves; the secret is shown once and stored only as its SHA-256; the token acts with its
 * user's role as it is at each request, so demoting or disabling the user limits the token too.
 * Tokens are listed without their secret and revoked (the row stays, with the revocation time).
 *
 * <p>Every method blocks (the database): call it on a worker thread.
 */
public final class ApiTokens {
  /** The prefix of every token, so a leaked one is recognisable (secret scanners, logs). */
  public static final String PREFIX = "hlt_";

  public static final int MAX_LABEL_LENGTH = 64;

  /** A token as listed: never its secret. */
  public record Token(
      long id,
      String userName,
      String label,
      Instant createdAt,
      Instant expiresAt,
      Instant lastUsedAt,
      Instant revokedAt) {}

  /** A new token with its secret, to be shown once. */
  public record Created(Token token, String secret) {}

  /** Why a presented token was not accepted. */
  public enum Refusal {
    UNKNOWN,
    EXPIRED,
    REVOKED,
    USER_DISABLED
  }

  /** The token's user as now stored, or why there is none. */
  public record Lookup(Token token, User user, Refusal refusal) {}

  static final Duration TOUCH_EVERY = Duration.ofSeconds(60);

  private final Store store;
  private final Clock clock;

  public ApiTokens(Store store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * A new token for {@code userName}.
   *
   * @param expiresAt when it stops working, or null for never (until revoked)
   * @throws UserException for an empty or long label, an expiry in the past, or an unknown user
   */
  public Created create(String userName, String label, Instant expiresAt) {
    String trimmed = label == null ? "" : label.strip();
    if (trimmed.isEmpty() || trimmed.length() > MAX_LABEL_LENGTH) {
      throw new UserException("token name: 1 to " + MAX_LABEL_LENGTH + " characters");
    }
    Instant now = clock.now();
    if (expiresAt != null && !expiresAt.isAfter(now)) {
      throw new UserException("token expiry " + expiresAt + " is not in the future");
    }
    String secret = PREFIX + Secrets.random();
    long id =
        store.transaction(
            c -> {
              if (Users.find(c, userName).isEmpty()) {
                throw new UserException("no user '" + userName + "'");
              }
              try (PreparedStatement p =
                  c.prepareStatement(
                      "INSERT INTO api_tokens (user_name, label, token_hash, created_at,"
                          + " expires_at) VALUES (?, ?, ?, ?, ?)")) {
                p.setString(1, userName);
                p.setString(2, trimmed);
                p.setString(3, Secrets.hash(secret));
                p.setString(4, now.toString());
                p.setString(5, expiresAt == null ? null : expiresAt.toString());
                p.executeUpdate();
              }
              try (PreparedStatement p = c.prepareStatement("SELECT last_insert_rowid()");
                  ResultSet r = p.executeQuery()) {
                r.next();
                return r.getLong(1);
              }
            });
    return new Created(new Token(id, userName, trimmed, now, expiresAt, null, null), secret);
  }

  /** The tokens of {@code userName}, revoked ones included, newest first. */
  public List<Token> list(String userName) {
    return store.read(
        c -> {
          List<Token> out = new ArrayList<>();
          try (PreparedStatement p =
              c.prepareStatement(
                  "SELECT " + COLUMNS + " FROM api_tokens WHERE user_name = ? ORDER BY id DESC")) {
            p.setString(1, userName);
            try (ResultSet r = p.executeQuery()) {
              while (r.next()) {
                out.add(token(r));
              }
            }
          }
          return out;
        });
  }

  /**
   * Revokes token {@code id} of {@code userName}.
   *
   * @return false when the user has no such token (or it was revoked already)
   */
  public boolean revoke(String userName, long id) {
    String now = clock.now().toString();
    return store.transaction(
            c -> {
              try (PreparedStatement p =
                  c.prepareStatement(
                      "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_name = ?"
                          + " AND revoked_at IS NULL")) {
                p.setString(1, now);
                p.setLong(2, id);
                p.setString(3, userName);
                return p.executeUpdate();
              }
            })
        == 1;
  }

  /** Revokes every token of {@code userName} (disabled, or password reset by an admin). */
  public int revokeAll(String userName) {
    String now = clock.now().toString();
    return store.transaction(
        c -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "UPDATE api_tokens SET revoked_at = ? WHERE user_name = ? AND revoked_at IS"
                      + " NULL")) {
            p.setString(1, now);
            p.setString(2, userName);
            return p.executeUpdate();
          }
        });
  }

  /** The user a presented secret acts for, or why it is refused. */
  public Lookup find(String secret) {
    if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 128) {
      return new Lookup(null, null, Refusal.UNKNOWN);
    }
    String hash = Secrets.hash(secret);
    Instant now = clock.now();
    Optional<Token> found =
        store.read(
            c -> {
              try (PreparedStatement p =
                  c.prepareStatement(
                      "SELECT " + COLUMNS + " FROM api_tokens WHERE token_hash = ?")) {
                p.setString(1, hash);
                try (ResultSet r = p.executeQuery()) {
                  return r.next() ? Optional.of(token(r)) : Optional.empty();
                }
              }
            });
    if (found.isEmpty()) {
      return new Lookup(null, null, Refusal.UNKNOWN);
    }
    Token t = found.get();
    if (t.revokedAt() != null) {
      return new Lookup(t, null, Refusal.REVOKED);
    }
    if (t.expiresAt() != null && !now.isBefore(t.expiresAt())) {
      return new Lookup(t, null, Refusal.EXPIRED);
    }
    Optional<User> user = store.read(c -> Users.find(c, t.userName()));
    if (user.isEmpty() || user.get().disabled()) {
      return new Lookup(t, null, Refusal.USER_DISABLED);
    }
    if (t.lastUsedAt() == null
        || Duration.between(t.lastUsedAt(), now).compareTo(TOUCH_EVERY) > 0) {
      store.transaction(
          c -> {
            try (PreparedStatement p =
                c.prepareStatement("UPDATE api_tokens SET last_used_at = ? WHERE id = ?")) {
              p.setString(1, now.toString());
              p.setLong(2, t.id());
              return p.executeUpdate();
            }
          });
    }
    return new Lookup(t, user.get(), null);
  }

  private static final String COLUMNS =
      "id, user_name, label, created_at, expires_at, last_used_at, revoked_at";

  private static Token token(ResultSet r) throws SQLException {
    return new Token(
        r.getLong("id"),
        r.getString("user_name"),
        r.getString("label"),
        Instant.parse(r.getString("created_at")),
        instant(r.getString("expires_at")),
        instant(r.getString("last_used_at")),
        instant(r.getString("revoked_at")));
  }

  private static Instant instant(String s) {
    return s == null ? null : Instant.parse(s);
  }
}
