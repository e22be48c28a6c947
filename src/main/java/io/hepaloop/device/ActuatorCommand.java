package io.hepaloop.device;

/**
 * A request to write one actuator, sent to {@link io.hepaloop.bus.Addresses#commands(String)}. The
 * device link range-checks it against the profile, writes it, confirms the status code and replies
 * with a {@link WriteResult}.
 *
 * @param value engineering units of the actuator (e.g. percent)
 * @param reason who or what asked for it (loop id, interlock, operator), for the audit trail and
 *     logs
 */
public record ActuatorCommand(String reactorId, String actuatorId, double value, String reason) {}
