package io.hepaloop.cli;

import io.hepaloop.store.Store;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hepaloop user passwd NAME}: sets a user's password; also ends a lockout, so it is how an
 * administrator lets a locked-out user back in.
 */
@Command(
    name = "passwd",
    mixinStandardHelpOptions = true,
    description = "Set a user's password (ends a lockout); read like the one of add.")
public final class UserPasswdCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "User name.")
  String name;

  @Option(
      names = "--must-change-password",
      description = "The user must choose another password at the next login.")
  boolean mustChange;

  @Mixin DataDirOption dataDir;
  @Mixin PasswordInput password;

  @Override
  public Integer call() throws Exception {
    try (Store store = dataDir.openExistingStore()) {
      var users = DataDirOption.users(store);
      users.get(name); // an unknown user is refused before a password is asked for
      char[] secret = password.read(name);
      try {
        users.setPassword(name, secret, mustChange);
      } finally {
        Arrays.fill(secret, '\0');
      }
      spec.commandLine().getOut().printf("password of %s set%n", name);
      spec.commandLine().getOut().flush();
    }
    return 0;
  }
}
