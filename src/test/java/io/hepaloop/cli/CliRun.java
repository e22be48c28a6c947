package io.hepaloop.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One run of the hepaloop command line in this JVM: its exit code and what it printed. */
record CliRun(int exit, String out, String err) {
  /** Runs {@code hepaloop args...} through picocli, capturing standard output and error. */
  static CliRun of(String... args) {
    CommandLine cli = HepaLoop.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }
}
