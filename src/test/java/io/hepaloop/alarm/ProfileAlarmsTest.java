package io.hepaloop.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepaloop.profile.AlarmSpec;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ProfileAlarmsTest {
  static final Path LIVER = Path.of("device-profiles/liver-perfusion-bioreactor.yaml");

  static Stream<Path> shipped() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("device-profiles"))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  static AlarmSpec.Rationale why() {
    return new AlarmSpec.Rationale("cause", "consequence", "action", 60);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shipped")
  void everyShippedProfilesAlarmsBuildAsDefinitionsOfTheReactor(Path file) {
    DeviceProfile profile = ProfileLoader.load(file);

    List<AlarmDefinition> defs = ProfileAlarms.definitions("r7", profile);

    assertThat(defs).hasSameSizeAs(profile.alarms()).isNotEmpty();
    assertThat(defs).allSatisfy(d -> assertThat(d.reactorId()).isEqualTo("r7"));
    assertThat(defs)
        .extracting(AlarmDefinition::id)
        .containsExactlyElementsOf(profile.alarms().stream().map(AlarmSpec::id).toList());
    assertThat(defs).allSatisfy(d -> assertThat(d.rationale().maxResponseTimeS()).isPositive());
  }

  @Test
  void theShippedBioreactorHasEveryKindTheIssueAsksFor() {
    Set<AlarmKind> kinds =
        ProfileAlarms.definitions("r1", ProfileLoader.load(LIVER)).stream()
            .map(AlarmDefinition::kind)
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(AlarmKind.class)));
    // rate_of_change is not shipped: a deadband and on-delay on the level alarms do its work here.
    assertThat(kinds).isEqualTo(EnumSet.complementOf(EnumSet.of(AlarmKind.RATE_OF_CHANGE)));
  }

  @Test
  void everyFieldIsCarriedOverAndNamesBecomeConstants() {
    AlarmSpec spec =
        new AlarmSpec(
            "flow_dev",
            "deviation",
            "flow",
            0.2,
            0.05,
            60.0,
            5.0,
            "high",
            true,
            900.0,
            new AlarmSpec.SuppressWhen("flow", "manual"),
            null,
            null,
            new AlarmSpec.Rationale("worn tubing", "starved cells", "check the pump", 900));

    AlarmDefinition d = ProfileAlarms.definition("r2", spec);

    assertThat(d)
        .isEqualTo(
            new AlarmDefinition(
                "flow_dev",
                "r2",
                AlarmKind.DEVIATION,
                "flow",
                0.2,
                0.05,
                60,
                5,
                AlarmPriority.HIGH,
                true,
                900,
                new Suppression("flow", "MANUAL"),
                new Rationale("worn tubing", "starved cells", "check the pump", 900),
                0,
                0));
  }

  @Test
  void absentOptionalFieldsTakeTheirDefaultsAndWindowAndHorizonAreCarried() {
    AlarmSpec spec =
        new AlarmSpec(
            "pred",
            "predicted_low",
            "do_outlet",
            15.0,
            null,
            null,
            null,
            "critical",
            null,
            null,
            null,
            3600.0,
            7200.0,
            why());

    AlarmDefinition d = ProfileAlarms.definition("r1", spec);

    assertThat(d.deadbandInUnits()).isZero();
    assertThat(d.onDelayS()).isZero();
    assertThat(d.offDelayS()).isZero();
    assertThat(d.reAlarmAfterS()).isZero();
    assertThat(d.latched()).isFalse();
    assertThat(d.suppression()).isNull();
    assertThat(d.windowS()).isEqualTo(3600);
    assertThat(d.horizonS()).isEqualTo(7200);
    assertThat(d.priority()).isEqualTo(AlarmPriority.CRITICAL);
  }

  @Test
  void aSpecBuiltInCodeWithoutTheLoadersChecksIsRefusedNamingTheAlarm() {
    AlarmSpec noWindow =
        new AlarmSpec(
            "our",
            "our_decline",
            null,
            30.0,
            null,
            null,
            null,
            "high",
            null,
            null,
            null,
            null,
            null,
            why());
    AlarmSpec unknownKind =
        new AlarmSpec(
            "x",
            "too_warm",
            "t",
            1.0,
            null,
            null,
            null,
            "high",
            null,
            null,
            null,
            null,
            null,
            why());

    assertThatThrownBy(() -> ProfileAlarms.definition("r1", noWindow))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("alarm 'our'")
        .hasMessageContaining("windowS");
    assertThatThrownBy(() -> ProfileAlarms.definition("r1", unknownKind))
        .hasMessage("alarm 'x': unknown kind 'too_warm'");
  }

  @Test
  void theProfilesNamesAreExactlyTheAlarmPackagesConstants() throws IOException {
    assertThat(AlarmSpec.KINDS)
        .containsExactlyElementsOf(lowerNames(AlarmKind.values()))
        .containsExactlyElementsOf(schemaEnum("/$defs/alarm/properties/kind/enum"));
    assertThat(AlarmSpec.PRIORITIES)
        .containsExactlyElementsOf(lowerNames(AlarmPriority.values()))
        .containsExactlyElementsOf(schemaEnum("/$defs/alarm/properties/priority/enum"));
    assertThat(AlarmSpec.LOOP_MODES)
        .containsExactlyElementsOf(
            schemaEnum("/$defs/alarm/properties/suppressWhen/properties/mode/enum"));
  }

  private static List<String> lowerNames(Enum<?>[] values) {
    return Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).toList();
  }

  private static List<String> schemaEnum(String pointer) throws IOException {
    try (InputStream in =
        ProfileAlarmsTest.class
            .getClassLoader()
            .getResourceAsStream("schema/device-profile.schema.json")) {
      JsonNode schema = new ObjectMapper().readTree(in);
      List<String> names = new ArrayList<>();
      schema.at(pointer).forEach(n -> names.add(n.asText()));
      return names;
    }
  }
}
