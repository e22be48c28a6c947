package io.hepaloop.device;

import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.SignalKind;
import io.hepaloop.profile.SignalSpec;
import java.util.Optional;

/**
 * The checks an {@link ActuatorCommand} must pass before anything is written to the device: the
 * actuator exists in the profile, is an actuator, and the value is a number inside the profile's
 * {@code allowed} range (falling back to {@code range} when a profile gives none). Out-of-range
 * commands are refused, never clamped: a loop asking for 140 % heater has a bug that must surface.
 */
public final class CommandCheck {
  private CommandCheck() {}

  /** Why the command is refused, or empty when it may be written. */
  public static Optional<String> refusal(
      DeviceProfile profile, String reactorId, ActuatorCommand c) {
    if (c == null) {
      return Optional.of("empty command");
    }
    if (!reactorId.equals(c.reactorId())) {
      return Optional.of(
          "command for reactor '"
              + c.reactorId()
              + "' sent to the link of reactor '"
              + reactorId
              + "'");
    }
    Optional<SignalSpec> spec = profile.signal(c.actuatorId());
    if (spec.isEmpty()) {
      return Optional.of(
          "profile " + profile.model() + " has no actuator '" + c.actuatorId() + "'");
    }
    SignalSpec s = spec.get();
    if (s.kind() != SignalKind.ACTUATOR) {
      return Optional.of(
          "'" + c.actuatorId() + "' is a sensor, not an actuator: it cannot be written");
    }
    if (!Double.isFinite(c.value())) {
      return Optional.of(c.actuatorId() + " value " + c.value() + " is not a finite number");
    }
    var allowed = s.allowed() != null ? s.allowed() : s.range();
    if (allowed != null && !allowed.contains(c.value())) {
      return Optional.of(
          c.actuatorId()
              + " = "
              + c.value()
              + " "
              + s.unit()
              + " is outside the allowed range "
              + allowed
              + " "
              + s.unit());
    }
    return Optional.empty();
  }
}
