package io.hepaloop.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hepaloop.app.TelemetryHistoryAccess;
import io.hepaloop.control.LoopSnapshot;
import io.hepaloop.core.Quality;
import io.hepaloop.device.Sample;
import io.hepaloop.telemetry.InfluxConfig;
import io.hepaloop.telemetry.InfluxHttp;
import io.hepaloop.telemetry.InfluxSchemaSetup;
import io.hepaloop.telemetry.LocalInfluxd;
import io.hepaloop.telemetry.TelemetrySchema;
import io.hepaloop.users.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
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

  @BeforeAll
  static void fill() {
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
    System.out.printf(
        "history: a week of 1 Hz (%d points) → %d points in %d ms%n",
        Duration.between(weekFrom, weekTo).toSeconds(), points.size(), ms);
    assertThat(points.size()).isBetween(maxPoints - 2, maxPoints);
    for (Object o : points) {
      assertThat(((JsonArray) o).getDouble(1)).isBetween(1.0, 2.0);
    }
    assertThat(ms).as("a loaded machine still answers within").isLessThan(15_000);
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
