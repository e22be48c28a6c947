package io.hepaloop.sim.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ReactorModelTest {

  private static void run(ReactorModel m, double seconds, double dtS) {
    int n = (int) Math.round(seconds / dtS);
    for (int i = 0; i < n; i++) {
      m.step(dtS);
    }
  }

  @Nested
  class TheDefaultRig {
    final ReactorModel m = new ReactorModel(ReactorParameters.defaults());

    @Test
    void startsAt37CHeldByAHeaterBetween30And50Pct() {
      assertThat(m.temperatureC()).isEqualTo(37.0);
      assertThat(m.heaterPct()).isBetween(30.0, 50.0);
      run(m, 3600, 1.0);
      assertThat(m.temperatureC()).isCloseTo(37.0, within(1e-6));
    }

    @Test
    void hasAnInletOf149MmHgOnAirAndAnOutletBetween40And70At1MlPerMin() {
      assertThat(m.flowMlPerMin()).isCloseTo(1.0, within(1e-12));
      assertThat(m.doInletMmHg()).isCloseTo(149.73, within(0.01));
      assertThat(m.doOutletMmHg()).isBetween(40.0, 70.0);
      run(m, 600, 1.0);
      assertThat(m.doOutletMmHg()).isBetween(40.0, 70.0);
    }

    @Test
    void hasAnInletPressureBetween10And20MmHgAt1MlPerMin() {
      assertThat(m.pressureInletMmHg()).isBetween(10.0, 20.0);
    }
  }

  @Nested
  class Thermal {
    /** Heater lag 0 so the thermal balance is a pure first-order system. */
    final ReactorParameters p = ReactorParameters.defaults().toBuilder().heaterLagS(0).build();

    @Test
    void settlesAtAmbientPlusHeaterPowerOverConductance() {
      ReactorModel m = new ReactorModel(p);
      m.setHeaterPct(50);
      run(m, 6 * 3600, 1.0);
      double g = p.thermalConductanceWPerK(1.0);
      assertThat(m.temperatureC()).isCloseTo(23.0 + 4.0 / g, within(1e-6));
    }

    @Test
    void reaches63PctOfAStepAfterOneTimeConstantOfHeatCapacityOverConductance() {
      ReactorModel m = new ReactorModel(p);
      double g = p.thermalConductanceWPerK(1.0);
      double tauS = p.heatCapacityJPerK() / g;
      assertThat(tauS).as("thermal time constant is minutes").isBetween(120.0, 1800.0);
      m.setHeaterPct(0);
      run(m, tauS, tauS / 1000);
      double fraction = (37.0 - m.temperatureC()) / (37.0 - 23.0);
      assertThat(fraction).isCloseTo(1 - Math.exp(-1), within(1e-6));
    }

    @Test
    void followsTheAmbientWhenTheDoorOpens() {
      ReactorModel m = new ReactorModel(p);
      double heater = m.heaterPct();
      m.setAmbientC(18.0);
      run(m, 6 * 3600, 1.0);
      assertThat(m.temperatureC()).isCloseTo(37.0 - 5.0, within(1e-6));
      assertThat(m.heaterPct()).isEqualTo(heater);
    }

    @Test
    void aFailedHeaterLetsTheChamberCoolToAmbient() {
      ReactorModel m = new ReactorModel(ReactorParameters.defaults());
      m.setHeaterFailed(true);
      run(m, 8 * 3600, 1.0);
      assertThat(m.temperatureC()).isCloseTo(23.0, within(0.01));
      assertThat(m.heaterPowerW()).isCloseTo(0.0, within(1e-9));
    }

    @Test
    void aFasterFlowCarriesMoreHeatToTheReservoir() {
      ReactorModel m = new ReactorModel(p);
      m.setPumpPct(100);
      run(m, 6 * 3600, 1.0);
      assertThat(m.temperatureC())
          .isCloseTo(
              23.0 + 14.0 * p.thermalConductanceWPerK(1.0) / p.thermalConductanceWPerK(4.0),
              within(1e-6));
    }
  }

  @Nested
  class Oxygen {
    @Test
    void outletIsInletMinusUptakeOverFlowTimesAlphaAtSteadyState() {
      ReactorParameters p = ReactorParameters.defaults();
      for (double pump : new double[] {10, 25, 50, 100}) {
        ReactorModel m = new ReactorModel(p);
        m.setPumpPct(pump);
        m.setGasO2Pct(30);
        run(m, 1800, 1.0);
        double q = m.flowMlPerMin();
        double expected =
            m.doInletMmHg() - m.oxygenUptakeNmolPerMin() / (q * p.alphaNmolPerMlMmHg());
        assertThat(m.doOutletMmHg()).as("pump %s %%", pump).isCloseTo(expected, within(1e-6));
        assertThat(m.doOutletMmHg())
            .isCloseTo(m.steadyOutletMmHg(m.doInletMmHg(), q), within(1e-6));
      }
    }

    @Test
    void uptakeFollowsMichaelisMentenAtTheOutletPO2() {
      ReactorParameters p = ReactorParameters.defaults();
      ReactorModel m = new ReactorModel(p);
      double pO2 = m.doOutletMmHg();
      double vmaxNmolPerMin = 60 * p.vmaxNmolPerSPer1e6Cells() * p.cellCount() / 1e6;
      assertThat(m.oxygenUptakeNmolPerMin())
          .isCloseTo(vmaxNmolPerMin * pO2 / (p.kmMmHg() + pO2), within(1e-9));
    }

    @Test
    void inletPO2Follows7point13MmHgPerPctO2WithTheOxygenatorLag() {
      ReactorParameters p = ReactorParameters.defaults();
      ReactorModel m = new ReactorModel(p);
      m.setGasO2Pct(40);
      run(m, p.oxygenatorLagS(), 0.01);
      double start = 21 * 7.13;
      double end = 40 * 7.13;
      assertThat((m.doInletMmHg() - start) / (end - start))
          .isCloseTo(1 - Math.exp(-1), within(1e-6));
      run(m, 20 * p.oxygenatorLagS(), 1.0);
      assertThat(m.doInletMmHg()).isCloseTo(end, within(1e-6));
    }

    @Test
    void theOutletBecomesHypoxicWithinMinutesWhenThePumpStalls() {
      ReactorModel m = new ReactorModel(ReactorParameters.defaults());
      m.setPumpStalled(true);
      run(m, 180, 1.0);
      assertThat(m.flowMlPerMin()).isCloseTo(0.0, within(1e-9));
      assertThat(m.doOutletMmHg()).isLessThan(5.0).isGreaterThanOrEqualTo(0.0);
    }

    @Test
    void moreDemandingCellsLowerTheOutlet() {
      ReactorModel m = new ReactorModel(ReactorParameters.defaults());
      double before = m.doOutletMmHg();
      m.setCellOxygenDemandFactor(1.5);
      run(m, 900, 1.0);
      assertThat(m.doOutletMmHg()).isLessThan(before - 20);
    }

    @Test
    void overheatingKillsCellsIrreversibly() {
      ReactorParameters p = ReactorParameters.defaults().toBuilder().heaterLagS(0).build();
      ReactorModel m = new ReactorModel(p);
      m.setAmbientC(41.0);
      m.setHeaterPct(0);
      run(m, 6 * 3600, 1.0); // settle at 41 °C
      double v0 = m.viability();
      run(m, 86_400, 1.0);
      assertThat(m.viability() / v0).isCloseTo(Math.exp(-0.2 * 2.0), within(1e-3));
      m.setAmbientC(23.0);
      run(m, 86_400, 1.0);
      assertThat(m.viability()).as("no recovery").isLessThan(v0 * Math.exp(-0.4) + 1e-3);
    }

    @Test
    void at37CTheCellsDoNotSuffer() {
      ReactorModel m = new ReactorModel(ReactorParameters.defaults());
      run(m, 86_400, 1.0);
      assertThat(m.viability()).isEqualTo(1.0);
    }

    @Test
    void cellActivityDeclinesExponentiallyAfterTheDeclineDay() {
      ReactorParameters p =
          ReactorParameters.defaults().toBuilder()
              .cultureDayAtStart(4)
              .declineStartDay(4)
              .declinePerDay(0.1)
              .build();
      ReactorModel m = new ReactorModel(p);
      run(m, 86_400, 1.0);
      assertThat(m.activeCells()).isCloseTo(p.cellCount() * Math.exp(-0.1), within(1.0));
    }
  }

  @Nested
  class Hydraulics {
    @Test
    void flowIsPumpPctTimes4MlPerMinOver100AfterThePumpLag() {
      ReactorParameters p = ReactorParameters.defaults();
      ReactorModel m = new ReactorModel(p);
      m.setPumpPct(75);
      run(m, p.pumpLagS(), 0.001);
      assertThat((m.flowMlPerMin() - 1.0) / (3.0 - 1.0)).isCloseTo(1 - Math.exp(-1), within(1e-6));
      run(m, 60, 0.1);
      assertThat(m.flowMlPerMin()).isCloseTo(3.0, within(1e-9));
    }

    @Test
    void inletPressureIsFlowTimesTubingPlusScaffoldResistance() {
      ReactorParameters p = ReactorParameters.defaults();
      ReactorModel m = new ReactorModel(p);
      m.setPumpPct(50);
      m.setScaffoldResistanceFactor(3.0);
      run(m, 60, 0.5);
      assertThat(m.pressureInletMmHg()).isCloseTo(2.0 * (3.0 + 9.0 * 3.0), within(1e-6));
      m.setScaffoldResistanceFactor(0.2);
      assertThat(m.pressureInletMmHg()).isCloseTo(2.0 * (3.0 + 9.0 * 0.2), within(1e-6));
    }

    @Test
    void actuatorCommandsAreClampedTo0To100Pct() {
      ReactorModel m = new ReactorModel(ReactorParameters.defaults());
      m.setPumpPct(250);
      m.setHeaterPct(-3);
      m.setGasO2Pct(Double.NaN);
      assertThat(m.pumpPct()).isEqualTo(100);
      assertThat(m.heaterPct()).isEqualTo(0);
      assertThat(m.gasO2Pct()).isEqualTo(0);
    }
  }

  @Test
  void oneSecondStepsGiveTheSameTrajectoryAsMillisecondSteps() {
    ReactorModel coarse = new ReactorModel(ReactorParameters.defaults());
    ReactorModel fine = new ReactorModel(ReactorParameters.defaults());
    for (ReactorModel m : new ReactorModel[] {coarse, fine}) {
      m.setPumpPct(60);
      m.setGasO2Pct(35);
      m.setHeaterPct(70);
    }
    run(coarse, 300, 1.0);
    run(fine, 300, 0.001);
    assertThat(coarse.temperatureC()).isCloseTo(fine.temperatureC(), within(0.01));
    assertThat(coarse.doOutletMmHg()).isCloseTo(fine.doOutletMmHg(), within(0.5));
    assertThat(coarse.flowMlPerMin()).isCloseTo(fine.flowMlPerMin(), within(1e-6));
    assertThat(coarse.elapsedS()).isCloseTo(300, within(1e-6));
  }

  @Test
  void aBadParameterIsRefusedWithItsName() {
    assertThatThrownBy(() -> ReactorParameters.defaults().toBuilder().kmMmHg(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kmMmHg");
    assertThatThrownBy(() -> new ReactorModel(ReactorParameters.defaults()).step(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
