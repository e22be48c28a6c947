package io.hepaloop.cli;

import io.hepaloop.store.Store;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code hepaloop user enable NAME}: a disabled user may log in again; also ends a lockout, as the
 * count of wrong passwords is per user.
 */
@Command(
    name = "enable",
    mixinStandardHelpOptions = true,
    description = "Enable a disabled user again (also ends a lockout); the password is unchanged.")
public final class UserEnableCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "User name.")
  String name;

  @Mixin DataDirOption dataDir;

  @Override
  public Integer call() {
    try (Store store = dataDir.openExistingStore()) {
      DataDirOption.users(store).enable(name);
      spec.commandLine().getOut().printf("%s enabled%n", name);
      spec.commandLine().getOut().flush();
    }
    return 0;
  }
}
