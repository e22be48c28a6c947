package io.hepaloop.plantstate;

import io.hepaloop.alarm.AlarmPriority;
import io.hepaloop.alarm.AlarmState;
import io.hepaloop.alarm.AlarmTransition;
import java.time.Instant;

/**
 * The lifecycle state of one alarm as the journal last recorded it.
 *
 * @param since when it entered {@code state}
 * @param priority from its definition, or null when the journal had none
 * @param ackedBy who acknowledged the current activation (null: nobody yet, or a new activation
 *     since)
 * @param shelvedUntil when a shelved alarm returns (the time of shelving plus the shelve length the
 *     engine's message gives), or null when not shelved
 * @param outOfService taken out of service by an engineer
 * @param latched its definition latches and it is active: it needs a reset once normal
 * @param last the transition that led here, for {@code AlarmEngine.restore}
 */
public record CurrentAlarmState(
    String reactorId,
    String alarmId,
    AlarmState state,
    Instant since,
    AlarmPriority priority,
    String ackedBy,
    Instant ackedAt,
    String ackComment,
    Instant shelvedUntil,
    String shelvedBy,
    boolean outOfService,
    boolean latched,
    AlarmTransition last) {}
