package io.hepaloop.cli;

import io.hepaloop.store.Store;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code hepaloop user disable NAME}: no more logins for that user; the record stays. */
@Command(
    name = "disable",
    mixinStandardHelpOptions = true,
    description = "Disable a user: no more logins (kept for the audit trail).")
public final class UserDisableCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "User name.")
  String name;

  @Mixin DataDirOption dataDir;

  @Override
  public Integer call() {
    try (Store store = dataDir.openExistingStore()) {
      DataDirOption.users(store).disable(name);
      spec.commandLine().getOut().printf("%s disabled%n", name);
      spec.commandLine().getOut().flush();
    }
    return 0;
  }
}
