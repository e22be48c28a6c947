package io.hepaloop.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until its issue lands: says so and exits 2. */
@Command(name = "simulate", mixinStandardHelpOptions = true, description = "Run simulated bioreactors as OPC UA servers any OPC UA client can connect to.")
public final class SimulateCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("hepaloop simulate: not available in this build yet");
    return 2;
  }
}
