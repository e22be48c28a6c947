package io.hepaloop.profile;

import java.util.List;

/**
 * What checking one file found: every problem, and the value read from it when there were none.
 * Lets a caller that both reports and uses a file ({@code profile validate} prints a summary of a
 * valid one) read and check it once.
 *
 * @param problems every problem, in reading order; empty when the file is valid
 * @param value the file's contents as a record; null exactly when there are problems
 */
public record Checked<T>(List<Problem> problems, T value) {
  public Checked {
    problems = List.copyOf(problems);
  }

  public boolean ok() {
    return problems.isEmpty();
  }

  /**
   * The value.
   *
   * @throws ProfileException listing every problem, when there are any
   */
  public T orElseThrow() {
    if (!problems.isEmpty()) {
      throw new ProfileException(problems);
    }
    return value;
  }
}
