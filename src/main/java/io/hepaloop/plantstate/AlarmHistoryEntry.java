package io.hepaloop.plantstate;

import io.hepaloop.alarm.AlarmPriority;
import io.hepaloop.alarm.AlarmTransition;

/**
 * One row of the alarm history.
 *
 * @param id the row's number, increasing with each transition recorded (never reused)
 * @param transition what happened; value and limit are NaN where none was recorded
 * @param priority the alarm's priority when it happened, or null for an alarm the journal had no
 *     definition of
 * @param runId the run open on the alarm's reactor when it happened, or null for none
 */
public record AlarmHistoryEntry(
    long id, AlarmTransition transition, AlarmPriority priority, String runId) {}
