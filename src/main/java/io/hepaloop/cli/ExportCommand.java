package io.hepaloop.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until its issue lands: says so and exits 2. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Export a run's telemetry as one wide CSV or as line protocol.")
public final class ExportCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("hepaloop export: not available in this build yet");
    return 2;
  }
}
