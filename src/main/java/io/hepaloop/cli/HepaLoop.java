package io.hepaloop.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one executable: {@code ./hepaloop <subcommand>}. */
@Command(
    name = "hepaloop",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Control and monitoring for perfusion bioreactors growing bioengineered liver constructs.",
    subcommands = {
      DemoCommand.class,
      ServeCommand.class,
      SimulateCommand.class,
      ProfileCommand.class,
      TuneCommand.class,
      ExportCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class HepaLoop implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    return new CommandLine(new HepaLoop()).setCaseInsensitiveEnumValuesAllowed(true).setUsageHelpWidth(120);
  }
}
