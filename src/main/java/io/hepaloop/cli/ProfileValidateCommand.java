package io.hepaloop.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the profile validation lands: says so and exits 2. */
@Command(name = "validate", mixinStandardHelpOptions = true, description = "Validate device profiles; exits non-zero on any problem.")
public final class ProfileValidateCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("hepaloop profile validate: not available in this build yet");
    return 2;
  }
}
