package io.hepaloop.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.hepaloop.report.RunReport.LoopTrend;
import io.hepaloop.report.RunReport.TimePoint;
import io.hepaloop.telemetry.InfluxHttp;
import io.hepaloop.telemetry.TelemetrySchema;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The report's questions to InfluxDB (v1 {@code /query}), about one reactor in one time window: the
 * run's points are those of its reactor between its start and end (a reactor has one open run at a
 * time), whatever run tag they carry. Every figure is aggregated by the server ({@code count},
 * {@code mean ... GROUP BY time}), so a four-week run answers in a few rows per bucket, never
 * millions of raw points. Blocking HTTP: call it off any event loop.
 */
public final class ReportTelemetry {
  private static final int CHUNK_ROWS = 10_000;

  private final InfluxHttp http;

  public ReportTelemetry(InfluxHttp http) {
    this.http = http;
  }

  /** Where the data comes from, for the report's messages. */
  public String describe() {
    return http.config().url() + " database " + http.config().database();
  }

  /** True when the server answers {@code /ping}. */
  public boolean reachable() {
    return http.ping();
  }

  /**
   * Good PV samples of {@code loopId} in the window, and how many were within {@code halfWidth} of
   * their setpoint: {@code {samples, inBand}}. The band test runs on the server ({@code WHERE "pv"
   * - "setpoint" <= w AND ... >= -w}); a sample whose PV was not Good has no {@code pv} field and
   * is not counted.
   */
  public long[] timeInBand(
      String reactorId, String loopId, double halfWidth, Instant from, Instant to) {
    String where =
        " FROM \""
            + TelemetrySchema.LOOP
            + "\" WHERE "
            + reactor(reactorId)
            + " AND \"loop\" = "
            + quote(loopId)
            + window(from, to);
    long samples = count("SELECT count(\"pv\")" + where);
    long inBand =
        count(
            "SELECT count(\"pv\")"
                + where
                + " AND \"pv\" - \"setpoint\" <= "
                + number(halfWidth)
                + " AND \"pv\" - \"setpoint\" >= "
                + number(-halfWidth));
    return new long[] {samples, inBand};
  }

  /** Mean OUR per 10^6 cells per bucket (nmol/min per 10^6 cells), Good values only. */
  public List<TimePoint> ourPer1e6Cells(
      String reactorId, Instant from, Instant to, Duration bucket) {
    List<TimePoint> out = new ArrayList<>();
    select(
        "SELECT mean(\"our_per_1e6_cells_nmol_per_min\") FROM \""
            + TelemetrySchema.OUR
            + "\" WHERE "
            + reactor(reactorId)
            + window(from, to)
            + groupBy(bucket, null),
        (tags, row) -> {
          if (!row.get(1).isNull()) {
            out.add(new TimePoint(time(row), row.get(1).asDouble()));
          }
        });
    return out;
  }

  /** Mean PV and setpoint per bucket of every loop of the reactor, by loop id. */
  public List<LoopTrend> loopTrends(String reactorId, Instant from, Instant to, Duration bucket) {
    Map<String, List<TimePoint>> pv = new TreeMap<>();
    Map<String, List<TimePoint>> sp = new TreeMap<>();
    select(
        "SELECT mean(\"pv\"), mean(\"setpoint\") FROM \""
            + TelemetrySchema.LOOP
            + "\" WHERE "
            + reactor(reactorId)
            + window(from, to)
            + groupBy(bucket, "loop"),
        (tags, row) -> {
          String loop = tags.path("loop").asText();
          List<TimePoint> p = pv.computeIfAbsent(loop, k -> new ArrayList<>());
          List<TimePoint> s = sp.computeIfAbsent(loop, k -> new ArrayList<>());
          if (!row.get(1).isNull()) {
            p.add(new TimePoint(time(row), row.get(1).asDouble()));
          }
          if (!row.get(2).isNull()) {
            s.add(new TimePoint(time(row), row.get(2).asDouble()));
          }
        });
    List<LoopTrend> out = new ArrayList<>();
    pv.forEach((loop, points) -> out.add(new LoopTrend(loop, points, sp.get(loop))));
    return out;
  }

  /** Mean usable value per bucket of every signal of the reactor: signal → bucket start → mean. */
  public Map<String, Map<Instant, Double>> signalMeans(
      String reactorId, Instant from, Instant to, Duration bucket) {
    Map<String, Map<Instant, Double>> out = new TreeMap<>();
    select(
        "SELECT mean(\"value\") FROM \""
            + TelemetrySchema.SAMPLE
            + "\" WHERE "
            + reactor(reactorId)
            + window(from, to)
            + groupBy(bucket, "signal"),
        (tags, row) -> {
          if (!row.get(1).isNull()) {
            out.computeIfAbsent(tags.path("signal").asText(), k -> new TreeMap<>())
                .put(time(row), row.get(1).asDouble());
          }
        });
    return out;
  }

  private long count(String q) {
    JsonNode v = http.query(q).path("results").path(0).path("series").path(0).path("values");
    return v.isMissingNode() || v.size() == 0 ? 0 : v.get(0).get(1).asLong();
  }

  /** Streams the rows of every series (with its tags), chunked so memory stays bounded. */
  private void select(String q, BiConsumer<JsonNode, JsonNode> onRow) {
    http.queryChunked(
        q,
        CHUNK_ROWS,
        chunk -> {
          for (JsonNode series : chunk.path("results").path(0).path("series")) {
            JsonNode tags = series.path("tags");
            for (JsonNode row : series.path("values")) {
              onRow.accept(tags, row);
            }
          }
        });
  }

  private static Instant time(JsonNode row) {
    return Instant.ofEpochSecond(0, row.get(0).asLong());
  }

  private static String reactor(String reactorId) {
    return "\"reactor\" = " + quote(reactorId);
  }

  private static String window(Instant from, Instant to) {
    return " AND time >= " + nanos(from) + " AND time < " + nanos(to);
  }

  private static String groupBy(Duration bucket, String tag) {
    return " GROUP BY time("
        + bucket.toSeconds()
        + "s)"
        + (tag == null ? "" : ", \"" + tag + "\"")
        + " fill(none)";
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private static String number(double v) {
    return java.math.BigDecimal.valueOf(v).toPlainString();
  }

  /** An InfluxQL string literal. */
  static String quote(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
