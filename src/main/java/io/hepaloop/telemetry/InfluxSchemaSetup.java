package io.hepaloop.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, idempotently, what the writer needs: the database, the raw retention policy (default)
 * and the 1-minute downsampled policy with continuous queries for mean/min/max. Safe to run at
 * every start-up; an existing policy with another duration is altered, not duplicated.
 *
 * <p>Continuous queries only process recent intervals ({@code RESAMPLE FOR 10m} here); points
 * replayed from the spool after a longer outage are rolled up by {@link #backfillRollups} (SELECT
 * ... INTO).
 */
public final class InfluxSchemaSetup {
  private static final Logger LOG = LoggerFactory.getLogger(InfluxSchemaSetup.class);

  /** CQ name → SELECT ... INTO ... FROM ... (without the GROUP BY clause and the time filter). */
  static Map<String, String> rollups(InfluxConfig c) {
    String db = q(c.database());
    String raw = db + "." + q(c.retentionPolicy()) + ".";
    String roll = db + "." + q(InfluxConfig.ROLLUP_RP) + ".";
    Map<String, String> m = new HashMap<>();
    m.put(
        "cq_sample_1m",
        "SELECT mean(\"value\") AS \"mean\", min(\"value\") AS \"min\", max(\"value\") AS \"max\", count(\"quality\") AS \"samples\", sum(\"value\") AS \"sum\", count(\"value\") AS \"good\", count(\"suspect_value\") AS \"suspect\" INTO "
            + roll
            + "\"sample_1m\" FROM "
            + raw
            + "\"sample\"");
    m.put(
        "cq_loop_1m",
        "SELECT mean(\"setpoint\") AS \"setpoint\", mean(\"pv\") AS \"pv\", min(\"pv\") AS \"pv_min\", max(\"pv\") AS \"pv_max\", mean(\"output\") AS \"output\", sum(\"setpoint\") AS \"setpoint_sum\", count(\"setpoint\") AS \"setpoint_count\" INTO "
            + roll
            + "\"loop_1m\" FROM "
            + raw
            + "\"loop\"");
    m.put(
        "cq_our_1m",
        "SELECT mean(\"our_nmol_per_min\") AS \"mean\", min(\"our_nmol_per_min\") AS \"min\", max(\"our_nmol_per_min\") AS \"max\", mean(\"our_per_1e6_cells_nmol_per_min\") AS \"per_1e6_cells_mean\" INTO "
            + roll
            + "\"our_1m\" FROM "
            + raw
            + "\"our\"");
    return m;
  }

  /**
   * A field each CQ's current definition reads that older ones did not: an existing CQ without it
   * is dropped and created anew (a CQ cannot be altered).
   */
  private static final Map<String, String> MARKERS =
      Map.of("cq_sample_1m", "suspect_value", "cq_loop_1m", "setpoint_count");

  private InfluxSchemaSetup() {}

  public static void ensure(InfluxHttp http) {
    InfluxConfig c = http.config();
    String db = q(c.database());
    http.query("CREATE DATABASE " + db);
    Map<String, String> existing = new HashMap<>();
    for (JsonNode row : rows(http.query("SHOW RETENTION POLICIES ON " + db))) {
      existing.put(row.get(0).asText(), row.get(1).asText());
    }
    ensureRp(http, c.retentionPolicy(), c.rawRetention(), true, existing);
    ensureRp(http, InfluxConfig.ROLLUP_RP, c.rollupRetention(), false, existing);
    Map<String, String> cqs = new HashMap<>();
    for (JsonNode series :
        http.query("SHOW CONTINUOUS QUERIES").path("results").path(0).path("series")) {
      if (c.database().equals(series.path("name").asText())) {
        for (JsonNode row : series.path("values")) {
          cqs.put(row.get(0).asText(), row.get(1).asText());
        }
      }
    }
    for (var e : rollups(c).entrySet()) {
      String current = cqs.get(e.getKey());
      String marker = MARKERS.get(e.getKey());
      if (current != null && marker != null && !current.contains(marker)) {
        // an older definition without the sums and counts the history reads: replace it
        http.query("DROP CONTINUOUS QUERY " + q(e.getKey()) + " ON " + db);
        LOG.info("replacing continuous query {} on {}", e.getKey(), c.database());
        current = null;
      }
      if (current == null) {
        http.query(
            "CREATE CONTINUOUS QUERY "
                + q(e.getKey())
                + " ON "
                + db
                + " RESAMPLE EVERY 1m FOR 10m BEGIN "
                + e.getValue()
                + " GROUP BY time(1m), * END");
        LOG.info("created continuous query {} on {}", e.getKey(), c.database());
      }
    }
  }

  private static void ensureRp(
      InfluxHttp http, String name, String duration, boolean dflt, Map<String, String> existing) {
    String stmt =
        " RETENTION POLICY "
            + q(name)
            + " ON "
            + q(http.config().database())
            + " DURATION "
            + duration
            + " REPLICATION 1"
            + (dflt ? " DEFAULT" : "");
    http.query((existing.containsKey(name) ? "ALTER" : "CREATE") + stmt);
  }

  /**
   * Rolls up raw points between two instants (nanoseconds since the epoch) into the 1-minute
   * policy.
   */
  public static void backfillRollups(InfluxHttp http, long fromNs, long toNs) {
    long from = fromNs - Math.floorMod(fromNs, 60_000_000_000L);
    for (String select : rollups(http.config()).values()) {
      http.query(
          select + " WHERE time >= " + from + " AND time < " + toNs + " GROUP BY time(1m), *");
    }
  }

  private static Iterable<JsonNode> rows(JsonNode result) {
    return result.path("results").path(0).path("series").path(0).path("values");
  }

  /** Double-quoted InfluxQL identifier. */
  public static String q(String identifier) {
    return "\"" + identifier.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
