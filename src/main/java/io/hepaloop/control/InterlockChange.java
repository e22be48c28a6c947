package io.hepaloop.control;

import java.time.Instant;

/**
 * An interlock tripped, cleared by itself (non-latched) or was reset (latched), published on {@link
 * io.hepaloop.bus.Addresses#interlocks(String)} so that the alarm engine follows interlocks from a
 * structured record instead of parsing event text.
 *
 * @param tripped true on a trip, false when it cleared or was reset
 * @param cause what tripped it ("do_outlet 12.00 mmHg below low-low limit 15.00"), null when it
 *     cleared
 */
public record InterlockChange(
    String reactorId, String interlockId, boolean tripped, Instant time, String cause) {}
