package io.hepaloop.profile;

/**
 * PID tuning in ISA standard form: {@code u = K (b·e + (1/Ti)∫e dt + Td·d(c·e)/dt)}, with the
 * derivative acting on the measurement. Gains are non-negative; the sign comes from the loop's
 * direction.
 *
 * @param gain proportional gain K (output units per PV unit)
 * @param integralTimeS integral time Ti in seconds; 0 or null disables integral action
 * @param derivativeTimeS derivative time Td in seconds
 * @param setpointWeightP b, setpoint weight in the proportional term (default 1)
 * @param derivativeFilterN N of the first-order derivative filter Td/N (default 10)
 * @param trackingTimeS anti-windup back-calculation time constant Tt (default sqrt(Ti·Td) or Ti)
 * @param outputRateLimitPerS maximum output change per second (null = unlimited)
 */
public record TuningSpec(
    double gain,
    Double integralTimeS,
    Double derivativeTimeS,
    Double setpointWeightP,
    Double derivativeFilterN,
    Double trackingTimeS,
    Double outputRateLimitPerS) {}
