package io.hepaloop.telemetry;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads stored telemetry back for trends, downsampled by InfluxDB itself: {@code GROUP BY
 * time(bucket)} queries over the raw policy and {@code rollup_1m} (which part from which: {@link
 * HistoryPlan}), so a week of 1 Hz data comes back as at most a few thousand means rather than 600
 * 000 points per signal. Non-blocking (the Vert.x HTTP client on the caller's context), so a route
 * may call it from an event loop.
 *
 * <p>Quality follows {@link TelemetrySchema}: only Good values are in {@code value} (and {@code
 * setpoint} is always the controller's own number), so a mean never includes a Bad value; the count
 * of non-Good samples ({@code suspect_value}) comes with each bucket so a trend can flag it. A
 * bucket without Good data is a gap (null mean), never a made-up number.
 */
public final class InfluxHistory implements AutoCloseable {
  /** One bucket: its start, the mean of its Good values (null: none) and its non-Good count. */
  public record Bucket(long startMs, Double mean, long suspectCount) {}

  /**
   * One series: a signal's values ({@code kind} "signal") or a loop's setpoint ("setpoint"), its
   * buckets in time order.
   */
  public record Series(String kind, String id, List<Bucket> buckets) {
    public Series {
      buckets = List.copyOf(buckets);
    }
  }

  private final InfluxConfig config;
  private final HttpClient client;
  private final String authHeader;
  private final String host;
  private final int port;
  private final String basePath;

  public InfluxHistory(Vertx vertx, InfluxConfig config) {
    this.config = config;
    URI uri = URI.create(config.url());
    this.host = uri.getHost();
    this.port = uri.getPort() > 0 ? uri.getPort() : config.tls() ? 443 : 80;
    this.basePath = uri.getPath() == null ? "" : uri.getPath();
    HttpClientOptions options = new HttpClientOptions().setConnectTimeout(2000).setIdleTimeout(30);
    if (config.tls()) {
      options.setSsl(true);
      if (config.caCertificate() != null) {
        options.setTrustOptions(
            new PemTrustOptions().addCertPath(config.caCertificate().toString()));
      }
    }
    this.client = vertx.createHttpClient(options);
    if (config.token() != null && !config.token().isBlank()) {
      authHeader = "Token " + config.token();
    } else if (config.username() != null && !config.username().isBlank()) {
      String up = config.username() + ":" + (config.password() == null ? "" : config.password());
      authHeader =
          "Basic " + Base64.getEncoder().encodeToString(up.getBytes(StandardCharsets.UTF_8));
    } else {
      authHeader = null;
    }
  }

  /** The server read from (never with secrets: {@link InfluxConfig#toString()}). */
  public InfluxConfig config() {
    return config;
  }

  /** A read's answer: the plan it followed (which part came from where) and the series. */
  public record Result(HistoryPlan plan, List<Series> series) {
    public Result {
      series = List.copyOf(series);
    }
  }

  /**
   * Means of the reactor's {@code signals} and of the setpoints of {@code loops} from {@code from}
   * (inclusive) to {@code to} (exclusive) in about {@code maxPoints} buckets, each part of the
   * range from the retention policy {@link HistoryPlan#of} chooses at {@code now} for this server's
   * raw retention. Fails with {@link InfluxHttp.InfluxException} when the server cannot be reached
   * or refuses the query.
   */
  public Future<Result> read(
      String reactorId,
      List<String> signals,
      List<String> loops,
      Instant from,
      Instant to,
      int maxPoints,
      Instant now) {
    HistoryPlan plan =
        HistoryPlan.of(from, to, maxPoints, now, HistoryPlan.retention(config.rawRetention()));
    return read(reactorId, signals, loops, plan).map(series -> new Result(plan, series));
  }

  /**
   * Means of the reactor's {@code signals} and of the setpoints of {@code loops}, each part of
   * {@code plan} from its source in its buckets (the last bucket of a part may reach past its end;
   * only data before the end is in it), all parts in one request. Buckets come in time order.
   */
  public Future<List<Series>> read(
      String reactorId, List<String> signals, List<String> loops, HistoryPlan plan) {
    List<String> statements = new ArrayList<>();
    List<String> kinds = new ArrayList<>();
    for (HistoryPlan.Part part : plan.parts()) {
      if (part.bucketMs() < 1) {
        throw new IllegalArgumentException("bucketMs must be at least 1, got " + part.bucketMs());
      }
      boolean raw = part.source() == HistoryPlan.Source.RAW;
      if (!signals.isEmpty()) {
        statements.add(
            (raw
                    ? "SELECT mean(\"value\") AS \"mean\", count(\"suspect_value\") AS \"suspect\" FROM "
                        + from(config.retentionPolicy(), TelemetrySchema.SAMPLE)
                    : "SELECT sum(\"sum\") / sum(\"good\") AS \"wmean\", mean(\"mean\") AS \"mean\","
                        + " sum(\"suspect\") AS \"suspect\" FROM "
                        + from(InfluxConfig.ROLLUP_RP, "sample_1m"))
                + where(reactorId, "signal", signals, part.from(), part.to())
                + groupBy(part, "signal"));
        kinds.add("signal");
      }
      if (!loops.isEmpty()) {
        statements.add(
            (raw
                    ? "SELECT mean(\"setpoint\") AS \"mean\" FROM "
                        + from(config.retentionPolicy(), TelemetrySchema.LOOP)
                    : "SELECT sum(\"setpoint_sum\") / sum(\"setpoint_count\") AS \"wmean\","
                        + " mean(\"setpoint\") AS \"mean\" FROM "
                        + from(InfluxConfig.ROLLUP_RP, "loop_1m"))
                + where(reactorId, "loop", loops, part.from(), part.to())
                + groupBy(part, "loop"));
        kinds.add("setpoint");
      }
    }
    if (statements.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    String body = "q=" + URLEncoder.encode(String.join(";", statements), StandardCharsets.UTF_8);
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost(host)
            .setPort(port)
            .setSsl(config.tls())
            .setURI(
                basePath
                    + "/query?epoch=ms&db="
                    + URLEncoder.encode(config.database(), StandardCharsets.UTF_8))
            .setTimeout(15_000)
            .putHeader("Content-Type", "application/x-www-form-urlencoded");
    if (authHeader != null) {
      request.putHeader("Authorization", authHeader);
    }
    return client
        .request(request)
        .compose(req -> req.send(Buffer.buffer(body)))
        .compose(
            resp ->
                resp.body()
                    .map(
                        b -> {
                          if (resp.statusCode() / 100 != 2) {
                            throw new InfluxHttp.InfluxException(
                                "InfluxDB answered HTTP " + resp.statusCode() + ": " + b);
                          }
                          return parse(new JsonObject(b), signals, loops, kinds);
                        }))
        .recover(
            e ->
                Future.failedFuture(
                    e instanceof InfluxHttp.InfluxException
                        ? e
                        : new InfluxHttp.InfluxException(
                            "InfluxDB at " + config.url() + " unreachable: " + e, e)));
  }

  private String from(String retentionPolicy, String measurement) {
    return InfluxSchemaSetup.q(config.database())
        + "."
        + InfluxSchemaSetup.q(retentionPolicy)
        + "."
        + InfluxSchemaSetup.q(measurement);
  }

  private static String where(
      String reactorId, String tag, List<String> ids, Instant from, Instant to) {
    StringBuilder sb =
        new StringBuilder(" WHERE \"reactor\" = ").append(literal(reactorId)).append(" AND (");
    for (int i = 0; i < ids.size(); i++) {
      sb.append(i == 0 ? "" : " OR ").append('"').append(tag).append("\" = ");
      sb.append(literal(ids.get(i)));
    }
    return sb.append(") AND time >= ")
        .append(from.toEpochMilli())
        .append("ms AND time < ")
        .append(to.toEpochMilli())
        .append("ms")
        .toString();
  }

  /** The part's buckets: at most ⌈(to − from) / bucket⌉ + 1 of them. */
  private static String groupBy(HistoryPlan.Part part, String tag) {
    return " GROUP BY time("
        + part.bucketMs()
        + "ms, "
        + part.offsetMs()
        + "ms), \""
        + tag
        + "\" fill(none)";
  }

  /** A single-quoted InfluxQL string literal. */
  static String literal(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /**
   * The series of an answer whose statement {@code i} read {@code kinds.get(i)} ("signal" or
   * "setpoint"), statements in time order of their parts: each series' buckets are appended.
   */
  static List<Series> parse(
      JsonObject answer, List<String> signals, List<String> loops, List<String> kinds) {
    if (answer.containsKey("error")) {
      throw new InfluxHttp.InfluxException("InfluxDB error: " + answer.getString("error"));
    }
    Map<String, List<Bucket>> out = new LinkedHashMap<>();
    signals.forEach(s -> out.put("signal/" + s, new ArrayList<>()));
    loops.forEach(l -> out.put("setpoint/" + l, new ArrayList<>()));
    JsonArray results = answer.getJsonArray("results", new JsonArray());
    for (int r = 0; r < results.size(); r++) {
      JsonObject result = results.getJsonObject(r);
      if (result.containsKey("error")) {
        throw new InfluxHttp.InfluxException("InfluxDB error: " + result.getString("error"));
      }
      int statement = result.getInteger("statement_id", r);
      String kind = kinds.get(statement);
      for (Object o : result.getJsonArray("series", new JsonArray())) {
        JsonObject series = (JsonObject) o;
        JsonObject tags = series.getJsonObject("tags", new JsonObject());
        String id = tags.getString(kind.equals("signal") ? "signal" : "loop");
        List<Bucket> list = out.get(kind + "/" + id);
        if (list != null) {
          list.addAll(buckets(series));
        }
      }
    }
    List<Series> series = new ArrayList<>();
    out.forEach(
        (key, buckets) -> {
          int slash = key.indexOf('/');
          series.add(new Series(key.substring(0, slash), key.substring(slash + 1), buckets));
        });
    return series;
  }

  private static List<Bucket> buckets(JsonObject series) {
    JsonArray columns = series.getJsonArray("columns");
    int meanAt = columns.getList().indexOf("mean");
    int weightedAt = columns.getList().indexOf("wmean");
    int suspectAt = columns.getList().indexOf("suspect");
    List<Bucket> out = new ArrayList<>();
    for (Object o : series.getJsonArray("values", new JsonArray())) {
      JsonArray row = (JsonArray) o;
      long t = row.getLong(0);
      Object mean = weightedAt < 0 ? null : row.getValue(weightedAt);
      if (!(mean instanceof Number)) {
        // rollup rows written before the rows kept their sums and counts: the mean of minute means
        mean = row.getValue(meanAt);
      }
      Object suspect = suspectAt < 0 ? null : row.getValue(suspectAt);
      out.add(
          new Bucket(
              t,
              mean instanceof Number n ? n.doubleValue() : null,
              suspect instanceof Number n ? n.longValue() : 0));
    }
    return out;
  }

  @Override
  public void close() {
    client.close();
  }
}
