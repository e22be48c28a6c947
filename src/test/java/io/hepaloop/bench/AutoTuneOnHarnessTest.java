package io.hepaloop.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.bench.PlantHarness.Strategy;
import io.hepaloop.control.RelayAutoTuner;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AutoTuneOnHarnessTest {
  static final DeviceProfile PROFILE =
      ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));

  @Test
  void theRelayTunedTemperatureLoopMeetsTheQualityTargets() {
    RelayAutoTuner t =
        HarnessAutoTune.run(
            PROFILE, "temperature", HarnessAutoTune.defaultConfig("temperature"), 1);
    assertThat(t.state()).as(String.valueOf(t.abortReason())).isEqualTo(RelayAutoTuner.State.DONE);
    assertThat(t.result().ultimatePeriodS()).isBetween(30.0, 600.0);
    DeviceProfile tuned = HarnessAutoTune.withTuning(PROFILE, "temperature", t.result().proposal());
    ControlBenchmark.Result step =
        ControlBenchmark.run(tuned, Scenario.SETPOINT_STEP, Strategy.HEPALOOP, 2);
    assertThat(step.loop("temperature").overshoot()).isLessThanOrEqualTo(0.2);
    assertThat(step.loop("temperature").percentInBand()).isGreaterThanOrEqualTo(99.0);
    ControlBenchmark.Result ramp =
        ControlBenchmark.run(tuned, Scenario.FLOW_RAMP, Strategy.HEPALOOP, 2);
    assertThat(ramp.loop("temperature").percentInBand()).isGreaterThanOrEqualTo(99.0);
  }

  @Test
  void theRelayNeverDrivesTheTemperatureOutsideItsSafetyBand() {
    RelayAutoTuner.Config cfg = HarnessAutoTune.defaultConfig("temperature");
    RelayAutoTuner t = HarnessAutoTune.run(PROFILE, "temperature", cfg, 3);
    assertThat(t.state()).isEqualTo(RelayAutoTuner.State.DONE);
    assertThat(t.result().pvAmplitude()).isLessThan(cfg.maxDeviation());
  }
}
