package io.hepaloop.users;

import java.time.Instant;

/**
 * What {@link Users#verify} found. The API tells the client only "login failed" for every outcome
 * but {@link Outcome#OK}, so nobody learns which names exist; the outcome is for the audit record.
 *
 * @param user the user on {@link Outcome#OK} (check {@link User#mustChangePassword()}), else null
 * @param lockedUntil when {@link Outcome#LOCKED}, the end of the lockout, else null
 */
public record LoginResult(Outcome outcome, User user, Instant lockedUntil) {
  public enum Outcome {
    OK,
    WRONG_PASSWORD,
    /** Locked after repeated failures (possibly by this one); the password was not checked. */
    LOCKED,
    DISABLED,
    UNKNOWN_USER
  }

  public boolean ok() {
    return outcome == Outcome.OK;
  }
}
