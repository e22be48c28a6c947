package io.hepaloop.profile;

import java.util.Comparator;

/**
 * One thing wrong with a profile or plant configuration, located so that a person can fix it
 * without guessing: {@code file:line: path: what is wrong}.
 *
 * @param file the file as the user named it (or as resolved from the plant configuration)
 * @param line 1-based line in that file; 0 when the file could not be read at all
 * @param path where in the document, e.g. {@code signals[3].safeValue}; {@code (file)} or {@code
 *     (yaml)} for problems with the file itself
 * @param message what is wrong, in words, with the offending value when there is one
 */
public record Problem(String file, int line, String path, String message) {
  /** File, then line, then path: the order a person reads the file in. */
  public static final Comparator<Problem> READING_ORDER =
      Comparator.comparing(Problem::file)
          .thenComparingInt(Problem::line)
          .thenComparing(Problem::path)
          .thenComparing(Problem::message);

  @Override
  public String toString() {
    return file + ":" + line + ": " + path + ": " + message;
  }
}
