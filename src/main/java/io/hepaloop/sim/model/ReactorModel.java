package io.hepaloop.sim.model;

/**
 * Lumped physical model of one liver-perfusion bioreactor: pure Java, no I/O, no threads, no clock.
 * The caller advances it with {@link #step(double)}; the simulator does so on its tick, the control
 * tests' plant-in-the-loop harness does so with a manual clock.
 *
 * <h2>Equations (see {@link ReactorParameters} for the defaults)</h2>
 *
 * <ul>
 *   <li><b>Hydraulics.</b> Peristaltic pump, a flow source: flow → {@code pump% × maxFlow / 100}
 *       with a first-order lag (0 when stalled). Inlet pressure {@code p = Q × (R_tubing +
 *       R_scaffold × factor)}; the factor rises when the scaffold clogs and falls below 1 with a
 *       leak.
 *   <li><b>Thermal.</b> {@code C dT/dt = P_heater − G(Q) (T − T_amb)}, with {@code G(Q) = UA + Q ρc
 *       (1 − r)}: walls plus the heat the medium takes to the reservoir and does not bring back.
 *       Heater power follows the command with a first-order lag (0 when failed). Steady state
 *       {@code T = T_amb + P/G}, time constant {@code C/G}.
 *   <li><b>Oxygen.</b> The oxygenator drives inlet pO2 toward {@code gasO2% × (P_bar − P_H2O)/100}
 *       with a first-order lag. The construct is one well-mixed volume V (the downstream cells see
 *       the outlet pO2, so this is the conservative, outlet-limited view): {@code V α dp/dt = Q α
 *       (p_in − p) − OUR(p)}, {@code OUR = N/10⁶ × Vmax × demand × p/(Km + p)} (Michaelis–Menten).
 *       At steady state {@code p_out = p_in − OUR/(Q α)}.
 *   <li><b>Cells.</b> Active cell mass {@code N(day) = N0 × e^(g × min(day, d_decline)) × e^(−k ×
 *       max(0, day − d_decline)) × viability}; viability falls irreversibly while the medium is
 *       above the heat-damage threshold: {@code dv/dt = −h × (T − T_damage) × v} per day.
 * </ul>
 *
 * <p>Lags and the thermal balance are integrated exactly over each sub-step (inputs held constant);
 * the oxygen balance semi-implicitly (uptake coefficient frozen), which is unconditionally stable,
 * never goes negative and has exactly the analytic steady state. Any {@code dt} is accepted; steps
 * longer than {@link ReactorParameters#maxSubStepS()} are split.
 *
 * <p>Not thread-safe: one thread steps and sets it, or the caller synchronises (as {@code
 * SimulatedReactor} does).
 */
public final class ReactorModel {
  private static final double SECONDS_PER_DAY = 86_400.0;

  private final ReactorParameters p;

  // commands
  private double heaterPct;
  private double gasO2Pct;
  private double pumpPct;

  // disturbances and faults
  private double ambientC;
  private double scaffoldResistanceFactor = 1.0;
  private double cellOxygenDemandFactor = 1.0;
  private boolean heaterFailed;
  private boolean pumpStalled;

  // states
  private double elapsedS;
  private double temperatureC;
  private double heaterPowerW;
  private double doInletMmHg;
  private double doOutletMmHg;
  private double flowMlPerMin;
  private double viability = 1.0;

  public ReactorModel(ReactorParameters p) {
    this.p = p;
    this.ambientC = p.ambientC();
    this.gasO2Pct = p.initialGasO2Pct();
    this.pumpPct = p.initialPumpPct();
    this.flowMlPerMin = targetFlowMlPerMin();
    this.temperatureC = p.initialTemperatureC();
    this.heaterPct =
        Double.isNaN(p.initialHeaterPct())
            ? clampPct(equilibriumHeaterPct(p.initialTemperatureC()))
            : p.initialHeaterPct();
    this.heaterPowerW = targetHeaterPowerW();
    this.doInletMmHg = targetInletMmHg();
    this.doOutletMmHg = steadyOutletMmHg(doInletMmHg, flowMlPerMin);
  }

  public ReactorParameters parameters() {
    return p;
  }

  /**
   * Advances the model by {@code dtS} seconds of simulated time (any length; split into sub-steps
   * no longer than {@link ReactorParameters#maxSubStepS()}).
   */
  public void step(double dtS) {
    if (!(dtS >= 0) || !Double.isFinite(dtS)) {
      throw new IllegalArgumentException("dtS must be a finite number >= 0, got " + dtS);
    }
    double start = elapsedS;
    int n = (int) Math.ceil(dtS / p.maxSubStepS());
    if (n == 0) {
      return;
    }
    double h = dtS / n;
    for (int i = 0; i < n; i++) {
      subStep(h);
    }
    elapsedS = start + dtS; // no drift from summing sub-steps
  }

  private void subStep(double h) {
    // hydraulics: first-order lag toward the pump's flow
    flowMlPerMin = lag(flowMlPerMin, targetFlowMlPerMin(), p.pumpLagS(), h);

    // heater element lag, then the exact solution of the linear thermal balance over h
    heaterPowerW = lag(heaterPowerW, targetHeaterPowerW(), p.heaterLagS(), h);
    double g = p.thermalConductanceWPerK(flowMlPerMin);
    double steadyC = ambientC + heaterPowerW / g;
    temperatureC = lag(temperatureC, steadyC, p.heatCapacityJPerK() / g, h);

    // oxygenator lag
    doInletMmHg = lag(doInletMmHg, targetInletMmHg(), p.oxygenatorLagS(), h);

    // construct oxygen balance, semi-implicit: uptake = p * uMax/(Km + p_old)
    double capacityNmolPerMmHg = p.constructVoidVolumeMl() * p.alphaNmolPerMlMmHg();
    double convectionNmolPerSMmHg = flowMlPerMin / 60.0 * p.alphaNmolPerMlMmHg();
    double uptakeCoefNmolPerSMmHg = maxUptakeNmolPerS() / (p.kmMmHg() + doOutletMmHg);
    double k = h / capacityNmolPerMmHg;
    doOutletMmHg =
        (doOutletMmHg + k * convectionNmolPerSMmHg * doInletMmHg)
            / (1.0 + k * (convectionNmolPerSMmHg + uptakeCoefNmolPerSMmHg));

    // heat damage: irreversible loss of viable cells above the threshold
    double overheatC = temperatureC - p.heatDamageThresholdC();
    if (overheatC > 0 && p.heatDamagePerDayPerC() > 0) {
      viability *= Math.exp(-p.heatDamagePerDayPerC() * overheatC * h / SECONDS_PER_DAY);
    }

    elapsedS += h;
  }

  private static double lag(double x, double target, double tauS, double h) {
    if (tauS <= 0) {
      return target;
    }
    return target + (x - target) * Math.exp(-h / tauS);
  }

  private static double clampPct(double v) {
    if (Double.isNaN(v)) {
      return 0.0;
    }
    return Math.max(0.0, Math.min(100.0, v));
  }

  private double targetFlowMlPerMin() {
    return pumpStalled ? 0.0 : pumpPct / 100.0 * p.pumpMaxFlowMlPerMin();
  }

  private double targetHeaterPowerW() {
    return heaterFailed ? 0.0 : heaterPct / 100.0 * p.heaterMaxW();
  }

  private double targetInletMmHg() {
    return gasO2Pct * p.pO2MmHgPerPctO2();
  }

  /** Maximal O2 uptake of the current cell mass (all cells saturated), nmol/s. */
  public double maxUptakeNmolPerS() {
    return activeCells() / 1e6 * p.vmaxNmolPerSPer1e6Cells() * cellOxygenDemandFactor;
  }

  /** Active cell mass at the current culture day (see class comment). */
  public double activeCells() {
    double day = cultureDay();
    double growthDays = Math.min(day, p.declineStartDay());
    double declineDays = Math.max(0.0, day - p.declineStartDay());
    return p.cellCount()
        * Math.exp(p.growthPerDay() * growthDays - p.declinePerDay() * declineDays)
        * viability;
  }

  /** Fraction of the cells not killed by overheating (1 = none lost). */
  public double viability() {
    return viability;
  }

  /** Culture day: the scenario's start day plus simulated time. */
  public double cultureDay() {
    return p.cultureDayAtStart() + elapsedS / SECONDS_PER_DAY;
  }

  /**
   * Analytic steady-state outlet pO2 for an inlet pO2 and flow: the positive root of {@code Qα(p_in
   * − p) = U p/(Km + p)}, computed in the cancellation-free form.
   */
  public double steadyOutletMmHg(double inletMmHg, double flow) {
    double a = flow / 60.0 * p.alphaNmolPerMlMmHg(); // nmol/(s·mmHg)
    double u = maxUptakeNmolPerS();
    double km = p.kmMmHg();
    if (u <= 0) {
      return inletMmHg;
    }
    if (a <= 0 || inletMmHg <= 0) {
      return 0.0;
    }
    double b = a * km - a * inletMmHg + u;
    double c = a * inletMmHg * km;
    double disc = Math.sqrt(b * b + 4 * a * c);
    return b >= 0 ? 2 * c / (b + disc) : (-b + disc) / (2 * a);
  }

  /**
   * Heater % that holds {@code temperatureC} at the current flow and ambient (may be outside
   * 0..100).
   */
  public double equilibriumHeaterPct(double temperatureC) {
    double w = (temperatureC - ambientC) * p.thermalConductanceWPerK(flowMlPerMin);
    return p.heaterMaxW() <= 0 ? Double.NaN : 100.0 * w / p.heaterMaxW();
  }

  // ---- commands ----

  public void setHeaterPct(double pct) {
    heaterPct = clampPct(pct);
  }

  public void setGasO2Pct(double pct) {
    gasO2Pct = clampPct(pct);
  }

  public void setPumpPct(double pct) {
    pumpPct = clampPct(pct);
  }

  public double heaterPct() {
    return heaterPct;
  }

  public double gasO2Pct() {
    return gasO2Pct;
  }

  public double pumpPct() {
    return pumpPct;
  }

  // ---- measured quantities (true values; sensors add noise) ----

  public double temperatureC() {
    return temperatureC;
  }

  public double doInletMmHg() {
    return doInletMmHg;
  }

  public double doOutletMmHg() {
    return doOutletMmHg;
  }

  public double flowMlPerMin() {
    return flowMlPerMin;
  }

  /** Inlet pressure: flow × (tubing + scaffold × factor). */
  public double pressureInletMmHg() {
    return flowMlPerMin
        * (p.tubingResistanceMmHgPerMlMin()
            + p.scaffoldResistanceMmHgPerMlMin() * scaffoldResistanceFactor);
  }

  /** Current O2 consumption of the construct (Michaelis–Menten at the outlet pO2), nmol/min. */
  public double oxygenUptakeNmolPerMin() {
    double pO2 = Math.max(0.0, doOutletMmHg);
    return 60.0 * maxUptakeNmolPerS() * pO2 / (p.kmMmHg() + pO2);
  }

  /** Heat currently delivered by the heater (after its lag), W. */
  public double heaterPowerW() {
    return heaterPowerW;
  }

  // ---- disturbances and faults ----

  public void setAmbientC(double c) {
    if (!Double.isFinite(c)) {
      throw new IllegalArgumentException("ambientC must be finite, got " + c);
    }
    ambientC = c;
  }

  public double ambientC() {
    return ambientC;
  }

  /** 1 = clean scaffold; above 1 clogging; below 1 a leak. */
  public void setScaffoldResistanceFactor(double factor) {
    if (!(factor >= 0) || !Double.isFinite(factor)) {
      throw new IllegalArgumentException("scaffold resistance factor must be >= 0, got " + factor);
    }
    scaffoldResistanceFactor = factor;
  }

  public double scaffoldResistanceFactor() {
    return scaffoldResistanceFactor;
  }

  /** 1 = nominal; 0.5 = cells consume half (hypoxic adaptation, damage); 2 = twice. */
  public void setCellOxygenDemandFactor(double factor) {
    if (!(factor >= 0) || !Double.isFinite(factor)) {
      throw new IllegalArgumentException("cell oxygen demand factor must be >= 0, got " + factor);
    }
    cellOxygenDemandFactor = factor;
  }

  public double cellOxygenDemandFactor() {
    return cellOxygenDemandFactor;
  }

  /**
   * A failed heater delivers no heat whatever its command (its power decays with the heater lag).
   */
  public void setHeaterFailed(boolean failed) {
    heaterFailed = failed;
  }

  public boolean heaterFailed() {
    return heaterFailed;
  }

  /** A stalled pump moves no medium whatever its command. */
  public void setPumpStalled(boolean stalled) {
    pumpStalled = stalled;
  }

  public boolean pumpStalled() {
    return pumpStalled;
  }

  /** Simulated seconds since construction. */
  public double elapsedS() {
    return elapsedS;
  }
}
