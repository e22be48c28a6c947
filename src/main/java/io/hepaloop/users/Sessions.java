package io.hepaloop.users;

import io.hepaloop.store.Store;
import io.hepaloop.time.Clock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Login sessions of the command API, in the data directory's database so that a restart does not
 * log everybody out. The client holds the session id (in a cookie); the database only its SHA-256.
 * Each session has a CSRF token that state-changing requests made with the cookie must repeat.
 *
 * <p>A session ends after {@link Policy#idle()} without a request or {@link Policy#absolute()}
 * after login, whichever comes first, by the given {@link Clock}'s wall time; on logout; and when
 * its user is disabled or gets a new password ({@link #endAll}). To spare the disk a write per
 * request, the last-seen time is stored only when it is more than {@link #TOUCH_EVERY} old, so the
 * idle limit is exact to that much.
 *
 * <p>Every method blocks (the database): call it on a worker thread.
 */
public final class Sessions {
  /** How long a session lasts without use, and at most. */
  public record Policy(Duration idle, Duration absolute) {
    /** 30 minutes idle, 12 hours in all: one shift. */
    public static final Policy DEFAULT = new Policy(Duration.ofMinutes(30), Duration.ofHours(12));
  }

  /** A session as the API sees it: whose, its CSRF token, and when it will end if left idle. */
  public record Session(
      String idHash, User user, String csrfToken, Instant createdAt, Instant expiresAt) {
    /** True when {@code presented} is this session's CSRF token (constant time). */
    public boolean csrfMatches(String presented) {
      return Secrets.same(csrfToken, presented);
    }
  }

  /** A new session: the id to give the client once (only its hash is stored) and the session. */
  public record Created(String id, Session session) {}

  static final Duration TOUCH_EVERY = Duration.ofSeconds(60);

  private final Store store;
  private final Clock clock;
  private final Policy policy;

  public Sessions(Store store, Clock clock, Policy policy) {
    this.store = store;
    this.clock = clock;
    this.policy = policy;
  }

  public Policy policy() {
    return policy;
  }

  /** Starts a session for {@code user} (who has just logged in); drops expired ones meanwhile. */
  public Created create(User user) {
    String id = Secrets.random();
    String csrf = Secrets.random();
    Instant now = clock.now();
    String idHash = Secrets.hash(id);
    store.transaction(
        c -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "DELETE FROM api_sessions WHERE last_seen_at < ? OR created_at < ?")) {
            p.setString(1, now.minus(policy.idle()).toString());
            p.setString(2, now.minus(policy.absolute()).toString());
            p.executeUpdate();
          }
          try (PreparedStatement p =
              c.prepareStatement(
                  "INSERT INTO api_sessions (id_hash, user_name, csrf_token, created_at,"
                      + " last_seen_at) VALUES (?, ?, ?, ?, ?)")) {
            p.setString(1, idHash);
            p.setString(2, user.name());
            p.setString(3, csrf);
            p.setString(4, now.toString());
            p.setString(5, now.toString());
            p.executeUpdate();
          }
          return null;
        });
    return new Created(id, new Session(idHash, user, csrf, now, expiry(now, now)));
  }

  /** Why a presented session id was not accepted. */
  public enum Refusal {
    UNKNOWN,
    EXPIRED,
    USER_DISABLED
  }

  /** A session, or why there is none. */
  public record Lookup(Session session, Refusal refusal) {}

  /**
   * The live session with id {@code id}, its user as now stored (a role change applies at once); an
   * expired session is deleted and reported as {@link Refusal#EXPIRED}.
   */
  public Lookup find(String id) {
    if (id == null || id.isEmpty() || id.length() > 128) {
      return new Lookup(null, Refusal.UNKNOWN);
    }
    String idHash = Secrets.hash(id);
    Instant now = clock.now();
    record Row(String user, String csrf, Instant created, Instant lastSeen) {}
    Optional<Row> row =
        store.read(
            c -> {
              try (PreparedStatement p =
                  c.prepareStatement(
                      "SELECT user_name, csrf_token, created_at, last_seen_at FROM api_sessions"
                          + " WHERE id_hash = ?")) {
                p.setString(1, idHash);
                try (ResultSet r = p.executeQuery()) {
                  return r.next()
                      ? Optional.of(
                          new Row(
                              r.getString(1),
                              r.getString(2),
                              Instant.parse(r.getString(3)),
                              Instant.parse(r.getString(4))))
                      : Optional.empty();
                }
              }
            });
    if (row.isEmpty()) {
      return new Lookup(null, Refusal.UNKNOWN);
    }
    Row s = row.get();
    if (!now.isBefore(expiry(s.created, s.lastSeen))) {
      // Left for create() to drop: a refused request writes nothing.
      return new Lookup(null, Refusal.EXPIRED);
    }
    Optional<User> user = store.read(c -> Users.find(c, s.user));
    if (user.isEmpty() || user.get().disabled()) {
      return new Lookup(null, Refusal.USER_DISABLED);
    }
    Instant lastSeen = s.lastSeen;
    if (Duration.between(s.lastSeen, now).compareTo(TOUCH_EVERY) > 0) {
      store.transaction(
          c -> {
            try (PreparedStatement p =
                c.prepareStatement("UPDATE api_sessions SET last_seen_at = ? WHERE id_hash = ?")) {
              p.setString(1, now.toString());
              p.setString(2, idHash);
              return p.executeUpdate();
            }
          });
      lastSeen = now;
    }
    return new Lookup(
        new Session(idHash, user.get(), s.csrf, s.created, expiry(s.created, lastSeen)), null);
  }

  private Instant expiry(Instant created, Instant lastSeen) {
    Instant idle = lastSeen.plus(policy.idle());
    Instant absolute = created.plus(policy.absolute());
    return idle.isBefore(absolute) ? idle : absolute;
  }

  /** Ends one session (logout). */
  public void end(String idHash) {
    store.transaction(
        c -> {
          try (PreparedStatement p =
              c.prepareStatement("DELETE FROM api_sessions WHERE id_hash = ?")) {
            p.setString(1, idHash);
            return p.executeUpdate();
          }
        });
  }

  /**
   * Ends every session of {@code userName} but {@code keepIdHash} (may be null): after a new
   * password or when the user is disabled.
   */
  public int endAll(String userName, String keepIdHash) {
    return store.transaction(c -> endAll(c, userName, keepIdHash));
  }

  static int endAll(Connection c, String userName, String keepIdHash) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement("DELETE FROM api_sessions WHERE user_name = ? AND id_hash IS NOT ?")) {
      p.setString(1, userName);
      p.setString(2, keepIdHash);
      return p.executeUpdate();
    }
  }

  /** How many sessions are stored (expired ones not yet dropped included); for tests. */
  public int count() {
    return store.read(
        c -> {
          try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM api_sessions");
              ResultSet r = p.executeQuery()) {
            r.next();
            return r.getInt(1);
          }
        });
  }
}
