package io.hepaloop.alarm;

import java.time.Instant;

/**
 * A device clock that disagrees with the controller's, seen by a {@link
 * AlarmKind#BAD_QUALITY_OR_STALE} alarm on its signal: said once when the offset grows beyond the
 * alarm's limit, and once when it is back within half the limit (never per sample).
 *
 * <p>Staleness is judged on the controller's clock (when a sample arrived), so such a device does
 * not make the alarm wrong; but its source timestamps are, and they are what telemetry and trends
 * carry, so people must know.
 *
 * @param time when it was judged (control clock)
 * @param signalId the signal whose source times were compared with their arrival
 * @param offsetS device time minus controller time at arrival, seconds: positive when the device's
 *     clock runs ahead; the freshest sample of a window of the alarm's limit (an unchanged value's
 *     old source time and the transport delay only make a single sample look later)
 * @param large true when the offset crossed the limit, false when it came back within half of it
 * @param message one sentence naming the reactor, signal, offset and direction
 */
public record ClockOffset(
    Instant time,
    String alarmId,
    String reactorId,
    String signalId,
    double offsetS,
    boolean large,
    String message) {}
