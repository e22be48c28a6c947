package io.hepaloop.device;

/** Outcome of an {@link ActuatorCommand}: {@code ok}, or the reason it was refused or failed. */
public record WriteResult(
    String reactorId, String actuatorId, double value, boolean ok, String detail) {
  public static WriteResult ok(ActuatorCommand c) {
    return new WriteResult(c.reactorId(), c.actuatorId(), c.value(), true, "Good");
  }

  public static WriteResult failed(ActuatorCommand c, String detail) {
    return new WriteResult(c.reactorId(), c.actuatorId(), c.value(), false, detail);
  }
}
