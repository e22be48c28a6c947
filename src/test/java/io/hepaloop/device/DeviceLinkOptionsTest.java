package io.hepaloop.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DeviceLinkOptionsTest {
  private static final DeviceProfile PROFILE =
      ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));
  private static final String URL = "opc.tcp://127.0.0.1:4840/hepaloop";

  @Test
  void
      defaultsAreNoSecurityAnonymousTheReactorIdInNodeIdsAndTheShortestSamplingIntervalForPublishing() {
    DeviceLinkOptions o = DeviceLinkOptions.builder("r1", PROFILE, URL).build();
    assertThat(o.securityPolicy()).isEqualTo("None");
    assertThat(o.username()).isNull();
    assertThat(o.nodeIdReactor()).isEqualTo("r1");
    assertThat(o.publishingIntervalMsOrDefault()).isEqualTo(100.0);
    assertThat(o.backoff()).isEqualTo(Backoff.DEFAULT);
  }

  @Test
  void theHeartbeatFollowsTheControllerUnlessALinkWithoutOneSaysOtherwise() {
    assertThat(DeviceLinkOptions.builder("r1", PROFILE, URL).build().heartbeat())
        .isEqualTo(DeviceLinkOptions.HeartbeatSource.CONTROLLER);
    assertThat(
            DeviceLinkOptions.builder("r1", PROFILE, URL)
                .heartbeat(DeviceLinkOptions.HeartbeatSource.LINK)
                .build()
                .heartbeat())
        .isEqualTo(DeviceLinkOptions.HeartbeatSource.LINK);
  }

  @Test
  void aMonitoringOnlyProfileNeedsNoWatchdogButOneWithActuatorsDoes() {
    DeviceProfile monitoring =
        ProfileLoader.load(Path.of("src/test/resources/profiles/valid-monitoring-only.yaml"));
    assertThat(DeviceLinkOptions.builder("r1", monitoring, URL).build().profile().watchdog())
        .isNull();
    DeviceProfile p = PROFILE;
    DeviceProfile noWatchdog = p.withWatchdog(null);
    assertThatThrownBy(() -> DeviceLinkOptions.builder("r1", noWatchdog, URL).build())
        .hasMessageContaining("has actuators but no watchdog");
  }

  @Test
  void thePasswordNeverAppearsInToString() {
    DeviceLinkOptions o =
        DeviceLinkOptions.builder("r1", PROFILE, URL).user("operator", "s3cret-pw").build();
    assertThat(o.toString()).contains("operator").doesNotContain("s3cret-pw");
  }

  @Test
  void inconsistentSecurityIsRefusedWithAClearMessage() {
    assertThatThrownBy(
            () ->
                DeviceLinkOptions.builder("r1", PROFILE, URL)
                    .security("Basic256Sha256", "SignAndEncrypt")
                    .build())
        .hasMessageContaining("needs a pkiDir");
    assertThatThrownBy(
            () ->
                DeviceLinkOptions.builder("r1", PROFILE, URL)
                    .security("Basic256Sha256", "None")
                    .build())
        .hasMessageContaining("does not go with");
    assertThatThrownBy(
            () -> DeviceLinkOptions.builder("r1", PROFILE, URL).security("Aes128", "Sign").build())
        .hasMessageContaining("securityPolicy must be one of");
    assertThatThrownBy(
            () -> DeviceLinkOptions.builder("r1", PROFILE, URL).user("operator", null).build())
        .hasMessageContaining("has no password");
    assertThatThrownBy(() -> DeviceLinkOptions.builder("r1", PROFILE, "http://x").build())
        .hasMessageContaining("opc.tcp://");
  }
}
