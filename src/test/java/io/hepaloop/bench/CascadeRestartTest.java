package io.hepaloop.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.bench.PlantHarness.Strategy;
import io.hepaloop.control.ControlLoop;
import io.hepaloop.control.LoopMode;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.LoopSpec;
import io.hepaloop.sim.model.ReactorParameters;
import org.junit.jupiter.api.Test;

/**
 * A new controller process must take over a running oxygen cascade without a bump (issue 7, part
 * 5): tried on a foreign device, a restarted controller put the inner (inlet pO2) setpoint back to
 * the profile's 100 mmHg although the cascade had raised it to 146, cut the sweep-gas O2 and left
 * the outlet below its floor for ten minutes. Here on the deterministic harness: the plant's cells
 * at a high oxygen demand, the cascade settled, then a fresh {@link
 * io.hepaloop.control.ReactorControl} on the same plant.
 */
class CascadeRestartTest {
  static final DeviceProfile PROFILE = ControlQualityTest.PROFILE;
  static final LoopSpec OXYGEN =
      PROFILE.loops().stream().filter(l -> l.id().equals("oxygen")).findFirst().orElseThrow();
  static final double FLOOR_MMHG = OXYGEN.cascade().setpointLimits().min();

  /**
   * Cells at 1.5 × their default uptake: the outlet needs an inlet far above the profile's 100
   * mmHg.
   */
  static final double HIGH_DEMAND_FACTOR = 1.5;

  /** A plant whose cascade has held the outlet at its target for two hours at high demand. */
  private static PlantHarness settledAtHighDemand(long seed) {
    PlantHarness h =
        new PlantHarness(PROFILE, ReactorParameters.defaults(), Strategy.HEPALOOP, true, seed);
    h.model().setCellOxygenDemandFactor(HIGH_DEMAND_FACTOR);
    h.run(2 * 3600);
    return h;
  }

  @Test
  void
      aRestartedControllerTakesOverTheCascadeFromThePlantsStateAndTheOutletNeverFallsBelowItsFloor() {
    PlantHarness h = settledAtHighDemand(11);
    double innerSpBefore = h.control().loop("oxygen").pid().workingSetpoint();
    double gasBeforePct = h.actuator("gas_o2");
    double inletBefore = h.trueValue("do_inlet");
    // the situation of the issue: the cascade holds the inlet far above the profile's inlet
    // setpoint
    assertThat(innerSpBefore).isGreaterThan(OXYGEN.setpoint() + 40);
    assertThat(h.trueValue("do_outlet")).isBetween(FLOOR_MMHG, OXYGEN.cascade().setpoint() + 3);

    h.restartController();
    ControlLoop fresh = h.control().loop("oxygen");
    assertThat(fresh.mode()).isEqualTo(LoopMode.CASCADE);
    double[] minOutlet = {Double.POSITIVE_INFINITY};
    double[] minGasPct = {Double.POSITIVE_INFINITY};
    double[] firstInnerSp = {Double.NaN};
    h.observe(
        x -> {
          minOutlet[0] = Math.min(minOutlet[0], x.trueValue("do_outlet"));
          minGasPct[0] = Math.min(minGasPct[0], x.actuator("gas_o2"));
          if (Double.isNaN(firstInnerSp[0]) && !x.control().loop("oxygen").awaitingReadback()) {
            firstInnerSp[0] = x.control().loop("oxygen").pid().workingSetpoint();
          }
        });
    h.run(1800);

    assertThat(minOutlet[0])
        .as("lowest outlet pO2 after the restart")
        .isGreaterThanOrEqualTo(FLOOR_MMHG);
    assertThat(minGasPct[0])
        .as("lowest sweep-gas O2 after the restart (before: %.2f %%)", gasBeforePct)
        .isGreaterThan(gasBeforePct - 1.0);
    assertThat(h.events())
        .anyMatch(
            e ->
                e.source().equals("oxygen.cascade_start")
                    && e.message().contains("from the plant's state"));
    // the inner setpoint starts where the plant is (the measured inlet, sensor noise σ 0.4 mmHg),
    // not at 100
    assertThat(firstInnerSp[0]).isCloseTo(inletBefore, org.assertj.core.data.Offset.offset(2.0));
    // and the cascade is still in control: the inlet setpoint stays where the outlet needs it
    assertThat(fresh.pid().workingSetpoint())
        .isCloseTo(innerSpBefore, org.assertj.core.data.Offset.offset(0.1 * innerSpBefore));
    assertThat(h.trueValue("do_outlet")).isBetween(FLOOR_MMHG, OXYGEN.cascade().setpoint() + 3);
  }

  @Test
  void
      aFirstStartOnAPlantThatRanWithoutControllerAlsoStartsFromItsStateAndKeepsTheOutletAboveTheFloor() {
    // a plant that has run on air with nobody in control: the inlet at ~150 mmHg, the outlet well
    // above its target
    PlantHarness h =
        new PlantHarness(PROFILE, ReactorParameters.defaults(), Strategy.HEPALOOP, true, 5);
    double[] minOutlet = {Double.POSITIVE_INFINITY};
    h.observe(x -> minOutlet[0] = Math.min(minOutlet[0], x.trueValue("do_outlet")));
    double inletAtStart = h.trueValue("do_inlet");
    h.run(3600);
    assertThat(minOutlet[0]).isGreaterThanOrEqualTo(FLOOR_MMHG);
    // a floor, not a flood: from the plant's inlet the cascade brings the inlet down to what the
    // outlet needs
    assertThat(h.setpoint("oxygen")).isLessThan(inletAtStart - 15);
    assertThat(h.trueValue("do_outlet")).isBetween(FLOOR_MMHG, OXYGEN.cascade().setpoint() + 3);
  }
}
