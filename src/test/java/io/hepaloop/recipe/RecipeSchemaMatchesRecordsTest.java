package io.hepaloop.recipe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Verifies that the recipe schema and the records agree field for field, so that a field added to
 * one is never silently refused (or silently dropped) by the other.
 */
class RecipeSchemaMatchesRecordsTest {
  @Test
  void everySchemaObjectHasExactlyTheFieldsOfItsRecord() throws IOException {
    JsonNode schema;
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream("schema/recipe.schema.json")) {
      schema = new ObjectMapper().readTree(in);
    }
    JsonNode defs = schema.path("$defs");
    assertFields(schema, Recipe.class, Set.of("sha256"));
    assertFields(defs.path("phase"), Recipe.Phase.class, Set.of());
    assertFields(defs.path("setpoint"), Recipe.Setpoint.class, Set.of());
    assertFields(
        defs.path("setpoint").path("properties").path("ramp"), Recipe.Ramp.class, Set.of());
    assertFields(
        defs.path("phase").path("properties").path("alarms"), Recipe.PhaseAlarms.class, Set.of());
    assertFields(defs.path("alarmOverride"), Recipe.AlarmOverride.class, Set.of());
    assertFields(defs.path("prompt"), Recipe.Prompt.class, Set.of());
    assertFields(defs.path("transition"), Recipe.Transition.class, Set.of());
    assertFields(defs.path("condition"), Recipe.Condition.class, Set.of());
  }

  private static void assertFields(JsonNode object, Class<?> record, Set<String> notInFile) {
    List<String> properties = new ArrayList<>();
    object.path("properties").fieldNames().forEachRemaining(properties::add);
    Set<String> components = new TreeSet<>();
    Arrays.stream(record.getRecordComponents()).forEach(c -> components.add(c.getName()));
    components.removeAll(notInFile);
    assertThat(new TreeSet<>(properties)).as(record.getSimpleName()).isEqualTo(components);
    assertThat(object.path("additionalProperties").asBoolean(true))
        .as(record.getSimpleName() + " refuses unknown keys")
        .isFalse();
  }
}
