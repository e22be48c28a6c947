package io.hepaloop.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Option;

/**
 * Where the {@code user} commands get a password (a picocli {@code @Mixin}); never from an
 * argument, which other users see in {@code ps} and the shell keeps in its history. From the
 * environment variable named by {@code --password-env} (for scripts), else typed at the terminal
 * without echo and asked twice, else the first line of standard input (a pipe).
 */
final class PasswordInput {
  /** The environment; tests put their own. */
  static UnaryOperator<String> environment = System::getenv;

  @Option(
      names = "--password-env",
      paramLabel = "VAR",
      description =
          "Read the password from environment variable VAR (for scripts). Without it: typed at"
              + " the terminal (not echoed), or the first line of standard input.")
  String variable;

  /**
   * The password, checked for nothing but presence (the rules are {@code Users}'s).
   *
   * @throws IllegalArgumentException when the variable is unset, the two typings differ, or
   *     standard input is empty
   */
  char[] read(String forWhom) throws IOException {
    if (variable != null) {
      String value = environment.apply(variable);
      if (value == null) {
        throw new IllegalArgumentException(
            "environment variable " + variable + " (--password-env) is not set");
      }
      return value.toCharArray();
    }
    Console console = System.console();
    if (isTerminal(console)) {
      char[] first = console.readPassword("New password for %s: ", forWhom);
      char[] second = console.readPassword("Again: ");
      if (first == null || second == null) {
        throw new IllegalArgumentException("no password typed");
      }
      boolean same = Arrays.equals(first, second);
      Arrays.fill(second, '\0');
      if (!same) {
        Arrays.fill(first, '\0');
        throw new IllegalArgumentException("the two passwords typed differ; nothing changed");
      }
      return first;
    }
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line = in.readLine();
    if (line == null) {
      throw new IllegalArgumentException(
          "no password: standard input is empty (type it at a terminal, pipe it in, or use"
              + " --password-env VAR)");
    }
    return line.toCharArray();
  }

  /**
   * A password re-entered once to sign ({@code prompt} at the terminal, without echo), from the
   * same places as {@link #read}.
   */
  char[] readOnce(String prompt) throws IOException {
    if (variable != null) {
      return read(prompt);
    }
    Console console = System.console();
    if (isTerminal(console)) {
      char[] typed = console.readPassword("%s", prompt);
      if (typed == null) {
        throw new IllegalArgumentException("no password typed");
      }
      return typed;
    }
    return read(prompt);
  }

  /** Java 17's console is null when not on a terminal; Java 22+ has {@code isTerminal()}. */
  private static boolean isTerminal(Console console) {
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
