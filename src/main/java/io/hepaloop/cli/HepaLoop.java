package io.hepaloop.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one executable: {@code ./hepaloop <subcommand>}. */
@Command(
    name = "hepaloop",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Control and monitoring for perfusion bioreactors growing bioengineered liver constructs.",
    subcommands = {
      DemoCommand.class,
      ServeCommand.class,
      SimulateCommand.class,
      ProfileCommand.class,
      TuneCommand.class,
      ExportCommand.class,
      UserCommand.class,
      AuditCommand.class,
      RecipeCommand.class,
      RunCommand.class,
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
    return new CommandLine(new HepaLoop())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setUsageHelpWidth(120)
        .setExecutionExceptionHandler(HepaLoop::userError);
  }

  /**
   * A broken profile or plant configuration, a refused option value (an unknown role or user, a
   * weak password), an unreadable run file, a data directory another HepaLoop is using, or a
   * database whose schema this HepaLoop cannot use, is the user's to fix: its message (every
   * problem, with file and line; the other process) without a stack trace, exit code 2. Anything
   * else is a bug and keeps picocli's stack trace.
   */
  private static int userError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed)
      throws Exception {
    if (e instanceof io.hepaloop.profile.ProfileException
        || e instanceof IllegalArgumentException
        || e instanceof io.hepaloop.core.DirectoryInUseException
        || e instanceof io.hepaloop.store.SchemaMismatchException
        || e instanceof io.hepaloop.run.RunFileException) {
      cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
      cmd.getErr().flush();
      return 2;
    }
    throw e;
  }
}
