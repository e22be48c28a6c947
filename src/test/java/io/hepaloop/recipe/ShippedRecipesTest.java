package io.hepaloop.recipe;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verifies that the recipes shipped in {@code recipes/} are valid and versioned by content. */
class ShippedRecipesTest {
  static final Path SHIPPED = Path.of("recipes/hepatocyte-perfusion-standard.yaml");
  static final DeviceProfile PROFILE =
      ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));

  @Test
  void everyShippedRecipeIsValidForItsProfile() throws IOException {
    List<Path> recipes;
    try (Stream<Path> files = Files.list(Path.of("recipes"))) {
      recipes = files.filter(f -> f.toString().endsWith(".yaml")).toList();
    }
    assertThat(recipes).isNotEmpty();
    for (Path r : recipes) {
      assertThat(RecipeLoader.validate(r, PROFILE)).as(r.toString()).isEmpty();
    }
  }

  @Test
  void theDemoRecipeRunsAttachmentMaturationAndMaintenanceWithARampAndACondition() {
    Recipe r = RecipeLoader.load(SHIPPED, PROFILE);

    assertThat(r.profile()).isEqualTo(PROFILE.model());
    assertThat(r.phases())
        .extracting(Recipe.Phase::id)
        .containsExactly("attachment", "maturation", "stabilisation", "maintenance");
    Recipe.Setpoint ramp = r.phase("maturation").orElseThrow().setpoints().get(0);
    // from: filled in from where attachment left the flow
    assertThat(ramp.ramp().from()).isEqualTo(0.5);
    assertThat(ramp.ramp().to()).isEqualTo(1.0);
    assertThat(r.phase("stabilisation").orElseThrow().transition().condition().signal())
        .isEqualTo(Recipe.Condition.OUR);
  }

  @Test
  void theVersionIsTheSha256OfTheFileAndAnyEditChangesIt(@TempDir Path dir) throws IOException {
    byte[] bytes = Files.readAllBytes(SHIPPED);
    Recipe r = RecipeLoader.load(SHIPPED, PROFILE);
    assertThat(r.sha256()).isEqualTo(RecipeLoader.sha256(bytes)).hasSize(64);

    Path edited = dir.resolve("edited.yaml");
    Files.writeString(
        edited, Files.readString(SHIPPED) + "# a comment changes nothing but the hash\n");
    Recipe e = RecipeLoader.load(edited, PROFILE);
    assertThat(e.phases()).isEqualTo(r.phases());
    assertThat(e.sha256()).isNotEqualTo(r.sha256());
  }
}
