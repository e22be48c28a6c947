package io.hepaloop.sim.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Physical parameters of one simulated liver-perfusion bioreactor. Every number has a unit in its
 * name and a default from {@code DOMAIN.md} (see {@link #defaults()}); scenarios override some.
 *
 * <p>The default rig is a bench rig without incubator: the chamber sits in a 23 °C room and a
 * medium pre-heater (8 W) holds it at 37 °C with about 35 % power at 1 mL/min. We chose the room
 * over an incubator (ambient ≈35 °C) because it makes the temperature loop do real work and makes
 * the "door open" disturbance (ambient step) visible; an incubator rig is {@code ambientC(35)}.
 *
 * <p>Derived figures of the defaults (checked by {@code ReactorModelTest}): heat capacity 120 J/K,
 * conductance to ambient 0.165 W/K + 0.035 W/K carried by 1 mL/min of medium → thermal time
 * constant 600 s (10 min) and steady heater 35 % at 37 °C; inlet pO2 149.7 mmHg at 21 % O2; 5·10⁶
 * rat hepatocytes (Vmax 0.43 nmol/s per 10⁶, Km 5.6 mmHg) consume ≈118 nmol/min, so the outlet sits
 * at ≈58 mmHg at 1 mL/min; inlet pressure 12 mmHg at 1 mL/min.
 *
 * @param mediumVolumeMl medium in the heated chamber circuit (thermal mass)
 * @param mediumHeatCapacityJPerMlK volumetric heat capacity of the medium (water: 4.18)
 * @param hardwareHeatCapacityJPerK heat capacity of chamber, holder and heater block
 * @param heaterMaxW heater power at 100 %
 * @param heaterLagS first-order lag between heater command and heat delivered (element warm-up)
 * @param lossWPerK conductance from the chamber to ambient (walls, lid, tubing)
 * @param ambientC room (or incubator) temperature
 * @param reservoirHeatRecovery fraction of the chamber's excess temperature (above ambient) that
 *     the medium still has when it returns from the reservoir; 0 = returns at ambient, 1 = no loss
 * @param initialTemperatureC medium temperature at t = 0
 * @param initialHeaterPct heater at t = 0; NaN = the power that holds {@code initialTemperatureC}
 * @param barometricMmHg barometric pressure
 * @param waterVapourMmHg water vapour pressure at 37 °C (gas is humidified in the oxygenator)
 * @param oxygenatorLagS first-order lag between gas O2 fraction and inlet pO2
 * @param alphaNmolPerMlMmHg O2 solubility in the medium
 * @param constructVoidVolumeMl medium volume in the construct (sets how fast the outlet pO2
 *     responds)
 * @param initialGasO2Pct gas O2 fraction at t = 0 (21 = air)
 * @param cellCount hepatocytes seeded (viable at day 0 of the model)
 * @param vmaxNmolPerSPer1e6Cells maximal O2 uptake per 10⁶ cells (rat 0.43; porcine 0.9 at day 4)
 * @param kmMmHg Michaelis–Menten constant of O2 uptake
 * @param cultureDayAtStart culture day at t = 0 (scenarios may start at day 4)
 * @param growthPerDay specific growth (or attachment) rate of the active cell mass until {@code
 *     declineStartDay}; 0 = constant
 * @param declineStartDay culture day from which activity declines
 * @param declinePerDay specific decline rate after {@code declineStartDay} (porcine 0.9 → 0.31
 *     nmol/s per 10⁶ between day 4 and 15 is ≈0.1/day); 0 = none
 * @param heatDamageThresholdC above this medium temperature the cells lose viability
 * @param heatDamagePerDayPerC specific loss of viability per day per °C above the threshold (0.2:
 *     at 41 °C a third of the cells are left after 72 h; DOMAIN.md: 40–42 °C measurably damages
 *     hepatocytes within 72 h); 0 = none
 * @param pumpMaxFlowMlPerMin flow at 100 % pump speed into an open line
 * @param pumpLagS first-order lag between pump command and flow (motor + tubing compliance)
 * @param initialPumpPct pump speed at t = 0
 * @param tubingResistanceMmHgPerMlMin hydraulic resistance of tubing and oxygenator
 * @param scaffoldResistanceMmHgPerMlMin hydraulic resistance of the clean scaffold
 * @param maxSubStepS the longest internal integration step (the model is exact or semi-implicit at
 *     this step; {@link ReactorModel#step} splits longer steps)
 */
public record ReactorParameters(
    double mediumVolumeMl,
    double mediumHeatCapacityJPerMlK,
    double hardwareHeatCapacityJPerK,
    double heaterMaxW,
    double heaterLagS,
    double lossWPerK,
    double ambientC,
    double reservoirHeatRecovery,
    double initialTemperatureC,
    double initialHeaterPct,
    double barometricMmHg,
    double waterVapourMmHg,
    double oxygenatorLagS,
    double alphaNmolPerMlMmHg,
    double constructVoidVolumeMl,
    double initialGasO2Pct,
    double cellCount,
    double vmaxNmolPerSPer1e6Cells,
    double kmMmHg,
    double cultureDayAtStart,
    double growthPerDay,
    double declineStartDay,
    double declinePerDay,
    double heatDamageThresholdC,
    double heatDamagePerDayPerC,
    double pumpMaxFlowMlPerMin,
    double pumpLagS,
    double initialPumpPct,
    double tubingResistanceMmHgPerMlMin,
    double scaffoldResistanceMmHgPerMlMin,
    double maxSubStepS) {

  /**
   * The physical range of every parameter, by name; scenarios are checked against it and so is
   * every parameter set built in code. Generous on purpose (any bench rig up to a bioartificial
   * liver), so what it refuses is a typo or an absurdity, not an unusual rig.
   */
  public static final Map<String, Bound> BOUNDS = bounds();

  public ReactorParameters {
    check("mediumVolumeMl", mediumVolumeMl);
    check("mediumHeatCapacityJPerMlK", mediumHeatCapacityJPerMlK);
    check("hardwareHeatCapacityJPerK", hardwareHeatCapacityJPerK);
    check("heaterMaxW", heaterMaxW);
    check("heaterLagS", heaterLagS);
    check("lossWPerK", lossWPerK);
    check("ambientC", ambientC);
    check("reservoirHeatRecovery", reservoirHeatRecovery);
    check("initialTemperatureC", initialTemperatureC);
    if (!Double.isNaN(initialHeaterPct)) {
      check(
          "initialHeaterPct",
          initialHeaterPct); // NaN: the power that holds the initial temperature
    }
    check("barometricMmHg", barometricMmHg);
    check("waterVapourMmHg", waterVapourMmHg);
    check("oxygenatorLagS", oxygenatorLagS);
    check("alphaNmolPerMlMmHg", alphaNmolPerMlMmHg);
    check("constructVoidVolumeMl", constructVoidVolumeMl);
    check("initialGasO2Pct", initialGasO2Pct);
    check("cellCount", cellCount);
    check("vmaxNmolPerSPer1e6Cells", vmaxNmolPerSPer1e6Cells);
    check("kmMmHg", kmMmHg);
    check("cultureDayAtStart", cultureDayAtStart);
    check("growthPerDay", growthPerDay);
    check("declineStartDay", declineStartDay);
    check("declinePerDay", declinePerDay);
    check("heatDamageThresholdC", heatDamageThresholdC);
    check("heatDamagePerDayPerC", heatDamagePerDayPerC);
    check("pumpMaxFlowMlPerMin", pumpMaxFlowMlPerMin);
    check("pumpLagS", pumpLagS);
    check("initialPumpPct", initialPumpPct);
    check("tubingResistanceMmHgPerMlMin", tubingResistanceMmHgPerMlMin);
    check("scaffoldResistanceMmHgPerMlMin", scaffoldResistanceMmHgPerMlMin);
    check("maxSubStepS", maxSubStepS);
    String across =
        acrossFields(barometricMmHg, waterVapourMmHg, cellCount, growthPerDay, declineStartDay);
    if (across != null) {
      throw new IllegalArgumentException(across);
    }
  }

  /**
   * What is wrong with a combination of parameters that are each in range, or null: the gas must
   * hold some oxygen, and growth until the decline day must not make more cells than a human liver
   * holds.
   */
  public static String acrossFields(
      double barometricMmHg,
      double waterVapourMmHg,
      double cellCount,
      double growthPerDay,
      double declineStartDay) {
    if (waterVapourMmHg >= barometricMmHg) {
      return "waterVapourMmHg ("
          + Bound.number(waterVapourMmHg)
          + " mmHg) must be below barometricMmHg ("
          + Bound.number(barometricMmHg)
          + " mmHg): the gas would hold no oxygen";
    }
    double peakCells = cellCount * Math.exp(Math.max(0, growthPerDay) * declineStartDay);
    double maxCells = BOUNDS.get("cellCount").max();
    if (!(peakCells <= maxCells)) {
      return "cellCount "
          + Bound.number(cellCount)
          + " growing "
          + Bound.number(growthPerDay)
          + "/day until day "
          + Bound.number(declineStartDay)
          + " makes "
          + String.format(Locale.ROOT, "%.2g", peakCells)
          + " cells: allowed at most "
          + Bound.number(maxCells)
          + " (a human liver holds about 2.0E11 hepatocytes)";
    }
    return null;
  }

  private static void check(String name, double v) {
    String problem = BOUNDS.get(name).problem(v);
    if (problem != null) {
      throw new IllegalArgumentException(name + " = " + problem);
    }
  }

  private static Map<String, Bound> bounds() {
    Map<String, Bound> b = new LinkedHashMap<>();
    b.put("mediumVolumeMl", Bound.positive(10_000, "mL"));
    b.put("mediumHeatCapacityJPerMlK", Bound.positive(10, "J/(mL·K)").because("water: 4.18"));
    b.put("hardwareHeatCapacityJPerK", Bound.of(0, 100_000, "J/K"));
    b.put("heaterMaxW", Bound.of(0, 10_000, "W"));
    b.put("heaterLagS", Bound.of(0, 3600, "s"));
    b.put("lossWPerK", Bound.positive(1000, "W/K"));
    b.put("ambientC", Bound.of(-40, 60, "°C").because("a cold room to a hot lab"));
    b.put("reservoirHeatRecovery", Bound.of(0, 1, ""));
    b.put("initialTemperatureC", Bound.of(0, 100, "°C").because("liquid medium"));
    b.put("initialHeaterPct", Bound.of(0, 100, "%"));
    b.put(
        "barometricMmHg",
        Bound.of(200, 3000, "mmHg").because("a mountain top to a hyperbaric chamber"));
    b.put("waterVapourMmHg", Bound.of(0, 200, "mmHg"));
    b.put("oxygenatorLagS", Bound.of(0, 3600, "s"));
    b.put("alphaNmolPerMlMmHg", Bound.positive(10, "nmol/(mL·mmHg)").because("medium: 1.3"));
    b.put("constructVoidVolumeMl", Bound.positive(10_000, "mL"));
    b.put("initialGasO2Pct", Bound.of(0, 100, "%"));
    b.put(
        "cellCount",
        Bound.of(0, 1e12, "cells").because("a human liver holds about 2.0E11 hepatocytes"));
    b.put(
        "vmaxNmolPerSPer1e6Cells",
        Bound.of(0, 10, "nmol/s per 10^6 cells").because("rat 0.43, porcine 0.9"));
    b.put("kmMmHg", Bound.positive(100, "mmHg"));
    b.put("cultureDayAtStart", Bound.of(0, 365, "days"));
    b.put("growthPerDay", Bound.of(-1, 1, "/day").because("1/day doubles the cells in 17 h"));
    b.put("declineStartDay", Bound.of(0, 365, "days"));
    b.put("declinePerDay", Bound.of(0, 10, "/day"));
    b.put("heatDamageThresholdC", Bound.of(0, 100, "°C"));
    b.put("heatDamagePerDayPerC", Bound.of(0, 100, "/(day·°C)"));
    b.put("pumpMaxFlowMlPerMin", Bound.positive(10_000, "mL/min"));
    b.put("pumpLagS", Bound.of(0, 3600, "s"));
    b.put("initialPumpPct", Bound.of(0, 100, "%"));
    b.put("tubingResistanceMmHgPerMlMin", Bound.of(0, 10_000, "mmHg/(mL/min)"));
    b.put("scaffoldResistanceMmHgPerMlMin", Bound.of(0, 10_000, "mmHg/(mL/min)"));
    b.put("maxSubStepS", Bound.positive(10, "s"));
    return Collections.unmodifiableMap(b);
  }

  /** The default rig described in the class comment. */
  public static ReactorParameters defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder pre-filled with these values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.mediumVolumeMl = mediumVolumeMl;
    b.mediumHeatCapacityJPerMlK = mediumHeatCapacityJPerMlK;
    b.hardwareHeatCapacityJPerK = hardwareHeatCapacityJPerK;
    b.heaterMaxW = heaterMaxW;
    b.heaterLagS = heaterLagS;
    b.lossWPerK = lossWPerK;
    b.ambientC = ambientC;
    b.reservoirHeatRecovery = reservoirHeatRecovery;
    b.initialTemperatureC = initialTemperatureC;
    b.initialHeaterPct = initialHeaterPct;
    b.barometricMmHg = barometricMmHg;
    b.waterVapourMmHg = waterVapourMmHg;
    b.oxygenatorLagS = oxygenatorLagS;
    b.alphaNmolPerMlMmHg = alphaNmolPerMlMmHg;
    b.constructVoidVolumeMl = constructVoidVolumeMl;
    b.initialGasO2Pct = initialGasO2Pct;
    b.cellCount = cellCount;
    b.vmaxNmolPerSPer1e6Cells = vmaxNmolPerSPer1e6Cells;
    b.kmMmHg = kmMmHg;
    b.cultureDayAtStart = cultureDayAtStart;
    b.growthPerDay = growthPerDay;
    b.declineStartDay = declineStartDay;
    b.declinePerDay = declinePerDay;
    b.heatDamageThresholdC = heatDamageThresholdC;
    b.heatDamagePerDayPerC = heatDamagePerDayPerC;
    b.pumpMaxFlowMlPerMin = pumpMaxFlowMlPerMin;
    b.pumpLagS = pumpLagS;
    b.initialPumpPct = initialPumpPct;
    b.tubingResistanceMmHgPerMlMin = tubingResistanceMmHgPerMlMin;
    b.scaffoldResistanceMmHgPerMlMin = scaffoldResistanceMmHgPerMlMin;
    b.maxSubStepS = maxSubStepS;
    return b;
  }

  /** Total heat capacity of the heated chamber circuit, J/K. */
  public double heatCapacityJPerK() {
    return mediumVolumeMl * mediumHeatCapacityJPerMlK + hardwareHeatCapacityJPerK;
  }

  /** Inlet pO2 per % O2 in the (humidified) gas: (barometric − water vapour)/100, ≈7.13 mmHg/%. */
  public double pO2MmHgPerPctO2() {
    return (barometricMmHg - waterVapourMmHg) / 100.0;
  }

  /**
   * Total thermal conductance from chamber to ambient at a given flow, W/K: walls plus the heat the
   * medium carries to the reservoir and does not bring back.
   */
  public double thermalConductanceWPerK(double flowMlPerMin) {
    return lossWPerK
        + flowMlPerMin / 60.0 * mediumHeatCapacityJPerMlK * (1.0 - reservoirHeatRecovery);
  }

  /** Builder with the documented defaults. */
  public static final class Builder {
    private double mediumVolumeMl = 20.0;
    private double mediumHeatCapacityJPerMlK = 4.18;
    private double hardwareHeatCapacityJPerK = 36.4;
    private double heaterMaxW = 8.0;
    private double heaterLagS = 20.0;
    private double lossWPerK = 0.165;
    private double ambientC = 23.0;
    private double reservoirHeatRecovery = 0.5;
    private double initialTemperatureC = 37.0;
    private double initialHeaterPct = Double.NaN;
    private double barometricMmHg = 760.0;
    private double waterVapourMmHg = 47.0;
    private double oxygenatorLagS = 30.0;
    private double alphaNmolPerMlMmHg = 1.3;
    private double constructVoidVolumeMl = 1.0;
    private double initialGasO2Pct = 21.0;
    private double cellCount = 5e6;
    private double vmaxNmolPerSPer1e6Cells = 0.43;
    private double kmMmHg = 5.6;
    private double cultureDayAtStart = 0.0;
    private double growthPerDay = 0.0;
    private double declineStartDay = 4.0;
    private double declinePerDay = 0.0;
    private double heatDamageThresholdC = 39.0;
    private double heatDamagePerDayPerC = 0.2;
    private double pumpMaxFlowMlPerMin = 4.0;
    private double pumpLagS = 1.5;
    private double initialPumpPct = 25.0;
    private double tubingResistanceMmHgPerMlMin = 3.0;
    private double scaffoldResistanceMmHgPerMlMin = 9.0;
    private double maxSubStepS = 0.1;

    public Builder mediumVolumeMl(double v) {
      mediumVolumeMl = v;
      return this;
    }

    public Builder mediumHeatCapacityJPerMlK(double v) {
      mediumHeatCapacityJPerMlK = v;
      return this;
    }

    public Builder hardwareHeatCapacityJPerK(double v) {
      hardwareHeatCapacityJPerK = v;
      return this;
    }

    public Builder heaterMaxW(double v) {
      heaterMaxW = v;
      return this;
    }

    public Builder heaterLagS(double v) {
      heaterLagS = v;
      return this;
    }

    public Builder lossWPerK(double v) {
      lossWPerK = v;
      return this;
    }

    public Builder ambientC(double v) {
      ambientC = v;
      return this;
    }

    public Builder reservoirHeatRecovery(double v) {
      reservoirHeatRecovery = v;
      return this;
    }

    public Builder initialTemperatureC(double v) {
      initialTemperatureC = v;
      return this;
    }

    public Builder initialHeaterPct(double v) {
      initialHeaterPct = v;
      return this;
    }

    public Builder barometricMmHg(double v) {
      barometricMmHg = v;
      return this;
    }

    public Builder waterVapourMmHg(double v) {
      waterVapourMmHg = v;
      return this;
    }

    public Builder oxygenatorLagS(double v) {
      oxygenatorLagS = v;
      return this;
    }

    public Builder alphaNmolPerMlMmHg(double v) {
      alphaNmolPerMlMmHg = v;
      return this;
    }

    public Builder constructVoidVolumeMl(double v) {
      constructVoidVolumeMl = v;
      return this;
    }

    public Builder initialGasO2Pct(double v) {
      initialGasO2Pct = v;
      return this;
    }

    public Builder cellCount(double v) {
      cellCount = v;
      return this;
    }

    public Builder vmaxNmolPerSPer1e6Cells(double v) {
      vmaxNmolPerSPer1e6Cells = v;
      return this;
    }

    public Builder kmMmHg(double v) {
      kmMmHg = v;
      return this;
    }

    public Builder cultureDayAtStart(double v) {
      cultureDayAtStart = v;
      return this;
    }

    public Builder growthPerDay(double v) {
      growthPerDay = v;
      return this;
    }

    public Builder declineStartDay(double v) {
      declineStartDay = v;
      return this;
    }

    public Builder declinePerDay(double v) {
      declinePerDay = v;
      return this;
    }

    public Builder heatDamageThresholdC(double v) {
      heatDamageThresholdC = v;
      return this;
    }

    public Builder heatDamagePerDayPerC(double v) {
      heatDamagePerDayPerC = v;
      return this;
    }

    public Builder pumpMaxFlowMlPerMin(double v) {
      pumpMaxFlowMlPerMin = v;
      return this;
    }

    public Builder pumpLagS(double v) {
      pumpLagS = v;
      return this;
    }

    public Builder initialPumpPct(double v) {
      initialPumpPct = v;
      return this;
    }

    public Builder tubingResistanceMmHgPerMlMin(double v) {
      tubingResistanceMmHgPerMlMin = v;
      return this;
    }

    public Builder scaffoldResistanceMmHgPerMlMin(double v) {
      scaffoldResistanceMmHgPerMlMin = v;
      return this;
    }

    public Builder maxSubStepS(double v) {
      maxSubStepS = v;
      return this;
    }

    public ReactorParameters build() {
      return new ReactorParameters(
          mediumVolumeMl,
          mediumHeatCapacityJPerMlK,
          hardwareHeatCapacityJPerK,
          heaterMaxW,
          heaterLagS,
          lossWPerK,
          ambientC,
          reservoirHeatRecovery,
          initialTemperatureC,
          initialHeaterPct,
          barometricMmHg,
          waterVapourMmHg,
          oxygenatorLagS,
          alphaNmolPerMlMmHg,
          constructVoidVolumeMl,
          initialGasO2Pct,
          cellCount,
          vmaxNmolPerSPer1e6Cells,
          kmMmHg,
          cultureDayAtStart,
          growthPerDay,
          declineStartDay,
          declinePerDay,
          heatDamageThresholdC,
          heatDamagePerDayPerC,
          pumpMaxFlowMlPerMin,
          pumpLagS,
          initialPumpPct,
          tubingResistanceMmHgPerMlMin,
          scaffoldResistanceMmHgPerMlMin,
          maxSubStepS);
    }
  }
}
