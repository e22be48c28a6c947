package io.hepaloop.cli;

import io.hepaloop.store.Store;
import io.hepaloop.users.PasswordRules;
import io.hepaloop.users.Role;
import io.hepaloop.users.User;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hepaloop user add NAME --role ROLE}: a new user with a password read safely. */
@Command(
    name = "add",
    mixinStandardHelpOptions = true,
    description = "Add a user; the password is read from the terminal, stdin or --password-env.")
public final class UserAddCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "User name (lower case).")
  String name;

  @Option(
      names = "--role",
      required = true,
      paramLabel = "ROLE",
      description = "viewer, operator, engineer or admin.")
  String role;

  @Option(
      names = "--display-name",
      paramLabel = "TEXT",
      description = "Name shown in the console and audit (default: NAME).")
  String displayName;

  @Option(
      names = "--must-change-password",
      description = "The user must choose a new password at the first login.")
  boolean mustChange;

  @Mixin DataDirOption dataDir;
  @Mixin PasswordInput password;

  @Override
  public Integer call() throws Exception {
    // Everything that needs no password is checked before one is asked for.
    Role parsed = Role.parse(role);
    PasswordRules.checkName(name);
    try (Store store = dataDir.openStore()) {
      var users = DataDirOption.users(store);
      users.checkNewName(name);
      char[] secret = password.read(name);
      try {
        User added = users.add(name, displayName, parsed, secret, mustChange);
        spec.commandLine()
            .getOut()
            .printf("added %s (%s) in %s%n", added.name(), added.role().id(), store.file());
        spec.commandLine().getOut().flush();
      } finally {
        Arrays.fill(secret, '\0');
      }
    }
    return 0;
  }
}
