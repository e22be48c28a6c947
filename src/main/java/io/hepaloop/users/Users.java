package io.hepaloop.users;

import io.hepaloop.store.Store;
import io.hepaloop.time.Clock;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The users of a data directory, in its {@link Store}: add, change password, disable, enable, list,
 * and {@link #verify} a login with lockout.
 *
 * <p>Lockout: {@value #MAX_FAILED_LOGINS} wrong passwords in a row lock the account for {@link
 * #LOCKOUT} (15 minutes) by the given {@link Clock}'s wall time; while locked, the password is not
 * even checked and attempts do not count. A success, the end of the lockout, a new password set by
 * {@link #setPassword}, or {@link #enable} starts the count again. A disabled user cannot log in at
 * all.
 *
 * <p>Every method blocks (the database, and ~100 ms of Argon2 in {@link #add}, {@link #setPassword}
 * and {@link #verify}): call it on a worker thread, e.g. Vert.x {@code executeBlocking}. The hash
 * is computed outside the database's lock, so a login never holds up other database work for its
 * duration.
 */
public final class Users {
  public static final int MAX_FAILED_LOGINS = 5;
  public static final Duration LOCKOUT = Duration.ofMinutes(15);

  /** The user the first start of a data directory creates. */
  public static final String FIRST_ADMIN = "admin";

  private static final String COLUMNS =
      "name, display_name, role, must_change_password, disabled, failed_logins, locked_until,"
          + " created_at, updated_at";

  /** Generated passwords: no 0/O, 1/l/I look-alikes; 20 of 56 characters is ~116 bits. */
  private static final String GENERATED_ALPHABET =
      "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  private static final int GENERATED_LENGTH = 20;

  private final Store store;
  private final Clock clock;
  private final PasswordHasher hasher;
  private final SecureRandom random = new SecureRandom();

  /**
   * A hash to compare against when there is no user, so an unknown name costs what a known does.
   */
  private final String dummyHash;

  public Users(Store store, Clock clock) {
    this(store, clock, new PasswordHasher());
  }

  public Users(Store store, Clock clock, PasswordHasher hasher) {
    this.store = store;
    this.clock = clock;
    this.hasher = hasher;
    this.dummyHash = hasher.hash("no user has this password".toCharArray());
  }

  /**
   * Adds a user.
   *
   * @throws UserException for a bad name, a weak password, or a name already taken
   */
  public User add(
      String name, String displayName, Role role, char[] password, boolean mustChangePassword) {
    PasswordRules.checkName(name);
    PasswordRules.checkPassword(name, password);
    String display = displayName == null || displayName.isBlank() ? name : displayName.strip();
    String hash = hasher.hash(password);
    String now = clock.now().toString();
    return store.transaction(
        c -> {
          if (find(c, name).isPresent()) {
            throw exists(name);
          }
          try (PreparedStatement p =
              c.prepareStatement(
                  "INSERT INTO users (name, display_name, role, password_hash,"
                      + " must_change_password, created_at, updated_at)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, name);
            p.setString(2, display);
            p.setString(3, role.id());
            p.setString(4, hash);
            p.setInt(5, mustChangePassword ? 1 : 0);
            p.setString(6, now);
            p.setString(7, now);
            p.executeUpdate();
          }
          return find(c, name).orElseThrow();
        });
  }

  /**
   * Sets a new password; also ends a lockout, clears the failure count and ends every API session
   * of the user.
   *
   * @param mustChange true when the user must choose another one at the next login (an admin's
   *     reset), false when the user chose it
   * @throws UserException for an unknown user or a weak password
   */
  public void setPassword(String name, char[] password, boolean mustChange) {
    setPassword(name, password, mustChange, null);
  }

  /**
   * Sets a new password and, in the same transaction, ends the user's API sessions but {@code
   * keepSessionIdHash} (the session that changed it, or null): a password changed because it leaked
   * must not leave the leaker logged in.
   *
   * @throws UserException for an unknown user or a weak password
   */
  public void setPassword(
      String name, char[] password, boolean mustChange, String keepSessionIdHash) {
    get(name);
    PasswordRules.checkPassword(name, password);
    String hash = hasher.hash(password);
    String now = clock.now().toString();
    store.transaction(
        c -> {
          try (PreparedStatement p =
              c.prepareStatement(
                  "UPDATE users SET password_hash = ?, must_change_password = ?, failed_logins ="
                      + " 0, locked_until = NULL, updated_at = ? WHERE name = ?")) {
            p.setString(1, hash);
            p.setInt(2, mustChange ? 1 : 0);
            p.setString(3, now);
            p.setString(4, name);
            if (p.executeUpdate() == 0) {
              throw new UserException(UserException.Kind.UNKNOWN_USER, "no user '" + name + "'");
            }
          }
          return Sessions.endAll(c, name, keepSessionIdHash);
        });
  }

  /**
   * Disables a user: no more logins, and their API sessions end (their API tokens are refused while
   * disabled). The row stays, so audit records keep naming someone.
   *
   * @throws UserException for an unknown user, or the last enabled admin (nobody could manage users
   *     any more)
   */
  public void disable(String name) {
    get(name);
    String now = clock.now().toString();
    store.transaction(
        c -> {
          User user =
              find(c, name)
                  .orElseThrow(
                      () ->
                          new UserException(
                              UserException.Kind.UNKNOWN_USER, "no user '" + name + "'"));
          if (user.role() == Role.ADMIN && !user.disabled() && enabledAdmins(c) <= 1) {
            throw lastAdmin(name, "disable");
          }
          try (PreparedStatement p =
              c.prepareStatement("UPDATE users SET disabled = 1, updated_at = ? WHERE name = ?")) {
            p.setString(1, now);
            p.setString(2, name);
            p.executeUpdate();
          }
          return Sessions.endAll(c, name, null);
        });
  }

  /**
   * Enables a disabled user again: they may log in with their password. A lockout ends and the
   * count of wrong passwords starts again, as after a new password: the count is per user, and
   * failures from before they were disabled must not lock them out at the first typo. Enabling an
   * enabled user does only that. Their old sessions stay ended and their API tokens (kept while
   * disabled) work again.
   *
   * @throws UserException for an unknown user
   */
  public void enable(String name) {
    get(name);
    update(name, "disabled = 0, failed_logins = 0, locked_until = NULL");
  }

  /**
   * Gives a user another role, effective at their next request (sessions and tokens act with the
   * role as stored).
   *
   * @throws UserException for an unknown user, or demoting the last enabled admin
   */
  public User setRole(String name, Role role) {
    get(name);
    String now = clock.now().toString();
    return store.transaction(
        c -> {
          User user =
              find(c, name)
                  .orElseThrow(
                      () ->
                          new UserException(
                              UserException.Kind.UNKNOWN_USER, "no user '" + name + "'"));
          if (user.role() == Role.ADMIN
              && role != Role.ADMIN
              && !user.disabled()
              && enabledAdmins(c) <= 1) {
            throw lastAdmin(name, "demote");
          }
          try (PreparedStatement p =
              c.prepareStatement("UPDATE users SET role = ?, updated_at = ? WHERE name = ?")) {
            p.setString(1, role.id());
            p.setString(2, now);
            p.setString(3, name);
            p.executeUpdate();
          }
          return find(c, name).orElseThrow();
        });
  }

  private static UserException lastAdmin(String name, String what) {
    return new UserException(
        UserException.Kind.CONFLICT,
        "'"
            + name
            + "' is the last enabled admin: cannot "
            + what
            + " them (make another user admin first)");
  }

  private static int enabledAdmins(Connection c) throws SQLException {
    try (PreparedStatement p =
            c.prepareStatement("SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0");
        ResultSet r = p.executeQuery()) {
      r.next();
      return r.getInt(1);
    }
  }

  /** The user named {@code name}, if any. */
  public Optional<User> find(String name) {
    return store.read(c -> find(c, name));
  }

  /** Every user, by name. */
  public List<User> list() {
    return store.read(
        c -> {
          List<User> out = new ArrayList<>();
          try (PreparedStatement p =
                  c.prepareStatement("SELECT " + COLUMNS + " FROM users ORDER BY name");
              ResultSet r = p.executeQuery()) {
            while (r.next()) {
              out.add(user(r));
            }
          }
          return out;
        });
  }

  /**
   * Checks a login and counts it: a wrong password adds a failure and the {@value
   * #MAX_FAILED_LOGINS}th locks the account; a right one clears the count. Costs one hash whatever
   * the outcome, so timing does not tell which names exist.
   */
  public LoginResult verify(String name, char[] password) {
    Instant now = clock.now();
    Optional<Stored> found = store.read(c -> stored(c, name));
    if (found.isEmpty()
        || found.get().user.disabled()
        || found.get().user.lockedAt(now)
        || password.length > PasswordRules.MAX_PASSWORD_LENGTH) {
      hasher.verify(new char[] {'x'}, dummyHash);
      if (found.isEmpty()) {
        return new LoginResult(LoginResult.Outcome.UNKNOWN_USER, null, null);
      }
      User user = found.get().user;
      if (user.disabled()) {
        return new LoginResult(LoginResult.Outcome.DISABLED, null, null);
      }
      if (user.lockedAt(now)) {
        return new LoginResult(LoginResult.Outcome.LOCKED, null, user.lockedUntil());
      }
      return failed(name, now);
    }
    if (hasher.verify(password, found.get().hash)) {
      update(name, false, "failed_logins = 0, locked_until = NULL");
      return new LoginResult(LoginResult.Outcome.OK, find(name).orElseThrow(), null);
    }
    return failed(name, now);
  }

  private LoginResult failed(String name, Instant now) {
    return store.transaction(
        c -> {
          User user = find(c, name).orElseThrow();
          // A lockout that has run out starts a fresh count.
          int failures = (user.lockedUntil() != null ? 0 : user.failedLogins()) + 1;
          Instant lockedUntil = failures >= MAX_FAILED_LOGINS ? now.plus(LOCKOUT) : null;
          try (PreparedStatement p =
              c.prepareStatement(
                  "UPDATE users SET failed_logins = ?, locked_until = ? WHERE name = ?")) {
            p.setInt(1, failures);
            p.setString(2, lockedUntil == null ? null : lockedUntil.toString());
            p.setString(3, name);
            p.executeUpdate();
          }
          return lockedUntil == null
              ? new LoginResult(LoginResult.Outcome.WRONG_PASSWORD, null, null)
              : new LoginResult(LoginResult.Outcome.LOCKED, null, lockedUntil);
        });
  }

  /**
   * On the first start of a data directory (no users at all), creates {@value #FIRST_ADMIN} with a
   * random password that must be changed at the first login, and returns that password to be shown
   * once; it is stored only as a hash. Returns empty when there are users already.
   */
  public Optional<String> ensureFirstAdmin() {
    if (count() > 0) {
      return Optional.empty();
    }
    char[] password = new char[GENERATED_LENGTH];
    for (int i = 0; i < password.length; i++) {
      password[i] = GENERATED_ALPHABET.charAt(random.nextInt(GENERATED_ALPHABET.length()));
    }
    String hash = hasher.hash(password);
    String now = clock.now().toString();
    boolean created =
        store.transaction(
            c -> {
              // Counted again under the write lock: another process may have just created one.
              if (count(c) > 0) {
                return false;
              }
              try (PreparedStatement p =
                  c.prepareStatement(
                      "INSERT INTO users (name, display_name, role, password_hash,"
                          + " must_change_password, created_at, updated_at)"
                          + " VALUES (?, 'Administrator', 'admin', ?, 1, ?, ?)")) {
                p.setString(1, FIRST_ADMIN);
                p.setString(2, hash);
                p.setString(3, now);
                p.setString(4, now);
                p.executeUpdate();
              }
              return true;
            });
    return created ? Optional.of(new String(password)) : Optional.empty();
  }

  /** How many users there are, disabled ones included. */
  public int count() {
    return store.read(Users::count);
  }

  private static int count(Connection c) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM users");
        ResultSet r = p.executeQuery()) {
      r.next();
      return r.getInt(1);
    }
  }

  /**
   * The user named {@code name}.
   *
   * @throws UserException naming the users there are, when there is none of that name
   */
  public User get(String name) {
    return find(name)
        .orElseThrow(
            () ->
                new UserException(
                    UserException.Kind.UNKNOWN_USER, "no user '" + name + "'" + known()));
  }

  /**
   * Checks that {@code name} is a valid name no user has yet, so a command can refuse it before it
   * asks for a password.
   *
   * @throws UserException when the name is malformed or taken
   */
  public void checkNewName(String name) {
    PasswordRules.checkName(name);
    if (find(name).isPresent()) {
      throw exists(name);
    }
  }

  private static UserException exists(String name) {
    return new UserException(UserException.Kind.CONFLICT, "user '" + name + "' exists already");
  }

  private String known() {
    List<User> all = list();
    if (all.isEmpty()) {
      return " (there are no users)";
    }
    return "; users: " + String.join(", ", all.stream().map(User::name).toList());
  }

  private void update(String name, String set, Object... values) {
    update(name, true, set, values);
  }

  private void update(String name, boolean touch, String set, Object... values) {
    int rows =
        store.transaction(
            c -> {
              try (PreparedStatement p =
                  c.prepareStatement(
                      "UPDATE users SET "
                          + set
                          + (touch ? ", updated_at = ?" : "")
                          + " WHERE name = ?")) {
                int i = 1;
                for (Object v : values) {
                  p.setObject(i++, v);
                }
                if (touch) {
                  p.setString(i++, clock.now().toString());
                }
                p.setString(i, name);
                return p.executeUpdate();
              }
            });
    if (rows == 0) {
      throw new UserException(UserException.Kind.UNKNOWN_USER, "no user '" + name + "'" + known());
    }
  }

  private record Stored(User user, String hash) {}

  private static Optional<Stored> stored(Connection c, String name) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement("SELECT " + COLUMNS + ", password_hash FROM users WHERE name = ?")) {
      p.setString(1, name);
      try (ResultSet r = p.executeQuery()) {
        return r.next()
            ? Optional.of(new Stored(user(r), r.getString("password_hash")))
            : Optional.empty();
      }
    }
  }

  static Optional<User> find(Connection c, String name) throws SQLException {
    return stored(c, name).map(Stored::user);
  }

  private static User user(ResultSet r) throws SQLException {
    String locked = r.getString("locked_until");
    return new User(
        r.getString("name"),
        r.getString("display_name"),
        Role.parse(r.getString("role")),
        r.getInt("must_change_password") == 1,
        r.getInt("disabled") == 1,
        r.getInt("failed_logins"),
        locked == null ? null : Instant.parse(locked),
        Instant.parse(r.getString("created_at")),
        Instant.parse(r.getString("updated_at")));
  }
}
