package io.hepaloop.users;

/**
 * Input a user can fix: an unknown role or user, a user that exists already, a weak password. An
 * {@link IllegalArgumentException}, so the command line reports it in one line with exit code 2.
 * The API tells the kinds apart by {@link #kind()} (400, 404 or 409).
 */
public class UserException extends IllegalArgumentException {
  /** What kind of mistake: bad input, an unknown user, or a conflict with what is stored. */
  public enum Kind {
    INVALID,
    UNKNOWN_USER,
    CONFLICT
  }

  private final Kind kind;

  public UserException(String message) {
    this(Kind.INVALID, message);
  }

  public UserException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
