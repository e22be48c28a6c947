package io.hepaloop.cli;

import picocli.CommandLine.Command;

/** {@code hepaloop bench ...}: benchmarks that print figures. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks that print figures (link, control, telemetry, alarms).",
    subcommands = {
      BenchLinkCommand.class,
      BenchControlCommand.class,
      BenchTelemetryCommand.class,
      BenchAlarmsCommand.class
    })
public final class BenchCommand {}
