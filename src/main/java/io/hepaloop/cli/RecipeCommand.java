package io.hepaloop.cli;

import picocli.CommandLine.Command;

/** {@code hepaloop recipe ...}: recipe tools. */
@Command(
    name = "recipe",
    mixinStandardHelpOptions = true,
    description = "Recipe tools (validate, dry-run).",
    subcommands = {
      RecipeValidateCommand.class,
      RecipeDryRunCommand.class,
      RecipeReleaseCommand.class
    })
public final class RecipeCommand {}
