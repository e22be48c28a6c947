package io.hepaloop.control;

import io.hepaloop.core.Quality;
import java.time.Instant;

/**
 * State of one control loop after one execution, published on {@link
 * io.hepaloop.bus.Addresses#control(String)} for telemetry, metrics and the console.
 *
 * @param mode OFF, MANUAL, AUTO or CASCADE
 * @param setpoint working setpoint (after ramping), PV units
 * @param pv process value used this cycle, PV units
 * @param pvQuality quality of that PV
 * @param output output sent to the actuator, actuator units (percent)
 * @param pTerm proportional contribution to the output
 * @param iTerm integral contribution
 * @param dTerm derivative contribution
 * @param ffTerm feedforward contribution (measured disturbance, or the cascade's demand estimate);
 *     0 without
 * @param saturated output at a limit (or limited by an override / rate limit)
 * @param overrideActive a select-low override (e.g. inlet pressure) is limiting the output
 * @param interlock id of the interlock forcing the output, or null
 */
public record LoopSnapshot(
    String reactorId,
    String loopId,
    Instant time,
    String mode,
    double setpoint,
    double pv,
    Quality pvQuality,
    double output,
    double pTerm,
    double iTerm,
    double dTerm,
    double ffTerm,
    boolean saturated,
    boolean overrideActive,
    String interlock) {}
