package io.hepaloop.bench;

/**
 * The benchmark's scenarios. Every one runs with sensor noise; metrics are taken from {@link
 * #eventS} (after a warm-up in which the loops settle from the plant's initial state) to {@link
 * #endS}.
 */
public enum Scenario {
  SETPOINT_STEP("1 °C setpoint step 37 → 38 °C", 1800, 1800 + 7200),
  DOOR_OPEN("door open 2 min (ambient −8 °C)", 1800, 1800 + 5400),
  FLOW_RAMP("flow ramp 0.5 → 2 mL/min over 30 min", 1800, 1800 + 5400),
  O2_DEMAND("cell O2 demand ×2 over 6 h", 3600, 3600 + 6 * 3600 + 3600),
  CLOGGING("scaffold clogging ×10 over 2 h", 1800, 1800 + 9000),
  /**
   * Not in the list: shows what anti-windup is for (overshoot measured after the repair).
   */
  HEATER_FAILURE("heater failed for 30 min, then repaired", 1800, 1800 + 1800 + 7200);

  public static final double HEATER_FAILED_S = 1800.0;

  /** Ambient drop while the door is open, °C, and how long. */
  public static final double DOOR_DROP_C = 8.0;

  public static final double DOOR_OPEN_S = 120.0;
  public static final double FLOW_RAMP_S = 1800.0;
  public static final double DEMAND_RAMP_S = 6 * 3600.0;
  public static final double CLOG_RAMP_S = 7200.0;
  public static final double CLOG_FACTOR = 10.0;

  public final String title;
  public final double eventS;
  public final double endS;

  Scenario(String title, double eventS, double endS) {
    this.title = title;
    this.eventS = eventS;
    this.endS = endS;
  }

  /** Initial conditions, applied once before the run. */
  void prepare(PlantHarness h) {
    if (this == FLOW_RAMP) {
      h.setSetpoint("flow", 0.5);
    }
  }

  /** Disturbances and setpoint changes, applied after every tick. */
  void apply(PlantHarness h, double ambientAtStartC) {
    double t = h.timeS();
    double since = t - eventS;
    switch (this) {
      case SETPOINT_STEP -> {
        if (Math.abs(since) < PlantHarness.TICK_S / 2) {
          h.setSetpoint("temperature", 38.0);
        }
      }
      case DOOR_OPEN ->
          h.model()
              .setAmbientC(
                  since >= 0 && since < DOOR_OPEN_S
                      ? ambientAtStartC - DOOR_DROP_C
                      : ambientAtStartC);
      case FLOW_RAMP -> {
        if (since >= 0 && since <= FLOW_RAMP_S + 1 && h.clock().nanoTime() % 1_000_000_000L == 0) {
          h.setSetpoint("flow", 0.5 + 1.5 * Math.min(1.0, since / FLOW_RAMP_S));
        }
      }
      case O2_DEMAND ->
          h.model()
              .setCellOxygenDemandFactor(1.0 + Math.max(0, Math.min(1.0, since / DEMAND_RAMP_S)));
      case CLOGGING ->
          h.model()
              .setScaffoldResistanceFactor(
                  1.0 + (CLOG_FACTOR - 1) * Math.max(0, Math.min(1.0, since / CLOG_RAMP_S)));
      case HEATER_FAILURE -> h.model().setHeaterFailed(since >= 0 && since < HEATER_FAILED_S);
      default -> {}
    }
  }
}
