package io.hepaloop.profile;

/**
 * One sensor or actuator of a device model.
 *
 * @param id stable id used everywhere (event bus, InfluxDB, API, console)
 * @param nodeId OPC UA NodeId, may contain {@code {reactor}}: {@code nsu=urn:...;s={reactor}.flow}
 * @param dataType OPC UA built-in type of the raw value: Double, Float, Int16, Int32, UInt16,
 *     UInt32, Boolean
 * @param unit engineering unit after scaling
 * @param range engineering range of the instrument (values outside are suspect)
 * @param scaling raw → engineering; null means the raw value is already in engineering units
 * @param samplingIntervalMs OPC UA monitored item sampling interval
 * @param deadband absolute deadband in engineering units (0 = every change)
 * @param allowed actuators only: the range a command may ask for
 * @param safeValue actuators only: where the output goes when the link, the sensor or the
 *     controller fails
 */
public record SignalSpec(
    String id,
    SignalKind kind,
    String description,
    String nodeId,
    String dataType,
    String unit,
    Range range,
    Scaling scaling,
    Double samplingIntervalMs,
    Double deadband,
    Range allowed,
    Double safeValue) {

  /** NodeId for one reactor: {@code {reactor}} replaced by the reactor id. */
  public String nodeIdFor(String reactorId) {
    return nodeId.replace("{reactor}", reactorId);
  }

  public double toEngineering(double raw) {
    return scaling == null ? raw : scaling.toEngineering(raw);
  }

  public double toRaw(double engineering) {
    return scaling == null ? engineering : scaling.toRaw(engineering);
  }

  public double samplingIntervalMsOrDefault() {
    return samplingIntervalMs == null ? 500.0 : samplingIntervalMs;
  }

  public double deadbandOrZero() {
    return deadband == null ? 0.0 : deadband;
  }
}
