package io.hepaloop.alarm;

import java.time.Instant;

/**
 * One alarm as the API and the console show it: what it is, where it stands, who acted on it, and
 * why it exists. A snapshot, made on the engine's thread by {@link AlarmEngine#alarms()}.
 *
 * @param value the watched quantity in the definition's units (see {@link AlarmTransition#value});
 *     NaN when none seen yet
 * @param activeSince when it last became active, or null when it is not active (or its activation
 *     is not known, e.g. shelved since the engine started)
 * @param lastChange the time of its last transition, or null if it never changed
 * @param acknowledgedBy who acknowledged the present activation, or null
 * @param acknowledgeComment their comment, or null
 * @param shelvedUntil when a shelved alarm returns, or null when it is not shelved
 * @param latched holding a latch: it stays active until reset
 * @param message the last transition's sentence (for PREDICTED_LOW the predicted crossing time; for
 *     OUR_DECLINE the decline and its hours), or null
 */
public record AlarmView(
    String id,
    String reactorId,
    AlarmKind kind,
    AlarmPriority priority,
    AlarmState state,
    double value,
    Instant activeSince,
    Instant lastChange,
    String acknowledgedBy,
    String acknowledgeComment,
    Instant shelvedUntil,
    boolean latched,
    String message,
    Rationale rationale) {}
