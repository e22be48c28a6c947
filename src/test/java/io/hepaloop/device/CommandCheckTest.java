package io.hepaloop.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CommandCheckTest {
  private static final DeviceProfile PROFILE =
      ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));

  private static java.util.Optional<String> check(String actuator, double value) {
    return CommandCheck.refusal(PROFILE, "r1", new ActuatorCommand("r1", actuator, value, "test"));
  }

  @Test
  void aCommandInsideTheAllowedRangePasses() {
    assertThat(check("heater", 55.0)).isEmpty();
    assertThat(check("gas_o2", 5.0)).isEmpty();
    assertThat(check("gas_o2", 60.0)).isEmpty();
  }

  @Test
  void aCommandOutsideTheAllowedRangeIsRefusedNamingTheRangeAndUnit() {
    // gas_o2's instrument range is 0..100 % but the profile allows only 5..60 %.
    assertThat(check("gas_o2", 80.0))
        .hasValueSatisfying(r -> assertThat(r).contains("gas_o2", "80.0", "[5.0, 60.0]", "%"));
    assertThat(check("heater", -1.0))
        .hasValueSatisfying(r -> assertThat(r).contains("outside the allowed range"));
  }

  @Test
  void unknownActuatorsSensorsAndNonNumbersAreRefused() {
    assertThat(check("stirrer", 1.0))
        .hasValueSatisfying(r -> assertThat(r).contains("no actuator 'stirrer'"));
    assertThat(check("temperature", 37.0))
        .hasValueSatisfying(r -> assertThat(r).contains("is a sensor"));
    assertThat(check("pump", Double.NaN))
        .hasValueSatisfying(r -> assertThat(r).contains("not a finite number"));
  }

  @Test
  void aCommandForAnotherReactorIsRefused() {
    assertThat(CommandCheck.refusal(PROFILE, "r1", new ActuatorCommand("r2", "pump", 10, "test")))
        .hasValueSatisfying(r -> assertThat(r).contains("'r2'", "'r1'"));
  }
}
