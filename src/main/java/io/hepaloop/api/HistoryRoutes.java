package io.hepaloop.api;

import io.hepaloop.profile.AlarmSpec;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.SignalSpec;
import io.hepaloop.users.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code GET /api/reactors/{reactorId}/history} (viewer): a reactor's stored trends for the
 * console, downsampled by the store so the answer has at most {@code maxPoints} points per series
 * whatever the range (a week of 1 Hz data included). With each signal come the setpoints of the
 * loops that control it and the alarm limits drawn on it (from the effective profile), so a trend
 * shows value, setpoint and limits together (a deviation alarm's limit with its loop: the band of
 * setpoint ± limit).
 *
 * <p>The store says which retention policy each part of the range came from ({@code parts}: raw, or
 * rollup_1m for what is older than the raw retention and for minute buckets of settled minutes);
 * parts adjoin at a bucket boundary, so no bucket is missing or doubled at a seam.
 *
 * <p>Quality: a point is the mean of Good values only; a bucket that held non-Good samples says so
 * ({@code suspect}), and a bucket with no Good value is a gap (null), never drawn as good; so is a
 * stretch without any data longer than {@link #GAP_MS} and two buckets.
 */
public final class HistoryRoutes {
  /** Most points per series one request may ask for. */
  public static final int MAX_POINTS = 5000;

  /** Points per series when the request does not say. */
  public static final int DEFAULT_MAX_POINTS = 1000;

  /** Longest range one request may span. */
  public static final Duration MAX_RANGE = Duration.ofDays(400);

  /**
   * Samples further apart than this (and than two buckets) are not joined by a line: the store has
   * nothing between them. Samples arrive at least every few seconds from a live link (the simulated
   * and real signals are noisy; a lost link writes its last values as Bad and stale).
   */
  public static final long GAP_MS = 10_000;

  private static final Duration DEFAULT_RANGE = Duration.ofHours(1);
  private static final Set<String> PARAMS = Set.of("signals", "from", "to", "maxPoints");
  private static final Set<String> LIMIT_KINDS = Set.of("high_high", "high", "low", "low_low");

  private final PlantAccess plant;
  private final Function<String, DeviceProfile> profiles;
  private final HistoryAccess history;
  private final Clock clock;

  private HistoryRoutes(
      PlantAccess plant,
      Function<String, DeviceProfile> profiles,
      HistoryAccess history,
      Clock clock) {
    this.plant = plant;
    this.profiles = profiles;
    this.history = history;
    this.clock = clock;
  }

  /**
   * Adds the route behind {@code guard}.
   *
   * @param profiles the effective device profile of a reactor (signals, units, alarm limits)
   * @param history the store, or {@link HistoryAccess#NONE} (answers 503: live data only)
   */
  public static void mount(
      Router router,
      ApiGuard guard,
      PlantAccess plant,
      Function<String, DeviceProfile> profiles,
      HistoryAccess history) {
    HistoryRoutes r = new HistoryRoutes(plant, profiles, history, Clock.systemUTC());
    router.get(PlantRoutes.R + "/history").handler(guard.require(Role.VIEWER)).handler(r::history);
  }

  /** What a valid request asks for. */
  private record Request(
      String reactorId,
      DeviceProfile profile,
      List<String> signals,
      Instant from,
      Instant to,
      int maxPoints) {}

  private void history(RoutingContext rc) {
    Request q = request(rc);
    if (q == null) {
      return;
    }
    if (!history.available()) {
      Problems.send(
          rc,
          503,
          "History unavailable",
          "No InfluxDB is configured for this plant: no history is stored, the console shows live"
              + " data only.");
      return;
    }
    List<PlantAccess.LoopLimits> loops =
        plant.loops(q.reactorId()).stream().filter(l -> q.signals().contains(l.pv())).toList();
    history
        .read(
            q.reactorId(),
            q.signals(),
            loops.stream().map(PlantAccess.LoopLimits::loopId).toList(),
            q.from(),
            q.to(),
            q.maxPoints())
        .onComplete(
            ar -> {
              if (ar.failed()) {
                Problems.send(
                    rc,
                    502,
                    "History source failed",
                    "The history store did not answer: " + ar.cause().getMessage());
                return;
              }
              PlantRoutes.json(rc, 200, json(q, loops, ar.result()).encode());
            });
  }

  /** The request the parameters make; null when one is wrong (the 400 or 404 is sent). */
  private Request request(RoutingContext rc) {
    String id = rc.pathParam("reactorId");
    if (!plant.hasReactor(id)) {
      Problems.send(
          rc,
          404,
          "Unknown reactor",
          "no reactor '" + id + "' (reactors: " + plant.reactorIds() + ")",
          new Problems.FieldError("reactorId", "no reactor '" + id + "'"));
      return null;
    }
    for (String name : rc.queryParams().names()) {
      if (!PARAMS.contains(name)) {
        Problems.badField(rc, name, "is not a parameter of this route (allowed: " + PARAMS + ")");
        return null;
      }
    }
    DeviceProfile profile = profiles.apply(id);
    List<String> signals = signals(rc, id, profile);
    if (signals == null) {
      return null;
    }
    Instant to;
    Instant from;
    try {
      to = instant(rc, "to");
      to = to == null ? clock.instant() : to;
      from = instant(rc, "from");
      from = from == null ? to.minus(DEFAULT_RANGE) : from;
    } catch (DateTimeParseException e) {
      return null;
    }
    if (!from.isBefore(to)) {
      Problems.badField(rc, "from", "must be before to (" + to + "), got " + from);
      return null;
    }
    if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
      Problems.badField(
          rc, "from", "the range from " + from + " to " + to + " is longer than " + MAX_RANGE);
      return null;
    }
    Integer maxPoints = maxPoints(rc);
    if (maxPoints == null) {
      return null;
    }
    return new Request(id, profile, signals, from, to, maxPoints);
  }

  private static List<String> signals(RoutingContext rc, String reactorId, DeviceProfile p) {
    String text = rc.queryParams().get("signals");
    Set<String> known = new LinkedHashSet<>();
    p.signals().forEach(s -> known.add(s.id()));
    if (text == null || text.isBlank()) {
      Set<String> pvs = new LinkedHashSet<>();
      p.loops().forEach(l -> pvs.add(l.pv()));
      return List.copyOf(pvs);
    }
    Set<String> out = new LinkedHashSet<>();
    for (String s : text.split(",")) {
      String signal = s.strip();
      if (signal.isEmpty()) {
        continue;
      }
      if (!known.contains(signal)) {
        Problems.badField(
            rc,
            "signals",
            "reactor " + reactorId + " has no signal '" + signal + "' (signals: " + known + ")");
        return null;
      }
      out.add(signal);
    }
    if (out.isEmpty() || out.size() > 32) {
      Problems.badField(rc, "signals", "must name 1 to 32 signals, got " + out.size());
      return null;
    }
    return List.copyOf(out);
  }

  /** The parameter as an instant, null when absent; on a bad text the 400 is sent and it throws. */
  private static Instant instant(RoutingContext rc, String name) {
    String text = rc.queryParams().get(name);
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(text.strip());
    } catch (DateTimeParseException e) {
      Problems.badField(
          rc,
          name,
          "must be an ISO-8601 instant such as 2026-12-02T04:00:00Z, got '" + text.strip() + "'");
      throw e;
    }
  }

  private static Integer maxPoints(RoutingContext rc) {
    String text = rc.queryParams().get("maxPoints");
    if (text == null || text.isBlank()) {
      return DEFAULT_MAX_POINTS;
    }
    try {
      int n = Integer.parseInt(text.strip());
      if (n >= 1 && n <= MAX_POINTS) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    Problems.badField(
        rc, "maxPoints", "must be a whole number 1.." + MAX_POINTS + ", got '" + text + "'");
    return null;
  }

  private static JsonObject json(
      Request q, List<PlantAccess.LoopLimits> loops, HistoryAccess.Result read) {
    JsonArray series = new JsonArray();
    for (HistoryAccess.Series s : read.series()) {
      JsonObject o = new JsonObject();
      if (s.kind().equals("setpoint")) {
        PlantAccess.LoopLimits loop =
            loops.stream().filter(l -> l.loopId().equals(s.id())).findFirst().orElse(null);
        if (loop == null) {
          continue;
        }
        o.put("signal", loop.pv()).put("kind", "setpoint").put("loopId", loop.loopId());
        o.put("unit", loop.pvUnit());
      } else {
        o.put("signal", s.id()).put("kind", "value");
        o.put("unit", q.profile().signal(s.id()).map(SignalSpec::unit).orElse(""));
      }
      JsonArray points = new JsonArray();
      JsonArray suspect = new JsonArray();
      long last = Long.MIN_VALUE;
      long lastBucketMs = read.bucketMs();
      for (HistoryAccess.Bucket b : s.buckets()) {
        long gapMs = Math.max(GAP_MS, 2 * Math.max(lastBucketMs, bucketAt(read, b.startMs())));
        if (last != Long.MIN_VALUE && b.startMs() - last > gapMs) {
          // a gap stays a gap: a null one bucket after the last data
          points.add(new JsonArray().add(last + lastBucketMs).addNull());
        }
        lastBucketMs = bucketAt(read, b.startMs());
        points.add(new JsonArray().add(b.startMs()).add(b.mean()));
        if (b.suspectCount() > 0) {
          suspect.add(new JsonArray().add(b.startMs()).add(b.suspectCount()));
        }
        last = b.startMs();
      }
      o.put("points", points).put("suspect", suspect);
      series.add(o);
    }
    return new JsonObject()
        .put("reactorId", q.reactorId())
        .put("from", q.from().toString())
        .put("to", q.to().toString())
        .put("bucketMs", read.bucketMs())
        .put("source", "influxdb")
        .put("parts", parts(read))
        .put("series", series)
        .put("limits", limits(q, loops));
  }

  /**
   * The alarm limits drawn on the asked signals: level alarms on the signal itself, and deviation
   * alarms of the loops controlling it (a band around the setpoint).
   */
  private static JsonArray limits(Request q, List<PlantAccess.LoopLimits> loops) {
    JsonArray out = new JsonArray();
    for (AlarmSpec a : q.profile().alarms()) {
      if (a.limit() == null || a.source() == null) {
        continue;
      }
      String signal = null;
      String loopId = null;
      if (LIMIT_KINDS.contains(a.kind()) && q.signals().contains(a.source())) {
        signal = a.source();
      } else if ("deviation".equals(a.kind())) {
        PlantAccess.LoopLimits loop =
            loops.stream().filter(l -> l.loopId().equals(a.source())).findFirst().orElse(null);
        if (loop != null) {
          signal = loop.pv();
          loopId = loop.loopId();
        }
      }
      if (signal != null) {
        JsonObject limit =
            new JsonObject()
                .put("signal", signal)
                .put("alarmId", a.id())
                .put("kind", a.kind())
                .put("limit", a.limit())
                .put("priority", a.priority());
        if (loopId != null) {
          limit.put("loopId", loopId);
        }
        out.add(limit);
      }
    }
    return out;
  }

  /** Which retention policy each part of the range came from, in time order. */
  private static JsonArray parts(HistoryAccess.Result read) {
    JsonArray out = new JsonArray();
    for (HistoryAccess.Part p : read.parts()) {
      out.add(
          new JsonObject()
              .put("from", Instant.ofEpochMilli(p.fromMs()).toString())
              .put("to", Instant.ofEpochMilli(p.toMs()).toString())
              .put("source", p.source())
              .put("bucketMs", p.bucketMs()));
    }
    return out;
  }

  /** The bucket of the part a bucket starting at {@code startMs} belongs to. */
  private static long bucketAt(HistoryAccess.Result read, long startMs) {
    long bucketMs = read.bucketMs();
    for (HistoryAccess.Part p : read.parts()) {
      if (startMs >= p.fromMs()) {
        bucketMs = p.bucketMs();
      }
    }
    return bucketMs;
  }
}
