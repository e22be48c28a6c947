package io.hepaloop.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until its issue lands: says so and exits 2. */
@Command(name = "control", mixinStandardHelpOptions = true, description = "Control-quality scenarios on the plant-in-the-loop harness, against a textbook PID and on/off.")
public final class BenchControlCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("hepaloop bench control: not available in this build yet");
    return 2;
  }
}
