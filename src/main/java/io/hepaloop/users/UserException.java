package io.hepaloop.users;

/**
 * Input a user can fix: an unknown role or user, a user that exists already, a weak password. An
 * {@link IllegalArgumentException}, so the command line reports it in one line with exit code 2.
 */
public final class UserException extends IllegalArgumentException {
  public UserException(String message) {
    super(message);
  }
}
