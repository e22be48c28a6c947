package io.hepaloop.report;

import io.hepaloop.report.RunReport.AlarmStats;
import io.hepaloop.report.RunReport.AuditSummary;
import io.hepaloop.report.RunReport.LabResult;
import io.hepaloop.report.RunReport.Note;
import io.hepaloop.report.RunReport.Phase;
import io.hepaloop.report.RunReport.RunInfo;
import io.hepaloop.report.RunReport.SignedRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads one run's rows from the database (tables of V2 alarms, V4 audit, V6 runs, V7 lab samples):
 * plain SELECTs on one connection, nothing written.
 */
final class RunRecords {
  /** Priorities in the report's order, most urgent first; UNKNOWN for a row without one. */
  static final List<String> PRIORITIES = List.of("CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN");

  private final Connection c;

  RunRecords(Connection c) {
    this.c = c;
  }

  /** The run, or null when there is none with that id. */
  RunInfo run(String runId) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT run_id, reactor_id, state, cell_source, cell_source_detail, cells_seeded,"
                + " scaffold, medium, operator, recipe_name, recipe_version, recipe_sha256,"
                + " created_at, started_at, ended_at FROM runs WHERE run_id = ?")) {
      p.setString(1, runId);
      try (ResultSet r = p.executeQuery()) {
        if (!r.next()) {
          return null;
        }
        return new RunInfo(
            r.getString(1),
            r.getString(2),
            r.getString(3),
            r.getString(4),
            r.getString(5),
            r.getDouble(6),
            r.getString(7),
            r.getString(8),
            r.getString(9),
            r.getString(10),
            r.getString(11),
            r.getString(12),
            instant(r.getString(13)),
            instant(r.getString(14)),
            instant(r.getString(15)));
      }
    }
  }

  /**
   * The phases from the run's events: a phase starts at its first PHASE_STARTED and ends at its
   * PHASE_COMPLETED, else when the next phase starts, else when the run ended (still open: null).
   */
  List<Phase> phases(String runId, Instant runEnd) throws SQLException {
    Map<Integer, String> ids = new TreeMap<>();
    Map<Integer, Instant> starts = new HashMap<>();
    Map<Integer, Instant> ends = new HashMap<>();
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT at, kind, phase_index, phase_id FROM run_events WHERE run_id = ?"
                + " AND kind IN ('PHASE_STARTED', 'PHASE_COMPLETED') ORDER BY seq")) {
      p.setString(1, runId);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          int index = r.getInt(3);
          Instant at = instant(r.getString(1));
          ids.putIfAbsent(index, r.getString(4));
          if (r.getString(2).equals("PHASE_STARTED")) {
            starts.putIfAbsent(index, at);
          } else {
            ends.put(index, at);
          }
        }
      }
    }
    List<Phase> out = new ArrayList<>();
    List<Integer> indexes = new ArrayList<>(ids.keySet());
    for (int i = 0; i < indexes.size(); i++) {
      int index = indexes.get(i);
      Instant start = starts.get(index);
      if (start == null) {
        continue; // a completion without its start: nothing to time
      }
      Instant end = ends.get(index);
      if (end == null && i + 1 < indexes.size()) {
        end = starts.get(indexes.get(i + 1));
      }
      if (end == null) {
        end = runEnd;
      }
      out.add(new Phase(index, ids.get(index), start, end));
    }
    return out;
  }

  /**
   * Annunciations (a transition into UNACK_ACTIVE) of the reactor's alarms in {@code [from, to)},
   * per priority, with the time until an operator acknowledged each: the first later transition of
   * the same alarm out of UNACK_ACTIVE or RTN_UNACK into ACK_ACTIVE or NORMAL made by a person. An
   * acknowledgement after the run ended still counts; an alarm annunciated again before anyone
   * acknowledged it counts as not acknowledged.
   */
  List<AlarmStats> alarms(String reactorId, Instant from, Instant to) throws SQLException {
    long fromNs = nanos(from);
    long toNs = nanos(to);
    Map<String, Long> counts = new HashMap<>();
    Map<String, List<Double>> ackSeconds = new HashMap<>();
    Map<String, long[]> pending = new HashMap<>(); // alarm → {time_ns}
    Map<String, String> pendingPriority = new HashMap<>();
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT time_ns, alarm_id, priority, from_state, to_state, actor_name"
                + " FROM alarm_history WHERE reactor_id = ? AND time_ns >= ? ORDER BY id")) {
      p.setString(1, reactorId);
      p.setLong(2, fromNs);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          long t = r.getLong(1);
          String alarm = r.getString(2);
          String priority = r.getString(3) == null ? "UNKNOWN" : r.getString(3);
          String fromState = r.getString(4);
          String toState = r.getString(5);
          boolean byPerson = r.getString(6) != null;
          if (toState.equals("UNACK_ACTIVE") && !fromState.equals("UNACK_ACTIVE")) {
            if (t < toNs) {
              counts.merge(priority, 1L, Long::sum);
              pending.put(alarm, new long[] {t});
              pendingPriority.put(alarm, priority);
            } else {
              pending.remove(alarm);
            }
          } else if (byPerson
              && (fromState.equals("UNACK_ACTIVE") || fromState.equals("RTN_UNACK"))
              && (toState.equals("ACK_ACTIVE") || toState.equals("NORMAL"))) {
            long[] since = pending.remove(alarm);
            if (since != null) {
              ackSeconds
                  .computeIfAbsent(pendingPriority.get(alarm), k -> new ArrayList<>())
                  .add((t - since[0]) / 1e9);
            }
          }
        }
      }
    }
    List<AlarmStats> out = new ArrayList<>();
    for (String priority : PRIORITIES) {
      long count = counts.getOrDefault(priority, 0L);
      if (priority.equals("UNKNOWN") && count == 0) {
        continue;
      }
      List<Double> acks = ackSeconds.getOrDefault(priority, List.of());
      out.add(new AlarmStats(priority, count, acks.size(), median(acks), max(acks)));
    }
    return out;
  }

  /** The latest revision of each of the run's samples, by sample time, with the first value. */
  List<LabResult> labResults(String runId) throws SQLException {
    List<LabResult> out = new ArrayList<>();
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT l.sample_id, l.revision, l.analyte, l.value, l.unit, l.value_canonical,"
                + " l.canonical_unit, l.below_detection_limit, l.detection_limit, l.method,"
                + " l.sampled_at, l.measured_at, l.entered_by, l.reason, o.value, o.unit"
                + " FROM lab_samples l JOIN lab_samples o"
                + " ON o.sample_id = l.sample_id AND o.revision = 1"
                + " WHERE l.run_id = ? AND l.revision ="
                + " (SELECT max(m.revision) FROM lab_samples m WHERE m.sample_id = l.sample_id)"
                + " ORDER BY l.sampled_at, l.sample_id")) {
      p.setString(1, runId);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          int revision = r.getInt(2);
          double detection = r.getDouble(9);
          Double detectionLimit = r.wasNull() ? null : detection;
          out.add(
              new LabResult(
                  r.getString(1),
                  revision,
                  r.getString(3),
                  r.getDouble(4),
                  r.getString(5),
                  r.getDouble(6),
                  r.getString(7),
                  r.getInt(8) == 1,
                  detectionLimit,
                  r.getString(10),
                  instant(r.getString(11)),
                  instant(r.getString(12)),
                  r.getString(13),
                  revision > 1 ? r.getString(14) : null,
                  revision > 1 ? r.getDouble(15) : null,
                  revision > 1 ? r.getString(16) : null));
        }
      }
    }
    return out;
  }

  List<Note> notes(String runId) throws SQLException {
    List<Note> out = new ArrayList<>();
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT noted_at, user_name, text FROM run_notes WHERE run_id = ?"
                + " ORDER BY noted_at, note_id")) {
      p.setString(1, runId);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          out.add(new Note(instant(r.getString(1)), r.getString(2), r.getString(3)));
        }
      }
    }
    return out;
  }

  /** The audit records that carry the run's id (or name it as their target). */
  AuditSummary audit(String runId) throws SQLException {
    Map<String, Long> counts = new LinkedHashMap<>();
    List<SignedRecord> signed = new ArrayList<>();
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT seq, recorded_at, user_name, action, target, signed_by, signature_meaning,"
                + " signed_at FROM audit_records WHERE run_id = ? OR target = ? ORDER BY seq")) {
      p.setString(1, runId);
      p.setString(2, runId);
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          counts.merge(r.getString(4), 1L, Long::sum);
          if (r.getString(6) != null) {
            signed.add(
                new SignedRecord(
                    r.getLong(1),
                    instant(r.getString(2)),
                    r.getString(3),
                    r.getString(4),
                    r.getString(5),
                    r.getString(6),
                    r.getString(7),
                    instant(r.getString(8))));
          }
        }
      }
    }
    return new AuditSummary(new TreeMap<>(counts), signed);
  }

  static Double median(List<Double> values) {
    if (values.isEmpty()) {
      return null;
    }
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static Double max(List<Double> values) {
    return values.stream().max(Double::compare).orElse(null);
  }

  static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }

  static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
