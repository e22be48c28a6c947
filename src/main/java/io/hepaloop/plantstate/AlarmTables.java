package io.hepaloop.plantstate;

import io.hepaloop.alarm.Actor;
import io.hepaloop.alarm.AlarmPriority;
import io.hepaloop.alarm.AlarmState;
import io.hepaloop.alarm.AlarmTransition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The SQL of the alarm journal: tables alarm_history, alarm_state and alarm_history_gaps. */
final class AlarmTables {
  /** How the engine's message says how long an alarm is shelved ("shelved for 600 s"). */
  private static final Pattern SHELVED_FOR = Pattern.compile("shelved for (\\d+) s");

  private static final String STATE_COLUMNS =
      "reactor_id, alarm_id, state, since_ns, priority, acked_by, acked_at_ns, ack_comment,"
          + " shelved_until_ns, shelved_by, out_of_service, latched, last_from_state, last_value,"
          + " last_limit, last_actor_name, last_actor_role, last_comment, last_message";

  private AlarmTables() {}

  static void insertHistory(
      PreparedStatement p, AlarmTransition t, AlarmPriority priority, String runId)
      throws SQLException {
    p.setLong(1, Sql.epochNanos(t.time()));
    p.setString(2, t.time().toString());
    p.setString(3, t.reactorId());
    p.setString(4, t.alarmId());
    p.setString(5, priority == null ? null : priority.name());
    p.setString(6, t.from().name());
    p.setString(7, t.to().name());
    Sql.setDouble(p, 8, t.value());
    Sql.setDouble(p, 9, t.limit());
    p.setString(10, t.actor() == null ? null : t.actor().name());
    p.setString(11, t.actor() == null ? null : t.actor().role().name());
    p.setString(12, t.comment());
    p.setString(13, t.message());
    p.setString(14, runId);
    p.addBatch();
  }

  static final String INSERT_HISTORY =
      "INSERT INTO alarm_history (time_ns, time, reactor_id, alarm_id, priority, from_state,"
          + " to_state, value, limit_value, actor_name, actor_role, comment, message, run_id)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  static CurrentAlarmState find(Connection c, String reactorId, String alarmId)
      throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT "
                + STATE_COLUMNS
                + " FROM alarm_state WHERE reactor_id = ? AND alarm_id = ?")) {
      p.setString(1, reactorId);
      p.setString(2, alarmId);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? state(r) : null;
      }
    }
  }

  static List<CurrentAlarmState> all(Connection c) throws SQLException {
    List<CurrentAlarmState> out = new ArrayList<>();
    try (PreparedStatement p =
            c.prepareStatement(
                "SELECT " + STATE_COLUMNS + " FROM alarm_state ORDER BY reactor_id, alarm_id");
        ResultSet r = p.executeQuery()) {
      while (r.next()) {
        out.add(state(r));
      }
    }
    return out;
  }

  /**
   * The state after {@code t}, given the one before (null for an alarm never seen): the
   * acknowledgement belongs to an activation and is cleared by a new one; shelving lasts while the
   * alarm stays shelved.
   */
  static CurrentAlarmState next(
      CurrentAlarmState before, AlarmTransition t, AlarmPriority priority, boolean latching) {
    String ackedBy = before == null ? null : before.ackedBy();
    Instant ackedAt = before == null ? null : before.ackedAt();
    String ackComment = before == null ? null : before.ackComment();
    if (t.to() == AlarmState.UNACK_ACTIVE) {
      ackedBy = null;
      ackedAt = null;
      ackComment = null;
    } else if (t.actor() != null
        && t.from().needsAcknowledgement()
        && (t.to() == AlarmState.ACK_ACTIVE || t.to() == AlarmState.NORMAL)) {
      ackedBy = t.actor().name();
      ackedAt = t.time();
      ackComment = t.comment();
    }
    Instant shelvedUntil = null;
    String shelvedBy = null;
    if (t.to() == AlarmState.SHELVED) {
      shelvedBy = t.actor() == null ? null : t.actor().name();
      Matcher m = SHELVED_FOR.matcher(t.message());
      if (m.find()) {
        shelvedUntil = t.time().plusSeconds(Long.parseLong(m.group(1)));
      } else if (before != null && before.state() == AlarmState.SHELVED) {
        shelvedUntil = before.shelvedUntil();
      }
    }
    return new CurrentAlarmState(
        t.reactorId(),
        t.alarmId(),
        t.to(),
        t.time(),
        priority,
        ackedBy,
        ackedAt,
        ackComment,
        shelvedUntil,
        shelvedBy,
        t.to() == AlarmState.OUT_OF_SERVICE,
        latching && t.to().isActive(),
        t);
  }

  static void upsert(Connection c, CurrentAlarmState s) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "INSERT OR REPLACE INTO alarm_state ("
                + STATE_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      AlarmTransition t = s.last();
      p.setString(1, s.reactorId());
      p.setString(2, s.alarmId());
      p.setString(3, s.state().name());
      p.setLong(4, Sql.epochNanos(s.since()));
      p.setString(5, s.priority() == null ? null : s.priority().name());
      p.setString(6, s.ackedBy());
      Sql.setNanos(p, 7, s.ackedAt());
      p.setString(8, s.ackComment());
      Sql.setNanos(p, 9, s.shelvedUntil());
      p.setString(10, s.shelvedBy());
      p.setInt(11, s.outOfService() ? 1 : 0);
      p.setInt(12, s.latched() ? 1 : 0);
      p.setString(13, t.from().name());
      Sql.setDouble(p, 14, t.value());
      Sql.setDouble(p, 15, t.limit());
      p.setString(16, t.actor() == null ? null : t.actor().name());
      p.setString(17, t.actor() == null ? null : t.actor().role().name());
      p.setString(18, t.comment());
      p.setString(19, t.message());
      p.executeUpdate();
    }
  }

  static void insertGap(Connection c, long fromNs, long toNs, long lost) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "INSERT INTO alarm_history_gaps (from_ns, to_ns, lost) VALUES (?, ?, ?)")) {
      p.setLong(1, fromNs);
      p.setLong(2, toNs);
      p.setLong(3, lost);
      p.executeUpdate();
    }
  }

  /** Deletes at most {@code batch} history rows older than {@code cutoff}, oldest first. */
  static int prune(Connection c, Instant cutoff, int batch) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "DELETE FROM alarm_history WHERE id IN (SELECT id FROM alarm_history"
                + " WHERE time_ns < ? ORDER BY time_ns LIMIT ?)")) {
      p.setLong(1, Sql.epochNanos(cutoff));
      p.setInt(2, batch);
      return p.executeUpdate();
    }
  }

  static AlarmHistoryPage history(Connection c, AlarmHistoryQuery q) throws SQLException {
    StringBuilder sql =
        new StringBuilder(
            "SELECT id, time_ns, reactor_id, alarm_id, priority, from_state, to_state, value,"
                + " limit_value, actor_name, actor_role, comment, message, run_id FROM alarm_history"
                + " WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    condition(sql, args, "reactor_id = ?", q.reactorId());
    condition(sql, args, "alarm_id = ?", q.alarmId());
    condition(sql, args, "run_id = ?", q.runId());
    condition(sql, args, "time_ns >= ?", q.since() == null ? null : Sql.epochNanos(q.since()));
    condition(sql, args, "time_ns < ?", q.until() == null ? null : Sql.epochNanos(q.until()));
    condition(sql, args, "priority = ?", q.priority() == null ? null : q.priority().name());
    condition(sql, args, "to_state = ?", q.state() == null ? null : q.state().name());
    condition(sql, args, "id < ?", q.beforeId() == 0 ? null : q.beforeId());
    sql.append(" ORDER BY id DESC LIMIT ?");
    args.add(q.limit() + 1);
    List<AlarmHistoryEntry> entries = new ArrayList<>();
    boolean more = false;
    try (PreparedStatement p = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        p.setObject(i + 1, args.get(i));
      }
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          if (entries.size() == q.limit()) {
            more = true;
            break;
          }
          String priority = r.getString("priority");
          entries.add(
              new AlarmHistoryEntry(
                  r.getLong("id"),
                  new AlarmTransition(
                      Sql.instant(r.getLong("time_ns")),
                      r.getString("alarm_id"),
                      r.getString("reactor_id"),
                      AlarmState.valueOf(r.getString("from_state")),
                      AlarmState.valueOf(r.getString("to_state")),
                      Sql.doubleOrNan(r, "value"),
                      Sql.doubleOrNan(r, "limit_value"),
                      actor(r.getString("actor_name"), r.getString("actor_role")),
                      r.getString("comment"),
                      r.getString("message"),
                      priority == null ? null : AlarmPriority.valueOf(priority)),
                  priority == null ? null : AlarmPriority.valueOf(priority),
                  r.getString("run_id")));
        }
      }
    }
    String cursor = more ? Long.toString(entries.get(entries.size() - 1).id()) : null;
    return new AlarmHistoryPage(entries, cursor);
  }

  static long count(Connection c, String table) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM " + table);
        ResultSet r = p.executeQuery()) {
      r.next();
      return r.getLong(1);
    }
  }

  private static void condition(StringBuilder sql, List<Object> args, String where, Object arg) {
    if (arg != null) {
      sql.append(" AND ").append(where);
      args.add(arg);
    }
  }

  private static Actor actor(String name, String role) {
    return name == null || role == null ? null : new Actor(name, Actor.Role.valueOf(role));
  }

  private static CurrentAlarmState state(ResultSet r) throws SQLException {
    String priority = r.getString("priority");
    AlarmState state = AlarmState.valueOf(r.getString("state"));
    Instant since = Sql.instant(r.getLong("since_ns"));
    AlarmTransition last =
        new AlarmTransition(
            since,
            r.getString("alarm_id"),
            r.getString("reactor_id"),
            AlarmState.valueOf(r.getString("last_from_state")),
            state,
            Sql.doubleOrNan(r, "last_value"),
            Sql.doubleOrNan(r, "last_limit"),
            actor(r.getString("last_actor_name"), r.getString("last_actor_role")),
            r.getString("last_comment"),
            r.getString("last_message"),
            priority == null ? null : AlarmPriority.valueOf(priority));
    return new CurrentAlarmState(
        r.getString("reactor_id"),
        r.getString("alarm_id"),
        state,
        since,
        priority == null ? null : AlarmPriority.valueOf(priority),
        r.getString("acked_by"),
        Sql.instantOrNull(r, "acked_at_ns"),
        r.getString("ack_comment"),
        Sql.instantOrNull(r, "shelved_until_ns"),
        r.getString("shelved_by"),
        r.getInt("out_of_service") == 1,
        r.getInt("latched") == 1,
        last);
  }
}
