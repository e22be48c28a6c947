package io.hepaloop.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until its issue lands: says so and exits 2. */
@Command(name = "link", mixinStandardHelpOptions = true, description = "64 simulated reactors and 64 links in one process: samples/s, latency, CPU, heap.")
public final class BenchLinkCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("hepaloop bench link: not available in this build yet");
    return 2;
  }
}
