package io.hepaloop.alarm;

/**
 * What an alarm watches, and so what its {@link AlarmDefinition#source()} and {@link
 * AlarmDefinition#limit()} mean.
 */
public enum AlarmKind {
  /** Signal value above the limit (signal units); clears below limit − deadband. */
  HIGH_HIGH,
  /** Signal value above the limit (signal units); clears below limit − deadband. */
  HIGH,
  /** Signal value below the limit (signal units); clears above limit + deadband. */
  LOW,
  /** Signal value below the limit (signal units); clears above limit + deadband. */
  LOW_LOW,
  /** |PV − setpoint| of a loop above the limit (PV units); clears below limit − deadband. */
  DEVIATION,
  /**
   * |rate of change| of a signal above the limit (signal units per minute), measured over the last
   * {@link AlarmDefinition#windowS()} seconds (0 = 60 s); clears below limit − deadband.
   */
  RATE_OF_CHANGE,
  /**
   * Signal quality not Good, or no fresh sample arrived for longer than the limit (seconds), judged
   * on the controller's clock; a device clock off by more than the limit is said once ({@link
   * ClockOffset}).
   */
  BAD_QUALITY_OR_STALE,
  /** The reactor's device link is down; source and limit unused. */
  LINK_LOST,
  /** The interlock named by the source has tripped; limit unused. */
  INTERLOCK_TRIPPED,
  /** The loop's output has stayed saturated for at least the limit (seconds). */
  LOOP_SATURATED,
  /**
   * The device link cannot write the watchdog heartbeat (the device will soon put its outputs
   * safe); source and limit unused. Fed by {@code AlarmEngine.onHeartbeat}.
   */
  HEARTBEAT_FAILING,
  /**
   * Telemetry is not reaching InfluxDB: the oldest point still in the spool is older than the limit
   * (seconds). Source unused. Fed by {@code AlarmEngine.onTelemetryBacklog}.
   */
  SPOOL_GROWING,
  /**
   * The reactor's oxygen uptake rate (OUR) has fallen by more than the limit (percent) over the
   * last {@link AlarmDefinition#windowS()} seconds: the construct is failing. Source unused. Fed by
   * {@code AlarmEngine.onOur}.
   */
  OUR_DECLINE,
  /**
   * Predictive: from the trend of the source signal (outlet pO2) over the last {@link
   * AlarmDefinition#windowS()} seconds, the time at which it will cross the limit (the hypoxia
   * floor, signal units) lies within {@link AlarmDefinition#horizonS()} seconds. The message names
   * the predicted time. Must not fire on noise.
   */
  PREDICTED_LOW;

  /** Kinds fed by signal values (as opposed to loop snapshots, the link or interlocks). */
  public boolean watchesSignal() {
    return this == HIGH_HIGH
        || this == HIGH
        || this == LOW
        || this == LOW_LOW
        || this == RATE_OF_CHANGE
        || this == BAD_QUALITY_OR_STALE
        || this == PREDICTED_LOW;
  }

  /** Kinds whose {@link AlarmDefinition#source()} names a signal, loop or interlock. */
  public boolean needsSource() {
    return this != LINK_LOST
        && this != HEARTBEAT_FAILING
        && this != SPOOL_GROWING
        && this != OUR_DECLINE;
  }

  /** Kinds fed by loop snapshots. */
  public boolean watchesLoop() {
    return this == DEVIATION || this == LOOP_SATURATED;
  }
}
