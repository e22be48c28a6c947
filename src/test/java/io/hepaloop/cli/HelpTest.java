package io.hepaloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HelpTest {
  @Test
  void tuneRefusesANegativeSettleTimeBeforeConnectingToAnything() {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream before = System.err;
    System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    int exit;
    try {
      exit = HepaLoop.commandLine().execute("tune", "--loop", "temperature", "--settle-s", "-5");
    } finally {
      System.setErr(before);
    }

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains("--settle-s")
        .contains("-5.0");
  }

  @Test
  void aMissingOrBrokenProfileIsOneClearMessageWithoutAStackTrace() {
    CommandLine cli = HepaLoop.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));

    int exit =
        cli.execute(
            "tune", "--loop", "temperature", "--harness", "--profile", "no-such-dir/rig.yaml");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("hepaloop tune: 1 problem:")
        .contains("no-such-dir/rig.yaml:0: (file): file not found")
        .doesNotContain("\tat ");
  }

  @Test
  void helpListsEverySubcommandOnOneLineEach() {
    CommandLine cli = HepaLoop.commandLine();
    StringWriter text = new StringWriter();
    cli.setOut(new PrintWriter(text));

    assertThat(cli.execute("--help")).isZero();

    List<String> commandLines =
        text.toString().lines().dropWhile(l -> !l.startsWith("Commands:")).skip(1).toList();
    assertThat(commandLines).hasSize(cli.getSubcommands().size());
    for (String name : cli.getSubcommands().keySet()) {
      assertThat(commandLines)
          .anySatisfy(
              l ->
                  assertThat(l.trim())
                      .startsWith(name + " ")
                      .hasSizeGreaterThan(name.length() + 10));
    }
  }
}
