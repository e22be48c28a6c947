package io.hepaloop.bus;

import java.time.Instant;

/**
 * Something that happened and that people need to see on a trend: an interlock trip, a link outage,
 * an alarm transition, an operator action, a run phase. Published on {@link Addresses#EVENTS};
 * stored in the InfluxDB {@code events} measurement (Grafana annotations).
 *
 * @param reactorId reactor concerned, or null for plant-wide events
 * @param type short machine-readable kind: {@code interlock}, {@code link}, {@code alarm}, {@code
 *     operator}, {@code phase}, {@code telemetry}
 * @param source what raised it (loop id, interlock id, user name, component)
 * @param severity {@code info}, {@code warning} or {@code critical}
 * @param message one human sentence saying what and why
 */
public record HepaEvent(
    Instant time, String reactorId, String type, String source, String severity, String message) {}
