package io.hepaloop.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until its issue lands: says so and exits 2. */
@Command(name = "tune", mixinStandardHelpOptions = true, description = "Relay-feedback auto-tune of one loop on a live reactor; prints the proposed tuning.")
public final class TuneCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("hepaloop tune: not available in this build yet");
    return 2;
  }
}
