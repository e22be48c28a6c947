package io.hepaloop.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Exports one run: as one wide CSV (time, reactor, then per signal its value and quality, per loop
 * its setpoint, output and mode) or as line protocol. Streams: the run is read in time windows with
 * chunked queries, so memory holds one window (default 10 minutes), whatever the run's length.
 */
public final class RunExporter {
  private static final Set<String> INTEGER_FIELDS = Set.of("mode_code", "state_code");
  private static final List<String> MEASUREMENTS =
      List.of(
          TelemetrySchema.SAMPLE,
          TelemetrySchema.LOOP,
          TelemetrySchema.OUR,
          TelemetrySchema.LINK,
          TelemetrySchema.EVENTS);

  private final InfluxHttp http;
  private final String run;
  private final Duration window;
  private final int chunkSize;

  public RunExporter(InfluxHttp http, String run, Duration window, int chunkSize) {
    this.http = http;
    this.run = run;
    this.window = window;
    this.chunkSize = chunkSize;
  }

  private String runFilter() {
    return "\"run\" = '" + run.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** First and last time (ns) of the run's points, or null when the run has none. */
  long[] span() {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (String m : List.of(TelemetrySchema.SAMPLE, TelemetrySchema.LOOP)) {
      String field = m.equals(TelemetrySchema.SAMPLE) ? "quality" : "mode";
      for (String f : List.of("first", "last")) {
        JsonNode v =
            http.query(
                    "SELECT " + f + "(\"" + field + "\") FROM \"" + m + "\" WHERE " + runFilter())
                .path("results")
                .path(0)
                .path("series")
                .path(0)
                .path("values")
                .path(0);
        if (!v.isMissingNode()) {
          min = Math.min(min, v.get(0).asLong());
          max = Math.max(max, v.get(0).asLong());
        }
      }
    }
    return min == Long.MAX_VALUE ? null : new long[] {min, max};
  }

  private List<String> tagValues(String measurement, String key) {
    List<String> out = new ArrayList<>();
    for (JsonNode row :
        http.query(
                "SHOW TAG VALUES FROM \""
                    + measurement
                    + "\" WITH KEY = \""
                    + key
                    + "\" WHERE "
                    + runFilter())
            .path("results")
            .path(0)
            .path("series")
            .path(0)
            .path("values")) {
      out.add(row.get(1).asText());
    }
    return out;
  }

  /** Writes the wide CSV; returns the number of data rows. */
  public long exportCsv(Writer out) throws IOException {
    List<String> signals = tagValues(TelemetrySchema.SAMPLE, "signal");
    List<String> loops = tagValues(TelemetrySchema.LOOP, "loop");
    Map<String, Integer> col = new LinkedHashMap<>();
    List<String> header = new ArrayList<>(List.of("time", "reactor"));
    for (String s : signals) {
      col.put("s:" + s, header.size());
      header.add(s);
      header.add(s + "_quality");
    }
    for (String l : loops) {
      col.put("l:" + l, header.size());
      header.add(l + "_setpoint");
      header.add(l + "_output");
      header.add(l + "_mode");
    }
    int width = header.size();
    out.write(String.join(",", header.stream().map(RunExporter::csv).toList()));
    out.write('\n');
    long[] span = span();
    if (span == null) {
      return 0;
    }
    long rows = 0;
    for (long from = span[0]; from <= span[1]; from += window.toNanos()) {
      long to = from + window.toNanos();
      // (time, reactor) → cells, for this window only
      TreeMap<Long, Map<String, String[]>> byTime = new TreeMap<>();
      String timeFilter = " AND time >= " + from + " AND time < " + to;
      http.queryChunked(
          "SELECT \"reactor\", \"signal\", \"value\", \"suspect_value\", \"quality\" FROM \"sample\" WHERE "
              + runFilter()
              + timeFilter,
          chunkSize,
          chunk ->
              forEachRow(
                  chunk,
                  (cols, row) -> {
                    String[] cells =
                        row(byTime, row.get(0).asLong(), text(row, cols, "reactor"), width);
                    Integer c = col.get("s:" + text(row, cols, "signal"));
                    if (c != null) {
                      String v = text(row, cols, "value");
                      cells[c] = v.isEmpty() ? text(row, cols, "suspect_value") : v;
                      cells[c + 1] = text(row, cols, "quality");
                    }
                  }));
      http.queryChunked(
          "SELECT \"reactor\", \"loop\", \"setpoint\", \"output\", \"mode\" FROM \"loop\" WHERE "
              + runFilter()
              + timeFilter,
          chunkSize,
          chunk ->
              forEachRow(
                  chunk,
                  (cols, row) -> {
                    String[] cells =
                        row(byTime, row.get(0).asLong(), text(row, cols, "reactor"), width);
                    Integer c = col.get("l:" + text(row, cols, "loop"));
                    if (c != null) {
                      cells[c] = text(row, cols, "setpoint");
                      cells[c + 1] = text(row, cols, "output");
                      cells[c + 2] = text(row, cols, "mode");
                    }
                  }));
      for (var t : byTime.entrySet()) {
        String time = Instant.ofEpochSecond(0, t.getKey()).toString();
        for (var r : t.getValue().entrySet()) {
          String[] cells = r.getValue();
          cells[0] = time;
          cells[1] = r.getKey();
          StringBuilder sb = new StringBuilder();
          for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
              sb.append(',');
            }
            sb.append(cells[i] == null ? "" : csv(cells[i]));
          }
          out.write(sb.append('\n').toString());
          rows++;
        }
      }
      out.flush();
    }
    return rows;
  }

  /**
   * Writes every point of the run (all measurements) as line protocol; returns the number of lines.
   */
  public long exportLineProtocol(Writer out) throws IOException {
    long[] span = span();
    if (span == null) {
      return 0;
    }
    long[] lines = {0};
    for (long from = span[0]; from <= span[1]; from += window.toNanos()) {
      long to = from + window.toNanos();
      for (String m : MEASUREMENTS) {
        http.queryChunked(
            "SELECT * FROM \""
                + m
                + "\" WHERE "
                + runFilter()
                + " AND time >= "
                + from
                + " AND time < "
                + to
                + " GROUP BY *",
            chunkSize,
            chunk -> {
              for (JsonNode series : chunk.path("results").path(0).path("series")) {
                List<String> cols = new ArrayList<>();
                series.path("columns").forEach(c -> cols.add(c.asText()));
                for (JsonNode row : series.path("values")) {
                  LineBuilder b = new LineBuilder(series.path("name").asText());
                  series
                      .path("tags")
                      .fields()
                      .forEachRemaining(tag -> b.tag(tag.getKey(), tag.getValue().asText()));
                  for (int i = 1; i < cols.size(); i++) {
                    JsonNode v = row.get(i);
                    String k = cols.get(i);
                    if (v == null || v.isNull()) {
                      continue;
                    }
                    if (v.isBoolean()) {
                      b.boolField(k, v.asBoolean());
                    } else if (v.isTextual()) {
                      b.stringField(k, v.asText());
                    } else if (INTEGER_FIELDS.contains(k)) {
                      b.intField(k, v.asLong());
                    } else {
                      b.field(k, v.asDouble());
                    }
                  }
                  if (b.fieldCount() > 0) {
                    write(out, b.time(Instant.ofEpochSecond(0, row.get(0).asLong())) + "\n");
                    lines[0]++;
                  }
                }
              }
            });
      }
      out.flush();
    }
    return lines[0];
  }

  private static void write(Writer out, String s) {
    try {
      out.write(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String[] row(
      TreeMap<Long, Map<String, String[]>> byTime, long t, String reactor, int width) {
    return byTime
        .computeIfAbsent(t, k -> new TreeMap<>())
        .computeIfAbsent(reactor, k -> new String[width]);
  }

  private interface RowConsumer {
    void accept(List<String> columns, JsonNode row);
  }

  private static void forEachRow(JsonNode chunk, RowConsumer c) {
    for (JsonNode series : chunk.path("results").path(0).path("series")) {
      List<String> cols = new ArrayList<>();
      series.path("columns").forEach(x -> cols.add(x.asText()));
      for (JsonNode row : series.path("values")) {
        c.accept(cols, row);
      }
    }
  }

  private static String text(JsonNode row, List<String> cols, String col) {
    int i = cols.indexOf(col);
    if (i < 0 || row.get(i) == null || row.get(i).isNull()) {
      return "";
    }
    return row.get(i).asText();
  }

  private static String csv(String s) {
    if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }
}
