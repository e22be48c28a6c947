package io.hepaloop.cli;

import io.hepaloop.store.Store;
import io.hepaloop.users.Role;
import io.hepaloop.users.User;
import io.hepaloop.users.Users;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code hepaloop user role NAME ROLE}: gives a user another role, effective at their next request;
 * the last enabled admin cannot be demoted.
 */
@Command(
    name = "role",
    mixinStandardHelpOptions = true,
    description = "Give a user another role (effective at their next request).")
public final class UserRoleCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "User name.")
  String name;

  @Parameters(
      index = "1",
      paramLabel = "ROLE",
      description = "viewer, operator, engineer or admin.")
  String role;

  @Mixin DataDirOption dataDir;

  @Override
  public Integer call() {
    Role parsed = Role.parse(role);
    try (Store store = dataDir.openExistingStore()) {
      Users users = DataDirOption.users(store);
      Role before = users.get(name).role();
      User after = users.setRole(name, parsed);
      spec.commandLine()
          .getOut()
          .printf("%s: role %s -> %s%n", name, before.id(), after.role().id());
      spec.commandLine().getOut().flush();
    }
    return 0;
  }
}
