package io.hepaloop.profile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JSON Schema and the records must describe the same fields: a field added to a record but not
 * to the schema would be refused as an unknown key, and one added to the schema only would be
 * dropped.
 */
class SchemaMatchesRecordsTest {
  static JsonNode schema() throws IOException {
    try (InputStream in =
        SchemaMatchesRecordsTest.class
            .getClassLoader()
            .getResourceAsStream("schema/device-profile.schema.json")) {
      return new ObjectMapper().readTree(in);
    }
  }

  static Stream<Arguments> pairs() {
    return Stream.of(
        Arguments.of("", DeviceProfile.class),
        Arguments.of("/$defs/endpoint", EndpointSpec.class),
        Arguments.of("/$defs/identity", IdentitySpec.class),
        Arguments.of("/properties/oxygen", OxygenSpec.class),
        Arguments.of("/$defs/signal", SignalSpec.class),
        Arguments.of("/$defs/range", Range.class),
        Arguments.of("/$defs/signal/properties/scaling", Scaling.class),
        Arguments.of("/$defs/watchdog", WatchdogSpec.class),
        Arguments.of("/$defs/tuning", TuningSpec.class),
        Arguments.of("/$defs/loop", LoopSpec.class),
        Arguments.of("/$defs/loop/properties/override", LoopSpec.OverrideSpec.class),
        Arguments.of("/$defs/loop/properties/cascade", LoopSpec.CascadeSpec.class),
        Arguments.of("/$defs/interlock", InterlockSpec.class),
        Arguments.of("/$defs/interlock/properties/action", InterlockSpec.Action.class),
        Arguments.of("/$defs/alarm", AlarmSpec.class),
        Arguments.of("/$defs/alarm/properties/suppressWhen", AlarmSpec.SuppressWhen.class),
        Arguments.of("/$defs/alarm/properties/rationale", AlarmSpec.Rationale.class));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("pairs")
  void everyRecordComponentIsASchemaPropertyAndViceVersa(
      String pointer, Class<? extends Record> type) throws IOException {
    JsonNode def = schema().at(pointer);
    List<String> properties = new ArrayList<>();
    def.path("properties").fieldNames().forEachRemaining(properties::add);
    List<String> components =
        Arrays.stream(type.getRecordComponents()).map(c -> c.getName()).toList();

    assertThat(properties).containsExactlyInAnyOrderElementsOf(components);
    assertThat(def.path("additionalProperties").asBoolean(true))
        .as("unknown keys are refused")
        .isFalse();
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("pairs")
  void everyPrimitiveRecordComponentIsRequiredByTheSchema(
      String pointer, Class<? extends Record> type) throws IOException {
    JsonNode def = schema().at(pointer);
    List<String> required = new ArrayList<>();
    def.path("required").forEach(n -> required.add(n.asText()));
    List<String> primitives =
        Arrays.stream(type.getRecordComponents())
            .filter(c -> c.getType().isPrimitive())
            .map(c -> c.getName())
            .toList();

    assertThat(required).as("a missing primitive would silently become 0").containsAll(primitives);
  }

  @org.junit.jupiter.api.Test
  void theSchemasDataTypesAreExactlyTheOnesTheDeviceLinkAndTheSimulatorConvert()
      throws IOException {
    List<String> names = new ArrayList<>();
    schema().at("/$defs/dataType/enum").forEach(n -> names.add(n.asText()));
    assertThat(names)
        .containsExactly(
            Arrays.stream(io.hepaloop.core.DataType.values())
                .map(io.hepaloop.core.DataType::opcName)
                .toArray(String[]::new));
  }
}
