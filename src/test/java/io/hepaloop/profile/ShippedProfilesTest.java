package io.hepaloop.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ShippedProfilesTest {
  @Test
  void theLiverPerfusionProfileLoadsWithEverySignalTheSimulatorNeeds() {
    DeviceProfile p = ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));
    assertThat(p.signals()).extracting(SignalSpec::id)
        .contains("temperature", "do_inlet", "do_outlet", "flow", "pressure_inlet", "heater", "gas_o2", "pump");
    assertThat(p.requireSignal("pressure_inlet").toEngineering(4000)).isEqualTo(40.0);
    assertThat(p.actuators()).allSatisfy(a -> assertThat(a.allowed().contains(a.safeValue())).isTrue());
    assertThat(p.watchdog().timeoutMs()).isGreaterThan(p.watchdog().intervalMs());
  }
}
