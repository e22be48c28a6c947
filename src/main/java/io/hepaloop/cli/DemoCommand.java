package io.hepaloop.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until its issue lands: says so and exits 2. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Start simulated reactors and the controller in one process, with a live view.")
public final class DemoCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("hepaloop demo: not available in this build yet");
    return 2;
  }
}
