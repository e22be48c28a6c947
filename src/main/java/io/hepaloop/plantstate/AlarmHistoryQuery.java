package io.hepaloop.plantstate;

import io.hepaloop.alarm.AlarmPriority;
import io.hepaloop.alarm.AlarmState;
import java.time.Instant;
import java.util.Arrays;

/**
 * Which alarm history to read, newest first; every filter is optional (null: any). Build it with
 * {@link #all()} and the {@code with...} methods; the string forms ({@link #withState(String)},
 * {@link #withPriority(String)}, {@link #after(String)}) are for request parameters and refuse bad
 * input with a message naming the field and the allowed values.
 *
 * @param reactorId only this reactor's alarms
 * @param alarmId only alarms with this id
 * @param since transitions at or after this time
 * @param until transitions before this time
 * @param priority only alarms of this priority
 * @param state only transitions into this state
 * @param limit the page size, 1 to {@value #MAX_LIMIT}
 * @param beforeId from a cursor: only rows older than this id; 0 for the first page
 * @param runId only transitions recorded while this run was open on the alarm's reactor
 */
public record AlarmHistoryQuery(
    String reactorId,
    String alarmId,
    Instant since,
    Instant until,
    AlarmPriority priority,
    AlarmState state,
    int limit,
    long beforeId,
    String runId) {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  public AlarmHistoryQuery {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
    }
    if (beforeId < 0) {
      throw new IllegalArgumentException("cursor must not be negative, got " + beforeId);
    }
    if (since != null && until != null && !since.isBefore(until)) {
      throw new IllegalArgumentException(
          "since (" + since + ") must be before until (" + until + ")");
    }
  }

  /** Everything, {@value #DEFAULT_LIMIT} per page. */
  public static AlarmHistoryQuery all() {
    return new AlarmHistoryQuery(null, null, null, null, null, null, DEFAULT_LIMIT, 0, null);
  }

  public AlarmHistoryQuery withReactor(String id) {
    return new AlarmHistoryQuery(
        id, alarmId, since, until, priority, state, limit, beforeId, runId);
  }

  public AlarmHistoryQuery withAlarm(String id) {
    return new AlarmHistoryQuery(
        reactorId, id, since, until, priority, state, limit, beforeId, runId);
  }

  public AlarmHistoryQuery between(Instant from, Instant to) {
    return new AlarmHistoryQuery(
        reactorId, alarmId, from, to, priority, state, limit, beforeId, runId);
  }

  public AlarmHistoryQuery withPriority(AlarmPriority p) {
    return new AlarmHistoryQuery(
        reactorId, alarmId, since, until, p, state, limit, beforeId, runId);
  }

  /** From a request parameter, case-insensitive. */
  public AlarmHistoryQuery withPriority(String p) {
    return withPriority(p == null ? null : parse(AlarmPriority.class, "priority", p));
  }

  public AlarmHistoryQuery withState(AlarmState s) {
    return new AlarmHistoryQuery(
        reactorId, alarmId, since, until, priority, s, limit, beforeId, runId);
  }

  /** From a request parameter, case-insensitive. */
  public AlarmHistoryQuery withState(String s) {
    return withState(s == null ? null : parse(AlarmState.class, "state", s));
  }

  /** Only transitions of this run (null: any). */
  public AlarmHistoryQuery withRun(String id) {
    return new AlarmHistoryQuery(
        reactorId, alarmId, since, until, priority, state, limit, beforeId, id);
  }

  public AlarmHistoryQuery withLimit(int n) {
    return new AlarmHistoryQuery(
        reactorId, alarmId, since, until, priority, state, n, beforeId, runId);
  }

  /** The page after the one whose {@link AlarmHistoryPage#nextCursor} this is. */
  public AlarmHistoryQuery after(String cursor) {
    long id;
    try {
      id = cursor == null ? 0 : Long.parseLong(cursor);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "cursor must be a nextCursor of an earlier page, got '" + cursor + "'");
    }
    return new AlarmHistoryQuery(
        reactorId, alarmId, since, until, priority, state, limit, id, runId);
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String field, String text) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(text.strip())) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        field
            + " must be one of "
            + Arrays.toString(type.getEnumConstants())
            + ", got '"
            + text
            + "'");
  }
}
