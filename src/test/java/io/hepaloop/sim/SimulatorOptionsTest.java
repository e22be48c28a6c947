package io.hepaloop.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepaloop.profile.DeviceProfile;
import org.junit.jupiter.api.Test;

class SimulatorOptionsTest {
  static final DeviceProfile PROFILE = SimClients.profile();

  SimulatorOptions.Builder b() {
    return SimulatorOptions.builder().profile(PROFILE);
  }

  @Test
  void theDefaultsAreOneLoopbackReactorWithEverySecurityOptionOnTheProfilesPath() {
    SimulatorOptions o = b().build();
    assertThat(o.reactorIds()).containsExactly("r1");
    assertThat(o.layout()).isEqualTo(Layout.SERVER_PER_REACTOR);
    assertThat(o.bindAddress()).isEqualTo("127.0.0.1");
    assertThat(o.basePort()).isZero();
    assertThat(o.path()).isEqualTo("/hepaloop");
    assertThat(o.speed()).isEqualTo(1.0);
    assertThat(
            o.allowNone() && o.allowSignAndEncrypt() && o.allowAnonymous() && o.trustAllClients())
        .isTrue();
  }

  @Test
  void badOptionsAreRefusedSayingWhatIsWrong() {
    assertThatThrownBy(() -> SimulatorOptions.builder().build()).hasMessageContaining("profile");
    assertThatThrownBy(() -> b().reactorIds("r1", "r1").build()).hasMessageContaining("unique");
    assertThatThrownBy(() -> b().reactorIds("r.1").build()).hasMessageContaining("'r.1'");
    assertThatThrownBy(() -> b().speed(0).build()).hasMessageContaining("speed");
    assertThatThrownBy(() -> b().allowNone(false).allowSignAndEncrypt(false).build())
        .hasMessageContaining("security policy");
    assertThatThrownBy(() -> b().allowAnonymous(false).build())
        .hasMessageContaining("nobody could connect");
    assertThatThrownBy(() -> b().basePort(70000).build()).hasMessageContaining("basePort");
  }
}
