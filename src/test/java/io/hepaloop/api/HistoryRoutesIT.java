package io.hepaloop.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hepaloop.app.TelemetryHistoryAccess;
import io.hepaloop.control.LoopSnapshot;
import io.hepaloop.core.Quality;
import io.hepaloop.device.Sample;
import io.hepaloop.telemetry.HistoryPlan;
import io.hepaloop.telemetry.InfluxConfig;
import io.hepaloop.telemetry.InfluxHistory;
import io.hepaloop.telemetry.InfluxHttp;
import io.hepaloop.telemetry.InfluxSchemaSetup;
import io.hepaloop.telemetry.LocalInfluxd;
import io.hepaloop.telemetry.TelemetrySchema;
import io.hepaloop.users.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history route against a real influxd holding points written in the telemetry schema: the
 * store downsamples (at most maxPoints buckets, each the mean of its Good values), the range is
 * kept, Bad samples never enter a mean but are flagged, a stretch without data is a gap, setpoints
 * and the profile's alarm limits come with the signal, and a week of 1 Hz data answers fast.
 */
class HistoryRoutesIT {
  static final String REACTOR = "r1";
  static final String WEEK_REACTOR = "r2";
  static final int SECONDS = 2 * 3600;

  /** Minute whose even seconds are Bad; minute entirely Bad; minutes with no data at all. */
  static final int HALF_BAD_MINUTE = 30;

  static final int BAD_MINUTE = 40;
  static final int GAP_FROM_MINUTE = 50;
  static final int GAP_MINUTES = 3;

  static LocalInfluxd influxd;
  static InfluxConfig config;
  static Instant base;
  static Instant weekFrom;
  static Instant weekTo;
  @TempDir static Path dir;
  static ApiFixture f;
  static ApiFixture.Client viewer;

  /** A store whose raw policy keeps 1 h: raw from {@code seamStart} on, rollup rows before. */
  static InfluxConfig seamConfig;

  static Instant seamStart;
  static ApiFixture seamApi;
  static ApiFixture.Client seamViewer;

  @BeforeAll
  static void fill() throws Exception {
    influxd = LocalInfluxd.launch();
    config = InfluxConfig.local(influxd.url(), "hepaloop");
    InfluxHttp http = new InfluxHttp(config, Duration.ofSeconds(60));
    InfluxSchemaSetup.ensure(http);
    base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(3));
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < SECONDS; i++) {
      int minute = i / 60;
      if (minute >= GAP_FROM_MINUTE && minute < GAP_FROM_MINUTE + GAP_MINUTES) {
        continue;
      }
      Instant t = base.plusSeconds(i);
      boolean bad = minute == BAD_MINUTE || (minute == HALF_BAD_MINUTE && i % 2 == 0);
      lines.add(
          TelemetrySchema.sample(
              new Sample(
                  REACTOR,
                  "temperature",
                  bad ? 99.0 : value(i),
                  "degC",
                  t,
                  bad ? Quality.BAD : Quality.GOOD),
              "run-1"));
      lines.add(
          TelemetrySchema.loop(
              new LoopSnapshot(
                  REACTOR,
                  "temperature",
                  t,
                  "AUTO",
                  setpoint(i),
                  value(i),
                  Quality.GOOD,
                  40,
                  0,
                  0,
                  0,
                  0,
                  false,
                  false,
                  null),
              "run-1"));
    }
    write(http, lines);
    // what the continuous queries do as time passes, done at once for points written in the past
    InfluxSchemaSetup.backfillRollups(http, nanos(base), nanos(base.plusSeconds(SECONDS)));
    // a week of 1 Hz on another reactor
    weekTo = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    weekFrom = weekTo.minus(Duration.ofDays(7));
    lines.clear();
    long seconds = Duration.between(weekFrom, weekTo).toSeconds();
    for (int i = 0; i < seconds; i++) {
      lines.add(
          TelemetrySchema.sample(
              new Sample(
                  WEEK_REACTOR,
                  "flow",
                  1 + (i % 3600) / 3600.0,
                  "mL/min",
                  weekFrom.plusSeconds(i),
                  Quality.GOOD),
              "run-2"));
      if (lines.size() == 50_000) {
        write(http, lines);
        lines.clear();
      }
    }
    write(http, lines);
    InfluxSchemaSetup.backfillRollups(http, nanos(weekFrom), nanos(weekTo));
    fillSeam();
    f = new ApiFixture(dir);
    f.user("vera", Role.VIEWER);
    FakePlantAccess plant = new FakePlantAccess(REACTOR, WEEK_REACTOR);
    HistoryRoutes.mount(
        f.api.router(),
        f.api.guard(),
        plant,
        id -> FakePlantAccess.PROFILE,
        TelemetryHistoryAccess.over(f.vertx, config));
    viewer = f.loggedIn("vera");
    seamApi = new ApiFixture(Files.createDirectories(dir.resolve("seam")));
    seamApi.user("vera", Role.VIEWER);
    HistoryRoutes.mount(
        seamApi.api.router(),
        seamApi.api.guard(),
        plant,
        id -> FakePlantAccess.PROFILE,
        TelemetryHistoryAccess.over(seamApi.vertx, seamConfig));
    seamViewer = seamApi.loggedIn("vera");
  }

  /** A value that changes every second, so a mean tells which seconds went into it. */
  static double seamValue(long epochMs) {
    return 20 + (epochMs / 1000 % 100_000) / 1000.0;
  }

  /**
   * The seam store: raw 1 Hz points for 50 minutes from the first whole minute inside the 1 h raw
   * retention, rolled up as the continuous queries do; before that, for three hours, only the
   * rollup rows the continuous queries left (the raw points have expired), written directly; and a
   * month of rollup rows of another reactor ending a day earlier.
   */
  static void fillSeam() {
    seamConfig =
        new InfluxConfig(influxd.url(), "hepaloop_seam", null, "1h", null, null, null, null, false);
    InfluxHttp http = new InfluxHttp(seamConfig, Duration.ofSeconds(60));
    InfluxSchemaSetup.ensure(http);
    seamStart =
        Instant.now().minus(Duration.ofHours(1)).plusSeconds(59).truncatedTo(ChronoUnit.MINUTES);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 50 * 60; i++) {
      Instant t = seamStart.plusSeconds(i);
      lines.add(
          TelemetrySchema.sample(
              new Sample(
                  REACTOR, "temperature", seamValue(t.toEpochMilli()), "degC", t, Quality.GOOD),
              "run-1"));
    }
    write(http, lines);
    InfluxSchemaSetup.backfillRollups(
        http, nanos(seamStart), nanos(seamStart.plus(Duration.ofMinutes(50))));
    lines.clear();
    for (Instant m = seamStart.minus(Duration.ofHours(3));
        m.isBefore(seamStart);
        m = m.plusSeconds(60)) {
      lines.add(rollupRow(REACTOR, "temperature", m, s -> seamValue(s)));
    }
    Instant monthEnd = seamStart.minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MINUTES);
    for (Instant m = monthEnd.minus(Duration.ofDays(30));
        m.isBefore(monthEnd);
        m = m.plusSeconds(60)) {
      lines.add(rollupRow(WEEK_REACTOR, "flow", m, s -> 1 + (s / 1000 % 3600) / 3600.0));
      if (lines.size() == 20_000) {
        writeRollup(http, lines);
        lines.clear();
      }
    }
    writeRollup(http, lines);
  }

  /** The row cq_sample_1m makes of a minute of 1 Hz Good samples. */
  static String rollupRow(
      String reactor,
      String signal,
      Instant minute,
      java.util.function.LongToDoubleFunction value) {
    double sum = 0;
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (int s = 0; s < 60; s++) {
      double v = value.applyAsDouble(minute.toEpochMilli() + s * 1000L);
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    return "sample_1m,group=thermal,reactor="
        + reactor
        + ",run=run-1,signal="
        + signal
        + " mean="
        + sum / 60
        + ",min="
        + min
        + ",max="
        + max
        + ",samples=60i,sum="
        + sum
        + ",good=60i,suspect=0i "
        + nanos(minute);
  }

  private static void writeRollup(InfluxHttp http, List<String> lines) {
    InfluxHttp.WriteOutcome w =
        http.write(
            InfluxConfig.ROLLUP_RP, String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    assertThat(w.ok()).as("write: %s", w.body()).isTrue();
  }

  static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  static double value(int second) {
    return 36 + (second % 600) / 1000.0;
  }

  static double setpoint(int second) {
    return second < 3600 ? 37.0 : 37.5;
  }

  private static void write(InfluxHttp http, List<String> lines) {
    InfluxHttp.WriteOutcome w =
        http.write(String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    assertThat(w.ok()).as("write: %s", w.body()).isTrue();
  }

  @AfterAll
  static void stop() {
    if (f != null) {
      f.close();
    }
    if (seamApi != null) {
      seamApi.close();
    }
    if (influxd != null) {
      influxd.close();
    }
  }

  private static JsonObject history(String query) {
    ApiFixture.Response r = viewer.get("/api/reactors/" + REACTOR + "/history?" + query);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  private static JsonObject series(JsonObject answer, String kind) {
    for (Object o : answer.getJsonArray("series")) {
      JsonObject s = (JsonObject) o;
      if (s.getString("kind").equals(kind)) {
        return s;
      }
    }
    throw new AssertionError("no " + kind + " series in " + answer);
  }

  @Test
  void twoHoursInMinuteBucketsAreMeansOfGoodValuesWithBadFlaggedAndGapsKept() {
    JsonObject a =
        history(
            "signals=temperature&from="
                + base
                + "&to="
                + base.plusSeconds(SECONDS)
                + "&maxPoints=120");
    assertThat(a.getLong("bucketMs")).isEqualTo(60_000);
    assertThat(a.getString("source")).isEqualTo("influxdb");
    // minute buckets of settled minutes: read from the rollup, equal to the raw means
    assertThat(a.getJsonArray("parts").size()).isEqualTo(1);
    assertThat(a.getJsonArray("parts").getJsonObject(0).getString("source")).isEqualTo("rollup_1m");
    JsonObject temperature = series(a, "value");
    assertThat(temperature.getString("signal")).isEqualTo("temperature");
    JsonArray points = temperature.getJsonArray("points");
    // 120 minutes, minus the 3 without data, plus one null that keeps the gap
    assertThat(points.size()).isEqualTo(120 - GAP_MINUTES + 1);
    for (Object o : points) {
      JsonArray p = (JsonArray) o;
      long startMs = p.getLong(0);
      int minute = (int) ((startMs - base.toEpochMilli()) / 60_000);
      assertThat(startMs).isEqualTo(base.toEpochMilli() + minute * 60_000L);
      if (minute == BAD_MINUTE || minute == GAP_FROM_MINUTE) {
        assertThat(p.getValue(1)).as("minute %d is no Good value", minute).isNull();
        continue;
      }
      double sum = 0;
      int n = 0;
      for (int i = minute * 60; i < minute * 60 + 60; i++) {
        if (minute != HALF_BAD_MINUTE || i % 2 != 0) {
          sum += value(i);
          n++;
        }
      }
      assertThat(p.getDouble(1)).as("mean of minute %d", minute).isCloseTo(sum / n, within(1e-9));
    }
    JsonArray suspect = temperature.getJsonArray("suspect");
    assertThat(suspect.size()).isEqualTo(2);
    assertThat(suspect.getJsonArray(0).getLong(0))
        .isEqualTo(base.toEpochMilli() + HALF_BAD_MINUTE * 60_000L);
    assertThat(suspect.getJsonArray(0).getLong(1)).isEqualTo(30);
    assertThat(suspect.getJsonArray(1).getLong(1)).isEqualTo(60);

    JsonObject sp = series(a, "setpoint");
    assertThat(sp.getString("loopId")).isEqualTo("temperature");
    assertThat(sp.getString("signal")).isEqualTo("temperature");
    for (Object o : sp.getJsonArray("points")) {
      JsonArray p = (JsonArray) o;
      if (p.getValue(1) != null) {
        int second = (int) ((p.getLong(0) - base.toEpochMilli()) / 1000);
        assertThat(p.getDouble(1)).isEqualTo(setpoint(second));
      }
    }
    List<String> limitIds = new ArrayList<>();
    for (Object o : a.getJsonArray("limits")) {
      JsonObject l = (JsonObject) o;
      limitIds.add(l.getString("alarmId"));
      assertThat(l.getDouble("limit"))
          .isEqualTo(FakePlantAccess.PROFILE.alarm(l.getString("alarmId")).orElseThrow().limit());
    }
    assertThat(limitIds)
        .contains(
            "temperature_high_high", "temperature_high", "temperature_low", "temperature_low_low");
  }

  @Test
  void aNarrowRangeComesAtFullResolutionWithinItsBounds() {
    Instant from = base.plusSeconds(630).plusMillis(500);
    Instant to = base.plusSeconds(1200);
    JsonObject a = history("signals=temperature&from=" + from + "&to=" + to + "&maxPoints=5000");
    JsonArray points = series(a, "value").getJsonArray("points");
    assertThat(points.size()).isEqualTo(1200 - 631);
    for (Object o : points) {
      JsonArray p = (JsonArray) o;
      assertThat(p.getLong(0)).isBetween(from.toEpochMilli(), to.toEpochMilli() - 1);
      int second = (int) ((p.getLong(0) + 999 - base.toEpochMilli()) / 1000);
      assertThat(p.getDouble(1)).isCloseTo(value(second), within(1e-9));
    }
  }

  @Test
  void aFewPointsCoverTheWholeRangeFromItsStart() {
    Instant to = base.plusSeconds(SECONDS);
    JsonObject a = history("signals=temperature&from=" + base + "&to=" + to + "&maxPoints=7");
    JsonArray points = series(a, "value").getJsonArray("points");
    assertThat(points.size()).isBetween(1, 7);
    assertThat(points.getJsonArray(0).getLong(0)).isEqualTo(base.toEpochMilli());
    assertThat(a.getLong("bucketMs") * 7).isGreaterThanOrEqualTo(SECONDS * 1000L);
  }

  @Test
  void aWeekOfOneHertzDataAnswersFastAndDownsampled() {
    int maxPoints = 2000;
    long started = System.nanoTime();
    ApiFixture.Response r =
        viewer.get(
            "/api/reactors/"
                + WEEK_REACTOR
                + "/history?signals=flow&from="
                + weekFrom
                + "&to="
                + weekTo
                + "&maxPoints="
                + maxPoints);
    long ms = (System.nanoTime() - started) / 1_000_000;
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonArray points = series(r.json(), "value").getJsonArray("points");
    long bucketMs = r.json().getLong("bucketMs");
    System.out.printf(
        "history: a week of 1 Hz (%d points) → %d points of %d s in %d ms (route, %s)%n",
        Duration.between(weekFrom, weekTo).toSeconds(),
        points.size(),
        bucketMs / 1000,
        ms,
        r.json().getJsonArray("parts"));
    // 302.4 s rounded up to whole minutes: 360 s
    assertThat(bucketMs).isEqualTo(360_000);
    assertThat(points.size())
        .isBetween((int) (Duration.ofDays(7).toMillis() / bucketMs) - 2, maxPoints);
    for (Object o : points) {
      assertThat(((JsonArray) o).getDouble(1)).isBetween(1.0, 2.0);
    }
    assertThat(ms).as("a loaded machine still answers within").isLessThan(15_000);
  }

  /**
   * The decision to read minute-or-longer buckets from the rollup, measured: the same week read
   * from raw and from rollup_1m in the same buckets gives the same means; both times are printed (a
   * figure, not an assertion: a loaded machine may reorder them).
   */
  @Test
  void aWeekFromTheRollupEqualsTheRawMeans() throws Exception {
    try (InfluxHistory store = new InfluxHistory(f.vertx, config)) {
      HistoryPlan planned =
          HistoryPlan.of(weekFrom, weekTo, 1500, Instant.now(), Duration.ofDays(30));
      assertThat(planned.parts().get(0).source()).isEqualTo(HistoryPlan.Source.ROLLUP_1M);
      HistoryPlan raw =
          new HistoryPlan(
              planned.bucketMs(),
              planned.parts().stream()
                  .map(
                      p ->
                          new HistoryPlan.Part(
                              HistoryPlan.Source.RAW, p.from(), p.to(), p.bucketMs(), p.offsetMs()))
                  .toList());
      long rawMs = Long.MAX_VALUE;
      long rollupMs = Long.MAX_VALUE;
      List<InfluxHistory.Series> fromRaw = null;
      List<InfluxHistory.Series> fromRollup = null;
      for (int round = 0; round < 3; round++) {
        long t0 = System.nanoTime();
        fromRaw = get(store.read(WEEK_REACTOR, List.of("flow"), List.of(), raw));
        long t1 = System.nanoTime();
        fromRollup = get(store.read(WEEK_REACTOR, List.of("flow"), List.of(), planned));
        long t2 = System.nanoTime();
        rawMs = Math.min(rawMs, (t1 - t0) / 1_000_000);
        rollupMs = Math.min(rollupMs, (t2 - t1) / 1_000_000);
      }
      List<InfluxHistory.Bucket> a = fromRaw.get(0).buckets();
      List<InfluxHistory.Bucket> b = fromRollup.get(0).buckets();
      System.out.printf(
          "history: a week of 1 Hz in %d buckets of %d s: raw %d ms, rollup_1m %d ms (best of 3)%n",
          b.size(), planned.bucketMs() / 1000, rawMs, rollupMs);
      assertThat(b).hasSameSizeAs(a);
      for (int i = 0; i < a.size(); i++) {
        assertThat(b.get(i).startMs()).isEqualTo(a.get(i).startMs());
        assertThat(b.get(i).mean()).isCloseTo(a.get(i).mean(), within(1e-9));
        assertThat(b.get(i).suspectCount()).isEqualTo(a.get(i).suspectCount());
      }
    }
  }

  /**
   * A range across the raw retention's edge (a raw policy of 1 h here, InfluxDB's shortest): the
   * part older than it comes from rollup_1m at one point a minute, the rest from raw, with neither
   * a gap nor a bucket twice at the seam.
   */
  @Test
  void aRangeAcrossTheRawRetentionSpansRollupAndRawWithoutGapOrDuplicate() {
    Instant from = seamStart.minus(Duration.ofHours(2));
    Instant to = seamStart.plus(Duration.ofMinutes(40));
    ApiFixture.Response r =
        seamViewer.get(
            "/api/reactors/"
                + REACTOR
                + "/history?signals=temperature&from="
                + from
                + "&to="
                + to
                + "&maxPoints=5000");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonArray parts = r.json().getJsonArray("parts");
    assertThat(parts.size()).as("%s", parts).isEqualTo(2);
    JsonObject old = parts.getJsonObject(0);
    JsonObject recent = parts.getJsonObject(1);
    assertThat(old.getString("source")).isEqualTo("rollup_1m");
    assertThat(old.getLong("bucketMs")).isEqualTo(60_000);
    assertThat(recent.getString("source")).isEqualTo("raw");
    assertThat(recent.getLong("bucketMs")).isEqualTo(1920);
    assertThat(old.getString("from")).isEqualTo(from.toString());
    assertThat(recent.getString("from")).isEqualTo(old.getString("to"));
    assertThat(recent.getString("to")).isEqualTo(to.toString());
    long seamMs = Instant.parse(recent.getString("from")).toEpochMilli();
    assertThat(seamMs).isBetween(seamStart.toEpochMilli(), to.toEpochMilli());

    JsonArray points = series(r.json(), "value").getJsonArray("points");
    long last = Long.MIN_VALUE;
    int rollupPoints = 0;
    for (Object o : points) {
      JsonArray p = (JsonArray) o;
      long t = p.getLong(0);
      assertThat(p.getValue(1)).as("no gap: point at %s", Instant.ofEpochMilli(t)).isNotNull();
      assertThat(t).as("no duplicate, in order").isGreaterThan(last);
      long step = t - last;
      if (t < seamMs) {
        rollupPoints++;
        assertThat(t % 60_000).isZero();
        if (last != Long.MIN_VALUE) {
          assertThat(step).isEqualTo(60_000);
        }
      } else if (last < seamMs) {
        assertThat(t).as("the first raw bucket starts at the seam").isEqualTo(seamMs);
        assertThat(step).as("the last rollup minute ends at the seam").isEqualTo(60_000);
      } else {
        assertThat(step).isEqualTo(1920);
      }
      // the mean of the bucket's seconds, whichever store it came from
      long width = t < seamMs ? 60_000 : 1920;
      double expected = 0;
      int n = 0;
      long end = Math.min(t + width, to.toEpochMilli());
      for (long s = (t + 999) / 1000 * 1000; s < end; s += 1000) {
        expected += seamValue(s);
        n++;
      }
      assertThat(p.getDouble(1))
          .as("mean at %s", Instant.ofEpochMilli(t))
          .isCloseTo(expected / n, within(1e-6));
      last = t;
    }
    assertThat(rollupPoints).isEqualTo((int) ((seamMs - from.toEpochMilli()) / 60_000));
    assertThat(last).isGreaterThanOrEqualTo(to.toEpochMilli() - 1920);
  }

  /** A month older than the raw retention, read from rollup_1m alone, and how long that takes. */
  @Test
  void aMonthOfRollupAnswersFast() {
    Instant to = seamStart.minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MINUTES);
    Instant from = to.minus(Duration.ofDays(30));
    long started = System.nanoTime();
    ApiFixture.Response r =
        seamViewer.get(
            "/api/reactors/"
                + WEEK_REACTOR
                + "/history?signals=flow&from="
                + from
                + "&to="
                + to
                + "&maxPoints=1500");
    long ms = (System.nanoTime() - started) / 1_000_000;
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    JsonArray points = series(r.json(), "value").getJsonArray("points");
    System.out.printf(
        "history: a month of rollup_1m (%d minutes) → %d points of %d s in %d ms (route)%n",
        Duration.ofDays(30).toMinutes(), points.size(), r.json().getLong("bucketMs") / 1000, ms);
    assertThat(r.json().getJsonArray("parts").getJsonObject(0).getString("source"))
        .isEqualTo("rollup_1m");
    assertThat(points.size()).isBetween(1440, 1500);
    assertThat(ms).as("a loaded machine still answers within").isLessThan(15_000);
  }

  /**
   * A data directory whose continuous queries an earlier version created (without the sums and
   * counts the history weights by) gets them replaced at start-up, once, not duplicated.
   */
  @Test
  void anEarlierRollupQueryIsReplacedAtStartUp() {
    InfluxConfig old = InfluxConfig.local(influxd.url(), "hepaloop_old");
    InfluxHttp http = new InfluxHttp(old, Duration.ofSeconds(60));
    http.query("CREATE DATABASE \"hepaloop_old\"");
    http.query(
        "CREATE RETENTION POLICY \"rollup_1m\" ON \"hepaloop_old\" DURATION INF REPLICATION 1");
    http.query(
        "CREATE CONTINUOUS QUERY \"cq_sample_1m\" ON \"hepaloop_old\" RESAMPLE EVERY 1m FOR 10m"
            + " BEGIN SELECT mean(\"value\") AS \"mean\", count(\"quality\") AS \"samples\" INTO"
            + " \"hepaloop_old\".\"rollup_1m\".\"sample_1m\" FROM \"hepaloop_old\".\"autogen\".\"sample\""
            + " GROUP BY time(1m), * END");
    InfluxSchemaSetup.ensure(http);
    InfluxSchemaSetup.ensure(http);
    List<String> definitions = new ArrayList<>();
    http.query("SHOW CONTINUOUS QUERIES")
        .path("results")
        .path(0)
        .path("series")
        .forEach(
            series -> {
              if ("hepaloop_old".equals(series.path("name").asText())) {
                series.path("values").forEach(row -> definitions.add(row.get(1).asText()));
              }
            });
    assertThat(definitions).hasSize(3);
    assertThat(definitions.stream().filter(d -> d.contains("cq_sample_1m")).toList())
        .singleElement()
        .satisfies(d -> assertThat(d).contains("suspect_value").contains("good"));
    assertThat(definitions.stream().filter(d -> d.contains("cq_loop_1m")).toList())
        .singleElement()
        .satisfies(d -> assertThat(d).contains("setpoint_count"));
  }

  private static <T> T get(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  void badParametersAreRefusedNamingTheParameter() {
    String path = "/api/reactors/" + REACTOR + "/history?";
    record Case(String query, String field) {}
    for (Case c :
        List.of(
            new Case("maxPoints=0", "maxPoints"),
            new Case("maxPoints=5001", "maxPoints"),
            new Case("maxPoints=many", "maxPoints"),
            new Case("from=yesterday", "from"),
            new Case("to=2026-13-01T00:00:00Z", "to"),
            new Case("from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "from"),
            new Case("from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from"),
            new Case("signals=nonsense", "signals"),
            new Case("signals=,", "signals"),
            new Case("bucket=5s", "bucket"))) {
      ApiFixture.Response r = viewer.get(path + c.query());
      assertThat(r.status()).as(c.query() + " → " + r).isEqualTo(400);
      assertThat(r.contentType()).startsWith(Problems.CONTENT_TYPE);
      assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("field"))
          .as(c.query())
          .isEqualTo(c.field());
    }
    assertThat(viewer.get("/api/reactors/nope/history").status()).isEqualTo(404);
    assertThat(f.client().get(path).status()).as("not logged in").isEqualTo(401);
  }
}
