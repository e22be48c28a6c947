package io.hepaloop.plant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepaloop.app.ReactorLinks;
import io.hepaloop.device.DeviceLinkOptions;
import io.hepaloop.profile.IdentitySpec;
import io.hepaloop.profile.ProfileException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PlantConfigLoaderTest {
  static final Path EXAMPLE = Path.of("hepaloop.example.yaml");
  static final Map<String, String> ENV =
      Map.of(
          "HEPALOOP_PLC_PASSWORD", "plc-secret",
          "HEPALOOP_PLC_SKID_B_PASSWORD", "skid-b-secret");

  @Nested
  class TheShippedExample {
    final PlantConfig plant = PlantConfigLoader.load(EXAMPLE, ENV::get);

    @Test
    void listsItsReactorsInFileOrderWithDataDirRelativeToTheFile() {
      assertThat(plant.reactorIds()).containsExactly("r1", "r2", "skid-a", "skid-b");
      assertThat(plant.dataDir()).isEqualTo(Path.of("data").toAbsolutePath().normalize());
      assertThat(plant.source()).isEqualTo(EXAMPLE);
    }

    @Test
    void twoReactorsOnTheirOwnEndpointsShareOneProfileAndFillReactorWithTheirId() {
      ReactorConfig r1 = plant.reactor("r1").orElseThrow();
      ReactorConfig r2 = plant.reactor("r2").orElseThrow();
      assertThat(r1.profile()).isSameAs(r2.profile());
      assertThat(r1.endpointUrl()).isEqualTo("opc.tcp://127.0.0.1:4841/hepaloop");
      assertThat(r2.endpointUrl()).isEqualTo("opc.tcp://127.0.0.1:4842/hepaloop");
      assertThat(r1.nodeIdFor("temperature"))
          .isEqualTo("nsu=urn:hepaloop:bioreactor;s=r1.temperature");
      assertThat(r2.watchdogNodeId()).isEqualTo("nsu=urn:hepaloop:bioreactor;s=r2.watchdog");
      assertThat(r1.cellsSeeded()).isEqualTo(20_000_000L);
      assertThat(r1.identity().isAnonymous()).isTrue();
      assertThat(r1.resolvedPassword()).isNull();
    }

    @Test
    void twoSkidsOnOneGatewayEndpointReadTheirOwnNodesThroughNodeIdReactor() {
      ReactorConfig a = plant.reactor("skid-a").orElseThrow();
      ReactorConfig b = plant.reactor("skid-b").orElseThrow();
      assertThat(a.endpointUrl())
          .isEqualTo(b.endpointUrl())
          .isEqualTo("opc.tcp://plc-gateway.local:4840");
      assertThat(a.nodeIdFor("temperature"))
          .isEqualTo("nsu=http://example.com/plc-gateway/perfusion;s=Skid_A.TT101");
      assertThat(b.nodeIdFor("temperature"))
          .isEqualTo("nsu=http://example.com/plc-gateway/perfusion;s=Skid_B.TT101");
      assertThat(a.displayName()).isEqualTo("Skid A (PLC)");
      assertThat(a.cellsSeeded()).isNull();
    }

    @Test
    void skidAsAlarmOverridesApplyToItAloneAndSkidBKeepsTheProfilesAlarms() {
      ReactorConfig a = plant.reactor("skid-a").orElseThrow();
      ReactorConfig b = plant.reactor("skid-b").orElseThrow();
      assertThat(a.profile().alarm("temperature_high").orElseThrow().limit()).isEqualTo(37.8);
      assertThat(a.profile().alarm("temperature_high").orElseThrow().onDelayS()).isEqualTo(120);
      assertThat(a.profile().alarm("spool_growing")).isEmpty();
      assertThat(b.profile().alarm("temperature_high").orElseThrow().limit()).isEqualTo(37.5);
      assertThat(b.profile().alarm("spool_growing")).isPresent();
      assertThat(plant.notifications().isEmpty()).isTrue();
    }

    @Test
    void securityComesFromTheProfileAndAnIdentityInTheConfigReplacesTheProfilesWhole() {
      ReactorConfig a = plant.reactor("skid-a").orElseThrow();
      ReactorConfig b = plant.reactor("skid-b").orElseThrow();
      assertThat(a.securityPolicy()).isEqualTo(b.securityPolicy()).isEqualTo("Basic256Sha256");
      assertThat(a.securityMode()).isEqualTo("SignAndEncrypt");
      assertThat(a.identity())
          .isEqualTo(new IdentitySpec("username", "hepaloop", "HEPALOOP_PLC_PASSWORD"));
      assertThat(b.identity())
          .isEqualTo(
              new IdentitySpec("username", "hepaloop-skid-b", "HEPALOOP_PLC_SKID_B_PASSWORD"));
      assertThat(a.resolvedPassword()).isEqualTo("plc-secret");
      assertThat(b.resolvedPassword()).isEqualTo("skid-b-secret");
    }

    @Test
    void eachReactorGivesTheDeviceLinkItsEndpointSecurityCredentialsAndNodeIdReactor() {
      DeviceLinkOptions skid =
          ReactorLinks.optionsFor(plant.reactor("skid-b").orElseThrow())
              .pkiDir(Path.of("target/pki"))
              .build();
      assertThat(skid.reactorId()).isEqualTo("skid-b");
      assertThat(skid.endpointUrl()).isEqualTo("opc.tcp://plc-gateway.local:4840");
      assertThat(skid.securityPolicy()).isEqualTo("Basic256Sha256");
      assertThat(skid.securityMode()).isEqualTo("SignAndEncrypt");
      assertThat(skid.username()).isEqualTo("hepaloop-skid-b");
      assertThat(skid.password()).isEqualTo("skid-b-secret");
      assertThat(skid.nodeIdReactor()).isEqualTo("Skid_B");

      DeviceLinkOptions r1 = ReactorLinks.optionsFor(plant.reactor("r1").orElseThrow()).build();
      assertThat(r1.username()).isNull();
      assertThat(r1.secure()).isFalse();
      assertThat(r1.nodeIdReactor()).isEqualTo("r1");
    }

    @Test
    void thePasswordNeverAppearsInToString() {
      assertThat(plant.toString())
          .doesNotContain("plc-secret", "skid-b-secret")
          .contains("resolvedPassword=***");
    }
  }

  @Test
  void anUnsetPasswordVariableIsAClearErrorNamingTheVariableTheUserAndTheLine() {
    assertThatThrownBy(
            () -> PlantConfigLoader.load(EXAMPLE, Map.of("HEPALOOP_PLC_PASSWORD", "x")::get))
        .isInstanceOfSatisfying(
            ProfileException.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .hasToString(
                        "hepaloop.example.yaml:51: reactors[3].endpoint.identity.passwordEnv: environment variable "
                            + "HEPALOOP_PLC_SKID_B_PASSWORD is not set; it must hold the password of user 'hepaloop-skid-b'"));
  }

  @Test
  void anEmptyPasswordVariableCountsAsUnset() {
    assertThat(
            PlantConfigLoader.validate(
                EXAMPLE,
                Map.of("HEPALOOP_PLC_PASSWORD", "", "HEPALOOP_PLC_SKID_B_PASSWORD", "y")::get))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("HEPALOOP_PLC_PASSWORD is not set"));
  }

  @Test
  void aWholeNumberOfCellsWrittenAsAFloatIsKept() {
    PlantConfig plant =
        PlantConfigLoader.load(
            Path.of("src/test/resources/plant/valid-two-simulated.yaml"), k -> null);
    assertThat(plant.reactor("r1").orElseThrow().cellsSeeded()).isEqualTo(20_000_000L);
    assertThat(plant.reactor("r2").orElseThrow().displayName()).isEqualTo("Reactor two");
    assertThat(plant.reactor("r1").orElseThrow().displayName()).isEqualTo("r1");
  }

  @Test
  void theBaseOfTheBrokenCorpusIsValid() {
    assertThat(
            PlantConfigLoader.validate(
                Path.of("src/test/resources/plant/valid-base.yaml"), k -> null))
        .isEmpty();
  }

  /** {@code lab: analytes:} adds analytes to the built-in ones, or replaces one by id. */
  @Nested
  class LabAnalytes {
    @org.junit.jupiter.api.io.TempDir Path dir;

    @Test
    void configuredAnalytesAreReadWithTheirUnitsAndMolarMasses() throws Exception {
      Path file = dir.resolve("hepaloop.yaml");
      String profile =
          Path.of("device-profiles/liver-perfusion-bioreactor.yaml").toAbsolutePath().toString();
      java.nio.file.Files.writeString(
          file,
          String.join(
              "\n",
              "dataDir: data",
              "reactors:",
              "  - id: r1",
              "    profile: " + profile,
              "lab:",
              "  analytes:",
              "    - id: ammonia",
              "      name: Ammonia",
              "      unit: umol/L",
              "      molarMassGPerMol: 17.03",
              "    - id: albumin",
              "      name: Albumin",
              "      unit: mg/L",
              ""));
      PlantConfig plant = PlantConfigLoader.load(file, ENV::get);
      assertThat(plant.labAnalytes())
          .containsExactly(
              new io.hepaloop.lab.Analyte("ammonia", "Ammonia", "umol/L", 17.03),
              io.hepaloop.lab.Analyte.of("albumin", "Albumin", "mg/L"));
      io.hepaloop.lab.LabAnalytes all = new io.hepaloop.lab.LabAnalytes(plant.labAnalytes());
      assertThat(all.find("albumin").orElseThrow().unit()).isEqualTo("mg/L");
      assertThat(all.find("ammonia")).isPresent();
      assertThat(all.find("glucose")).isPresent();
    }

    @Test
    void theShippedExampleHasNoneAndKeepsTheBuiltInOnes() {
      assertThat(PlantConfigLoader.load(EXAMPLE, ENV::get).labAnalytes()).isEmpty();
    }
  }
}
