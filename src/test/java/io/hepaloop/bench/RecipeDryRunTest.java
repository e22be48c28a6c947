package io.hepaloop.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.recipe.Recipe;
import io.hepaloop.recipe.RecipeLoader;
import io.hepaloop.run.ProcedureState;
import io.hepaloop.sim.model.ReactorParameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies that a dry run plays a recipe on the plant-in-the-loop harness to its end and reports
 * each phase: its duration and how it ended, control quality per loop, and the alarms that phase's
 * settings would raise.
 */
class RecipeDryRunTest {
  static final DeviceProfile PROFILE =
      ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));

  @Test
  void theShippedRecipeCompletesAndEveryPhaseIsReported() {
    Recipe recipe =
        RecipeLoader.load(Path.of("recipes/hepatocyte-perfusion-standard.yaml"), PROFILE);

    RecipeDryRun.Report r = RecipeDryRun.run(recipe, PROFILE, ReactorParameters.defaults(), 1, 72);

    assertThat(r.finalState()).isEqualTo(ProcedureState.COMPLETE);
    assertThat(r.phases())
        .extracting(RecipeDryRun.PhaseReport::phaseId)
        .containsExactlyElementsOf(recipe.phases().stream().map(Recipe.Phase::id).toList());
    assertThat(r.phases()).allSatisfy(p -> assertThat(p.reached()).isTrue());
    assertThat(r.phases().get(0).durationH())
        .isCloseTo(24, org.assertj.core.data.Offset.offset(0.01));
    assertThat(r.phases().get(1).durationH())
        .isCloseTo(48, org.assertj.core.data.Offset.offset(0.01));
    assertThat(r.phases().get(2).durationH()).isBetween(6.0, 72.0);
    assertThat(r.phases().get(2).endedBy()).contains("our stable within 5 %");
    assertThat(r.phases().get(3).durationH())
        .isCloseTo(258, org.assertj.core.data.Offset.offset(0.01));
    assertThat(r.simulatedH())
        .as("two weeks of culture, all of it in the phases")
        .isGreaterThanOrEqualTo(24 * 14)
        .isCloseTo(
            r.phases().stream().mapToDouble(RecipeDryRun.PhaseReport::durationH).sum(),
            org.assertj.core.data.Offset.offset(0.01));
    for (RecipeDryRun.PhaseReport p : r.phases()) {
      assertThat(p.loops())
          .extracting(RecipeDryRun.LoopQuality::loopId)
          .containsExactly("temperature", "flow", "oxygen");
      assertThat(p.outsideLimits()).as(p.phaseId()).isEmpty();
      assertThat(p.loops()).allSatisfy(q -> assertThat(q.iaePerMin()).isFinite().isPositive());
    }
    // the flow ramp is tracked: the flow loop stays in its ±2 % band while it moves
    assertThat(r.phases().get(1).loops().get(1).percentInBand()).isGreaterThan(95);
    assertThat(r.phases().get(0).answered()).singleElement().asString().startsWith("seeded:");
    assertThat(RecipeDryRun.table(r))
        .contains("attachment", "maturation", "maintenance", "alarms:");
  }

  @Test
  void aPhaseThatStarvesTheConstructRaisesItsOxygenAlarmsUnlessThePhaseSuppressesThem(
      @TempDir Path dir) throws IOException {
    Path starving = dir.resolve("starving.yaml");
    Files.writeString(
        starving,
        """
        name: starving
        version: "1"
        profile: liver-perfusion-bioreactor
        phases:
          - id: starve
            setpoints:
              - { loop: flow, value: 0.1 }
            transition:
              afterH: 2
          - id: starve-quietly
            setpoints:
              - { loop: flow, value: 0.1 }
            alarms:
              suppress: [do_outlet_low, do_outlet_low_low]
            transition:
              afterH: 2
        """);
    Recipe recipe = RecipeLoader.load(starving, PROFILE);

    RecipeDryRun.Report r = RecipeDryRun.run(recipe, PROFILE, ReactorParameters.defaults(), 1, 72);

    assertThat(r.completed()).isTrue();
    assertThat(r.phases().get(0).alarms())
        .containsKeys("do_outlet_low (high)", "do_outlet_low_low (critical)");
    assertThat(r.phases().get(1).alarms().keySet()).noneMatch(k -> k.startsWith("do_outlet_low"));
  }

  @Test
  void aConditionThatNeverHoldsStopsTheDryRunAndSaysSo(@TempDir Path dir) throws IOException {
    Path never = dir.resolve("never.yaml");
    Files.writeString(
        never,
        """
        name: never
        version: "1"
        profile: liver-perfusion-bioreactor
        phases:
          - id: wait
            transition:
              condition: { signal: temperature, above: 38.5, forH: 1 }
          - id: after
            transition:
              afterH: 1
        """);
    RecipeDryRun.Report r =
        RecipeDryRun.run(
            RecipeLoader.load(never, PROFILE), PROFILE, ReactorParameters.defaults(), 1, 2);

    assertThat(r.finalState()).isEqualTo(ProcedureState.STOPPED);
    assertThat(r.phases())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.reached()).isFalse();
              assertThat(p.endedBy())
                  .contains("not reached", "temperature above 38.5 for 1 h", "2 h");
              assertThat(p.durationH()).isCloseTo(2, org.assertj.core.data.Offset.offset(0.01));
            });
  }
}
