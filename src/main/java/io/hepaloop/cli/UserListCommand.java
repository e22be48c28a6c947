package io.hepaloop.cli;

import io.hepaloop.store.Store;
import io.hepaloop.time.SystemClock;
import io.hepaloop.users.User;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code hepaloop user list}: every user with role and state; never a password hash. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List the users with role and state (active, disabled, locked).")
public final class UserListCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin DataDirOption dataDir;

  @Override
  public Integer call() {
    List<User> users;
    try (Store store = dataDir.openExistingStore()) {
      users = DataDirOption.users(store).list();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (users.isEmpty()) {
      out.println(
          "no users in " + dataDir.path() + "; add one with: hepaloop user add NAME --role ROLE");
    } else {
      String format = "%-20s %-9s %-34s %s%n";
      out.printf(format, "NAME", "ROLE", "STATE", "DISPLAY NAME");
      Instant now = SystemClock.INSTANCE.now();
      for (User u : users) {
        out.printf(format, u.name(), u.role().id(), state(u, now), u.displayName());
      }
    }
    out.flush();
    return 0;
  }

  static String state(User u, Instant now) {
    String state =
        u.disabled()
            ? "disabled"
            : u.lockedAt(now)
                ? "locked until "
                    + u.lockedUntil().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                : "active";
    return u.mustChangePassword() && !u.disabled() ? state + ", must change password" : state;
  }
}
