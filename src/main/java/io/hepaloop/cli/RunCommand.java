package io.hepaloop.cli;

import picocli.CommandLine.Command;

/** {@code hepaloop run ...}: the runs of a data directory (see docs/runs.md). */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Work with the culture runs of a data directory: the run report.",
    subcommands = {RunReportCommand.class})
public final class RunCommand {}
