package io.hepaloop.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ShippedProfilesTest {
  static Stream<Path> shipped() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("device-profiles"))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shipped")
  void everyShippedProfileValidatesClean(Path file) {
    assertThat(ProfileLoader.validate(file)).isEmpty();
    assertThat(ProfileLoader.load(file).signals()).isNotEmpty();
  }

  @Test
  void theMinimalTestProfileThatTheBrokenCorpusIsDerivedFromIsValid() {
    assertThat(ProfileLoader.validate(Path.of("src/test/resources/profiles/valid-minimal.yaml")))
        .isEmpty();
  }

  @Test
  void aMonitoringOnlyProfileNeedsNoWatchdogAndAnyIntegerTypeOrBooleanCanHoldTheHeartbeat() {
    DeviceProfile monitoring =
        ProfileLoader.load(Path.of("src/test/resources/profiles/valid-monitoring-only.yaml"));
    assertThat(monitoring.actuators()).isEmpty();
    assertThat(monitoring.watchdog()).isNull();
    assertThat(
            ProfileLoader.validate(Path.of("src/test/resources/profiles/valid-byte-watchdog.yaml")))
        .isEmpty();
  }

  @Test
  void theLiverPerfusionProfileLoadsWithEverySignalTheSimulatorNeeds() {
    DeviceProfile p =
        ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));
    assertThat(p.signals())
        .extracting(SignalSpec::id)
        .contains(
            "temperature",
            "do_inlet",
            "do_outlet",
            "flow",
            "pressure_inlet",
            "heater",
            "gas_o2",
            "pump");
    assertThat(p.requireSignal("pressure_inlet").toEngineering(4000)).isEqualTo(40.0);
    assertThat(p.actuators())
        .allSatisfy(a -> assertThat(a.allowed().contains(a.safeValue())).isTrue());
    assertThat(p.watchdog().timeoutMs()).isGreaterThan(p.watchdog().intervalMs());
    assertThat(p.loops()).extracting(LoopSpec::id).containsExactly("temperature", "flow", "oxygen");
    assertThat(p.loops().get(1).override().pv()).isEqualTo("pressure_inlet");
    assertThat(p.loops().get(2).cascade().pv()).isEqualTo("do_outlet");
    assertThat(
            p.loops()
                .get(2)
                .cascade()
                .setpointLimits()
                .contains(p.loops().get(2).cascade().setpoint()))
        .isTrue();
    assertThat(p.interlocks().get(0).latched()).isTrue();
    assertThat(p.endpoint().identity().isAnonymous()).isTrue();
  }

  @Test
  void endpointSecurityAndIdentityDefaultToNoneAndAnonymousWhenAProfileLeavesThemOut() {
    DeviceProfile p = ProfileLoader.load(Path.of("src/test/resources/profiles/valid-minimal.yaml"));
    assertThat(p.endpoint().securityPolicy()).isEqualTo("None");
    assertThat(p.endpoint().securityMode()).isEqualTo("None");
    assertThat(p.endpoint().identity()).isEqualTo(IdentitySpec.ANONYMOUS);
    assertThat(p.requireSignal("heater").samplingIntervalMsOrDefault()).isEqualTo(500.0);
  }

  @Test
  void thePlcGatewayExampleScalesIntegersAndUsesASecuredUsernameEndpoint() {
    DeviceProfile p = ProfileLoader.load(Path.of("device-profiles/plc-gateway-example.yaml"));
    assertThat(p.endpoint().securityPolicy()).isEqualTo("Basic256Sha256");
    assertThat(p.endpoint().securityMode()).isEqualTo("SignAndEncrypt");
    assertThat(p.endpoint().identity())
        .isEqualTo(new IdentitySpec("username", "hepaloop", "HEPALOOP_PLC_PASSWORD"));
    assertThat(p.requireSignal("temperature").dataType()).isEqualTo("Int16");
    assertThat(p.requireSignal("temperature").toEngineering(371))
        .isCloseTo(37.1, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(p.requireSignal("pump").toRaw(20.0)).isEqualTo(200.0);
    assertThat(p.requireSignal("flow").nodeIdFor("Skid_A"))
        .isEqualTo("nsu=http://example.com/plc-gateway/perfusion;s=Skid_A.FT301");
    assertThat(p.signals()).allSatisfy(s -> assertThat(s.scaling()).isNotNull());
  }
}
