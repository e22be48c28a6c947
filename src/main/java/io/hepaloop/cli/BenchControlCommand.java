package io.hepaloop.cli;

import io.hepaloop.bench.ControlBenchmark;
import io.hepaloop.bench.PlantHarness;
import io.hepaloop.bench.Scenario;
import io.hepaloop.profile.DeviceProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hepaloop bench control}: the control-quality scenarios on the deterministic
 * plant-in-the-loop harness, for HepaLoop's controller, a textbook PID and an on/off controller, in
 * one run.
 */
@Command(
    name = "control",
    mixinStandardHelpOptions = true,
    description =
        "Control-quality scenarios on the plant-in-the-loop harness, against a textbook PID and on/off.")
public final class BenchControlCommand implements Callable<Integer> {
  @Mixin ProfileOption profile;

  @Option(
      names = "--scenario",
      split = ",",
      description = "Scenarios to run (default all): ${COMPLETION-CANDIDATES}")
  List<Scenario> scenarios;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Sensor noise seed (default ${DEFAULT-VALUE})")
  long seed;

  @Override
  public Integer call() {
    DeviceProfile p = profile.load();
    List<Scenario> run =
        scenarios == null || scenarios.isEmpty() ? List.of(Scenario.values()) : scenarios;
    long t0 = System.nanoTime();
    List<ControlBenchmark.Result> results = new ArrayList<>();
    for (Scenario s : run) {
      for (PlantHarness.Strategy st : PlantHarness.Strategy.values()) {
        results.add(ControlBenchmark.run(p, s, st, seed));
      }
    }
    double simH =
        run.stream().mapToDouble(s -> s.endS).sum()
            * PlantHarness.Strategy.values().length
            / 3600.0;
    System.out.println(
        "HepaLoop control benchmark: plant-in-the-loop harness (simulator model, sensor noise on), true plant values.");
    System.out.println(
        "Bands: temperature ±0.1 °C, flow ±2 %, pO2 ±3 % of setpoint. IAE in PV unit × min; travel = Σ|Δoutput| in %.");
    System.out.print(ControlBenchmark.table(results));
    System.out.printf(
        "%.1f h of simulated culture in %.1f s%n", simH, (System.nanoTime() - t0) / 1e9);
    return 0;
  }
}
