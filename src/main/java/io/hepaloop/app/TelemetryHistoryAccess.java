package io.hepaloop.app;

import io.hepaloop.api.ApiGuard;
import io.hepaloop.api.HistoryAccess;
import io.hepaloop.api.HistoryRoutes;
import io.hepaloop.plant.ReactorConfig;
import io.hepaloop.telemetry.InfluxConfig;
import io.hepaloop.telemetry.InfluxHistory;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The history route's store: the InfluxDB the plant's telemetry writes to, read back through {@link
 * InfluxHistory}. A plant whose telemetry stays in the spool (no InfluxDB) mounts the route with
 * {@link HistoryAccess#NONE}, so the console learns it has live data only.
 */
public final class TelemetryHistoryAccess implements HistoryAccess {
  private final InfluxHistory influx;
  private final Clock clock;

  private TelemetryHistoryAccess(InfluxHistory influx, Clock clock) {
    this.influx = influx;
    this.clock = clock;
  }

  /** The history kept in the InfluxDB of {@code config}, read over the Vert.x HTTP client. */
  public static HistoryAccess over(io.vertx.core.Vertx vertx, InfluxConfig config) {
    return new TelemetryHistoryAccess(new InfluxHistory(vertx, config), Clock.systemUTC());
  }

  /** Mounts {@code GET /api/reactors/{id}/history} on the runtime's router behind {@code guard}. */
  static void mount(PlantRuntime runtime, ApiGuard guard) {
    InfluxConfig config = runtime.telemetry().influx();
    HistoryAccess history = config == null ? HistoryAccess.NONE : over(runtime.vertx(), config);
    HistoryRoutes.mount(
        runtime.http().router(),
        guard,
        runtime.access(),
        id -> runtime.access().plant().reactor(id).map(ReactorConfig::profile).orElseThrow(),
        history);
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public Future<Result> read(
      String reactorId,
      List<String> signals,
      List<String> loops,
      Instant from,
      Instant to,
      int maxPoints) {
    return influx
        .read(reactorId, signals, loops, from, to, maxPoints, clock.instant())
        .map(
            r ->
                new Result(
                    r.plan().bucketMs(),
                    r.plan().parts().stream()
                        .map(
                            p ->
                                new Part(
                                    p.source().id(),
                                    p.from().toEpochMilli(),
                                    p.to().toEpochMilli(),
                                    p.bucketMs()))
                        .toList(),
                    r.series().stream()
                        .map(
                            s ->
                                new Series(
                                    s.kind(),
                                    s.id(),
                                    s.buckets().stream()
                                        .map(
                                            b ->
                                                new Bucket(b.startMs(), b.mean(), b.suspectCount()))
                                        .toList()))
                        .toList()));
  }
}
