package io.hepaloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Verifies that {@code recipe validate} and {@code recipe dry-run} refuse an invalid recipe. */
class RecipeCommandTest {
  private final StringWriter out = new StringWriter();

  private int run(String... args) {
    CommandLine cli = HepaLoop.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(new StringWriter(), true));
    return cli.execute(args);
  }

  @Test
  void validatePrintsTheShippedRecipesHashAndExitsZero() {
    assertThat(run("recipe", "validate", "recipes/hepatocyte-perfusion-standard.yaml")).isZero();
    assertThat(out.toString())
        .contains(": OK (recipe hepatocyte-perfusion-standard 1.0: 4 phases", "sha256 ");
  }

  @Test
  void aRecipeWhoseRampWouldDriveALoopBeyondItsLimitsIsRefusedBeforeRunning() {
    String file = "src/test/resources/recipes/broken/ramp-beyond-limits.yaml";

    int exit =
        run(
            "recipe",
            "dry-run",
            file,
            "--profile",
            "device-profiles/liver-perfusion-bioreactor.yaml");

    assertThat(exit).isEqualTo(1);
    assertThat(out.toString())
        .contains(
            file + ":12: phases[1].setpoints[0].ramp.to: phase 'maturation': setpoint 6 mL/min",
            "1 problem; the recipe was not run.")
        .doesNotContain("Dry run of", "IAE");
  }

  @Test
  void validateExitsNonZeroOnEveryBrokenRecipe() {
    assertThat(run("recipe", "validate", "src/test/resources/recipes/broken/duplicates.yaml"))
        .isEqualTo(1);
  }
}
