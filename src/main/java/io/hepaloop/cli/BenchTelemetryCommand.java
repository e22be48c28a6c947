package io.hepaloop.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until its issue lands: says so and exits 2. */
@Command(name = "telemetry", mixinStandardHelpOptions = true, description = "InfluxDB raw ceiling vs HepaLoop's writer, and end-to-end OPC UA to InfluxDB capacity.")
public final class BenchTelemetryCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("hepaloop bench telemetry: not available in this build yet");
    return 2;
  }
}
