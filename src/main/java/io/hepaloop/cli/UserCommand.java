package io.hepaloop.cli;

import picocli.CommandLine.Command;

/** {@code hepaloop user ...}: the users of a data directory (see docs/users.md). */
@Command(
    name = "user",
    mixinStandardHelpOptions = true,
    description =
        "Manage the users of a data directory (add, passwd, role, disable, enable, list).",
    subcommands = {
      UserAddCommand.class,
      UserPasswdCommand.class,
      UserRoleCommand.class,
      UserDisableCommand.class,
      UserEnableCommand.class,
      UserListCommand.class
    })
public final class UserCommand {}
