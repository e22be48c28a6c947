package io.hepaloop.lab;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of the {@code lab_samples} table (V7) and the part of {@code runs} (V6) lab results need.
 * Plain JDBC on a connection the caller's {@link io.hepaloop.store.Store} work hands in; nothing
 * here is ever UPDATEd or DELETEd (the table's triggers would refuse it).
 */
final class LabSampleStore {
  /** Fixed width, 6 fraction digits, like audit_records: text order is time order. */
  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  /** Sample ids: this prefix and a number counted across the database. */
  static final String ID_PREFIX = "LS-";

  private static final String COLUMNS =
      "sample_id, revision, run_id, reactor_id, analyte, value, unit, value_canonical,"
          + " canonical_unit, below_detection_limit, detection_limit, method, sampled_at,"
          + " measured_at, entered_at, entered_by, reason";

  private LabSampleStore() {}

  /** The span of a run lab results must fall in; {@code endedAt} null while it goes on. */
  record RunSpan(String runId, String reactorId, Instant createdAt, Instant endedAt) {}

  static String time(Instant t) {
    return TIME.format(t.truncatedTo(ChronoUnit.MICROS));
  }

  static RunSpan run(Connection c, String runId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT reactor_id, created_at, ended_at FROM runs WHERE run_id = ?")) {
      s.setString(1, runId);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return null;
        }
        String ended = r.getString(3);
        return new RunSpan(
            runId,
            r.getString(1),
            Instant.parse(r.getString(2)),
            ended == null ? null : Instant.parse(ended));
      }
    }
  }

  /** The next free sample id ("LS-000001" in an empty database). */
  static String nextSampleId(Connection c) throws SQLException {
    try (PreparedStatement s =
            c.prepareStatement(
                "SELECT max(CAST(substr(sample_id, 4) AS INTEGER)) FROM lab_samples"
                    + " WHERE sample_id GLOB 'LS-[0-9]*'");
        ResultSet r = s.executeQuery()) {
      long last = r.next() ? r.getLong(1) : 0;
      return String.format("%s%06d", ID_PREFIX, last + 1);
    }
  }

  static void insert(Connection c, LabSample x) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO lab_samples ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, x.sampleId());
      s.setInt(2, x.revision());
      s.setString(3, x.runId());
      s.setString(4, x.reactorId());
      s.setString(5, x.analyte());
      s.setDouble(6, x.value());
      s.setString(7, x.unit());
      s.setDouble(8, x.valueCanonical());
      s.setString(9, x.canonicalUnit());
      s.setInt(10, x.belowDetectionLimit() ? 1 : 0);
      if (x.detectionLimit() == null) {
        s.setNull(11, Types.REAL);
      } else {
        s.setDouble(11, x.detectionLimit());
      }
      s.setString(12, x.method());
      s.setString(13, time(x.sampledAt()));
      s.setString(14, time(x.measuredAt()));
      s.setString(15, time(x.enteredAt()));
      s.setString(16, x.enteredBy());
      s.setString(17, x.reason());
      s.executeUpdate();
    }
  }

  /** The latest revision of each sample of the run, in sample time order. */
  static List<LabSample> latest(Connection c, String runId) throws SQLException {
    return query(
        c,
        "SELECT "
            + COLUMNS
            + ", (SELECT count(*) FROM lab_samples n WHERE n.sample_id = s.sample_id)"
            + " FROM lab_samples s WHERE s.run_id = ? AND s.revision ="
            + " (SELECT max(revision) FROM lab_samples m WHERE m.sample_id = s.sample_id)"
            + " ORDER BY s.sampled_at, s.sample_id",
        runId);
  }

  /** Every revision of every sample of the run: by sample, then revision. */
  static List<LabSample> all(Connection c, String runId) throws SQLException {
    return query(
        c,
        "SELECT "
            + COLUMNS
            + ", (SELECT count(*) FROM lab_samples n WHERE n.sample_id = s.sample_id)"
            + " FROM lab_samples s WHERE s.run_id = ?"
            + " ORDER BY CAST(substr(s.sample_id, 4) AS INTEGER), s.sample_id, s.revision",
        runId);
  }

  /** The latest revision of a sample, or null. */
  static LabSample latestOf(Connection c, String sampleId) throws SQLException {
    List<LabSample> found =
        query(
            c,
            "SELECT "
                + COLUMNS
                + ", (SELECT count(*) FROM lab_samples n WHERE n.sample_id = s.sample_id)"
                + " FROM lab_samples s WHERE s.sample_id = ? ORDER BY s.revision DESC LIMIT 1",
            sampleId);
    return found.isEmpty() ? null : found.get(0);
  }

  private static List<LabSample> query(Connection c, String sql, String key) throws SQLException {
    List<LabSample> out = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, key);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(sample(r));
        }
      }
    }
    return out;
  }

  private static LabSample sample(ResultSet r) throws SQLException {
    double limit = r.getDouble(11);
    Double detectionLimit = r.wasNull() ? null : limit;
    return new LabSample(
        r.getString(1),
        r.getInt(2),
        r.getString(3),
        r.getString(4),
        r.getString(5),
        r.getDouble(6),
        r.getString(7),
        r.getDouble(8),
        r.getString(9),
        r.getInt(10) == 1,
        detectionLimit,
        r.getString(12),
        Instant.parse(r.getString(13)),
        Instant.parse(r.getString(14)),
        Instant.parse(r.getString(15)),
        r.getString(16),
        r.getString(17),
        r.getInt(18));
  }
}
