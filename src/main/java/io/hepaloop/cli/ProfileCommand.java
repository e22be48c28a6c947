package io.hepaloop.cli;

import picocli.CommandLine.Command;

/** {@code hepaloop profile ...}: device profile tools. */
@Command(
    name = "profile",
    mixinStandardHelpOptions = true,
    description = "Device profile tools (validate).",
    subcommands = {ProfileValidateCommand.class})
public final class ProfileCommand {}
