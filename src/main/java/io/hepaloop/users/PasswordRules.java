package io.hepaloop.users;

import java.util.regex.Pattern;

/**
 * What a user name and a password must be. Length is what makes a password strong (NIST SP
 * 800-63B): at least {@value #MIN_PASSWORD_LENGTH} characters and no composition rules; the user's
 * own name is refused. The upper bound only keeps a login request from feeding the hash megabytes.
 */
public final class PasswordRules {
  public static final int MIN_PASSWORD_LENGTH = 10;
  public static final int MAX_PASSWORD_LENGTH = 1024;

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");

  private PasswordRules() {}

  /**
   * Refuses a user name that is not 1-32 lower-case letters, digits, '.', '_' or '-' starting with
   * a letter or digit: names appear in audit records, URLs and log lines, and one spelling per
   * person keeps "Admin" and "admin" from being two users.
   */
  public static void checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new UserException(
          "user name '"
              + name
              + "': use 1 to 32 lower-case letters, digits, '.', '_' or '-', starting with a"
              + " letter or digit");
    }
  }

  /** Refuses a password too short, too long, or equal to the user's name (ignoring case). */
  public static void checkPassword(String name, char[] password) {
    int length = String.valueOf(password).codePointCount(0, password.length);
    if (length < MIN_PASSWORD_LENGTH) {
      throw new UserException(
          "password too short: "
              + length
              + " characters, at least "
              + MIN_PASSWORD_LENGTH
              + " needed (a few words make a long one easy to remember)");
    }
    if (length > MAX_PASSWORD_LENGTH) {
      throw new UserException(
          "password too long: " + length + " characters, at most " + MAX_PASSWORD_LENGTH);
    }
    if (name != null && String.valueOf(password).strip().equalsIgnoreCase(name)) {
      throw new UserException("password must not be the user name");
    }
  }
}
