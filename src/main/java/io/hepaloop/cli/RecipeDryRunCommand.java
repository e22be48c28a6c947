package io.hepaloop.cli;

import io.hepaloop.bench.RecipeDryRun;
import io.hepaloop.profile.Checked;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.recipe.Recipe;
import io.hepaloop.recipe.RecipeLoader;
import io.hepaloop.sim.model.ReactorParameters;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hepaloop recipe dry-run FILE --profile P}: plays the whole recipe on the plant-in-the-loop
 * harness in accelerated time and prints, per phase, its duration, control quality per loop, the
 * alarms it would raise and any setpoint outside a loop's limits. An invalid recipe is refused
 * before anything runs (exit 1); a dry run that does not complete (a condition never met) exits 3.
 */
@Command(
    name = "dry-run",
    mixinStandardHelpOptions = true,
    description = {
      "Play a recipe on the plant model in accelerated time (weeks in seconds) and report each phase:",
      "duration, control quality per loop, alarms it would raise, setpoints outside limits.",
      "Exit 0 when it completes, 1 when the recipe is invalid, 3 when a phase's condition is never met."
    })
public final class RecipeDryRunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ProfileOption profile;

  @Parameters(paramLabel = "FILE", description = "Recipe YAML file.")
  Path file;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Sensor noise seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--max-condition-h",
      defaultValue = "72",
      description =
          "A phase ending on a condition that has not held after this many hours stops the dry run (default ${DEFAULT-VALUE}).")
  double maxConditionH;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (!(maxConditionH > 0) || Double.isInfinite(maxConditionH)) {
      throw new IllegalArgumentException(
          "--max-condition-h must be a positive number of hours, got " + maxConditionH);
    }
    DeviceProfile p = profile.load();
    Checked<Recipe> checked = RecipeLoader.check(file, p);
    if (!checked.ok()) {
      RecipeValidateCommand.printProblems(out, checked.problems());
      out.flush();
      return 1;
    }
    Recipe recipe = checked.value();
    out.println(
        "Dry run of "
            + RecipeValidateCommand.describe(recipe)
            + " on profile "
            + p.model()
            + ": plant-in-the-loop harness, sensor noise seed "
            + seed
            + "; prompts answered at once.");
    out.println(
        "Quality on the plant's true values: IAE in PV unit x min; bands temperature ±0.1 °C, flow ±2 %, pO2 ±3 %.");
    out.flush();
    RecipeDryRun.Report r =
        RecipeDryRun.run(recipe, p, ReactorParameters.defaults(), seed, maxConditionH);
    out.print(RecipeDryRun.table(r));
    out.println(
        String.format(
            Locale.ROOT,
            "%s: %d of %d phases, %.1f h (%.1f days) of culture in %.1f s",
            r.finalState(),
            r.phases().stream().filter(RecipeDryRun.PhaseReport::reached).count(),
            recipe.phases().size(),
            r.simulatedH(),
            r.simulatedH() / 24,
            r.wallS()));
    out.flush();
    return r.completed() ? 0 : 3;
  }
}
