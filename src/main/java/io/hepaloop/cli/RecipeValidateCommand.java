package io.hepaloop.cli;

import io.hepaloop.profile.Checked;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.Problem;
import io.hepaloop.recipe.Recipe;
import io.hepaloop.recipe.RecipeLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hepaloop recipe validate FILE... [--profile P]}: checks recipes against the device profile
 * they are written for. Prints {@code FILE: OK (...)} with the recipe's SHA-256, or every problem
 * as {@code file:line: path: what is wrong}; exits 1 when any file has a problem.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = "Validate recipes against a device profile; exits non-zero on any problem.")
public final class RecipeValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ProfileOption profile;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Recipe YAML files.")
  List<Path> files;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    DeviceProfile p = profile.load();
    int bad = 0;
    for (Path file : files) {
      Checked<Recipe> checked = RecipeLoader.check(file, p);
      if (checked.ok()) {
        out.println(file + ": OK (" + describe(checked.value()) + ")");
      } else {
        bad++;
        checked.problems().forEach(out::println);
      }
    }
    out.flush();
    return bad == 0 ? 0 : 1;
  }

  static String describe(Recipe r) {
    return "recipe "
        + r.name()
        + " "
        + r.version()
        + ": "
        + r.phases().size()
        + (r.phases().size() == 1 ? " phase (" : " phases (")
        + String.join(" → ", r.phases().stream().map(Recipe.Phase::id).toList())
        + "), sha256 "
        + r.sha256();
  }

  /** Prints {@code problems} and a closing line; for the commands that refuse a recipe. */
  static void printProblems(PrintWriter out, List<Problem> problems) {
    problems.forEach(out::println);
    out.println(
        problems.size()
            + (problems.size() == 1 ? " problem" : " problems")
            + "; the recipe was not run.");
  }
}
