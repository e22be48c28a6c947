package io.hepaloop.profile;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A device profile or plant configuration was refused. Carries every problem found, not just the
 * first, so a person fixes the file in one pass. Unchecked (and an {@link
 * IllegalArgumentException}) because a bad file is bad input: nothing should start with it.
 */
public class ProfileException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final transient List<Problem> problems;

  public ProfileException(List<Problem> problems) {
    super(describe(problems));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }

  private static String describe(List<Problem> problems) {
    String count = problems.size() == 1 ? "1 problem" : problems.size() + " problems";
    return count
        + ":\n"
        + problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
  }
}
