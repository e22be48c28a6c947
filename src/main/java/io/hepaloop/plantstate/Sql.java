package io.hepaloop.plantstate;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/** Conversions between Java values and the plantstate tables' columns. */
final class Sql {
  private Sql() {}

  static long epochNanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  static Instant instant(long epochNanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
  }

  /** NaN (no value) is stored as NULL, which SQLite would make of it anyway. */
  static void setDouble(PreparedStatement p, int index, double v) throws SQLException {
    if (Double.isNaN(v)) {
      p.setNull(index, Types.REAL);
    } else {
      p.setDouble(index, v);
    }
  }

  /** A nullable number (a setting never changed). */
  static void setDouble(PreparedStatement p, int index, Double v) throws SQLException {
    if (v == null) {
      p.setNull(index, Types.REAL);
    } else {
      p.setDouble(index, v);
    }
  }

  static void setNanos(PreparedStatement p, int index, Instant t) throws SQLException {
    if (t == null) {
      p.setNull(index, Types.INTEGER);
    } else {
      p.setLong(index, epochNanos(t));
    }
  }

  static double doubleOrNan(ResultSet r, String column) throws SQLException {
    double v = r.getDouble(column);
    return r.wasNull() ? Double.NaN : v;
  }

  static Double doubleOrNull(ResultSet r, String column) throws SQLException {
    double v = r.getDouble(column);
    return r.wasNull() ? null : v;
  }

  static Instant instantOrNull(ResultSet r, String column) throws SQLException {
    long v = r.getLong(column);
    return r.wasNull() ? null : instant(v);
  }
}
