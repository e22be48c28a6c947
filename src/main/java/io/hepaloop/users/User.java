package io.hepaloop.users;

import java.time.Instant;

/**
 * A user as stored, without the password hash (which never leaves {@link Users}).
 *
 * @param lockedUntil end of the lockout after repeated failed logins, or null
 * @param failedLogins failed logins since the last success or the end of the last lockout
 */
public record User(
    String name,
    String displayName,
    Role role,
    boolean mustChangePassword,
    boolean disabled,
    int failedLogins,
    Instant lockedUntil,
    Instant createdAt,
    Instant updatedAt) {

  /** True when a lockout is in force at {@code now}. */
  public boolean lockedAt(Instant now) {
    return lockedUntil != null && now.isBefore(lockedUntil);
  }
}
