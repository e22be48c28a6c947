package io.hepaloop.telemetry;

import io.hepaloop.bus.Addresses;
import io.hepaloop.bus.HepaEvent;
import io.hepaloop.bus.LocalCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thing {@code demo}/{@code serve} call: stores every sample, loop snapshot, link state and
 * event of the given reactors, plus the derived OUR, in InfluxDB through the durable spool.
 *
 * <pre>{@code
 * TelemetryService t = TelemetryService.start(vertx, TelemetryService.Config.local(dataDir, reactors, alpha), registry)
 *     .await();
 * t.setRun("r1", "run-42", 1e7);   // tags following points with run=run-42; OUR per 10^6 cells
 * ...
 * t.stop().await();                  // flushes (bounded wait), stops a local influxd it started
 * }</pre>
 *
 * <p>A private influxd is supervised ({@link InfluxdSupervisor}): restarted when it dies, while the
 * writer holds telemetry in the spool.
 *
 * <p>Without InfluxDB ({@code influx == null}, or {@code localInfluxd} asked but not installed) it
 * keeps everything in the spool under {@code dataDir/spool} and says so; the spool is replayed by
 * the next start that has a server.
 */
public final class TelemetryService {
  private static final Logger LOG = LoggerFactory.getLogger(TelemetryService.class);

  /**
   * How long, once the JVM shuts down, a private influxd is left to {@link #stop()} (the writer's
   * final flush takes up to 10 s; the plant awaits the whole stop up to 30 s).
   */
  static final Duration OWNER_STOP_GRACE = Duration.ofSeconds(30);

  /**
   * @param influx where to write, or null: with {@code localInfluxd} the service starts its own
   * @param localInfluxd start a private influxd with data under {@code dataDir/influxd} when {@code
   *     influx} is null
   * @param dataDir spool in {@code dataDir/spool}
   * @param reactors reactor ids to subscribe to (more with {@link #addReactor})
   * @param oxygenSolubilityNmolPerMlMmHg α for OUR ({@code
   *     DeviceProfile.oxygenSolubilityNmolPerMlMmHg()})
   */
  public record Config(
      InfluxConfig influx,
      boolean localInfluxd,
      Path dataDir,
      List<String> reactors,
      double oxygenSolubilityNmolPerMlMmHg,
      TelemetryWriter.Options writerOptions) {

    /** Local private influxd when installed, else spool only. */
    public static Config local(Path dataDir, List<String> reactors, double alpha) {
      return new Config(null, true, dataDir, reactors, alpha, TelemetryWriter.Options.defaults());
    }

    /**
     * A configured server; with {@code HEPALOOP_INFLUX_URL} etc. use {@code
     * InfluxConfig.fromEnv(System.getenv())}.
     */
    public static Config remote(
        InfluxConfig influx, Path dataDir, List<String> reactors, double alpha) {
      return new Config(
          influx, false, dataDir, reactors, alpha, TelemetryWriter.Options.defaults());
    }
  }

  private final Vertx vertx;
  private final TelemetryWriter writer;
  private final LocalInfluxd localInfluxd;
  private final InfluxdSupervisor supervisor;
  private final InfluxConfig influx;
  private final TelemetryVerticle verticle;
  private String deploymentId;

  private TelemetryService(
      Vertx vertx,
      TelemetryWriter writer,
      LocalInfluxd localInfluxd,
      InfluxdSupervisor supervisor,
      InfluxConfig influx,
      TelemetryVerticle verticle) {
    this.vertx = vertx;
    this.writer = writer;
    this.localInfluxd = localInfluxd;
    this.supervisor = supervisor;
    this.influx = influx;
    this.verticle = verticle;
  }

  /** Starts (blocking work — influxd start-up, spool recovery — runs on a worker thread). */
  public static Future<TelemetryService> start(
      Vertx vertx, Config config, TelemetryMetrics metrics) {
    LocalCodec.registerAll(vertx, HepaEvent.class);
    Consumer<HepaEvent> events = e -> vertx.eventBus().publish(Addresses.EVENTS, e);
    return vertx
        .<TelemetryService>executeBlocking(
            () -> {
              LocalInfluxd local = null;
              InfluxdSupervisor supervisor = null;
              InfluxConfig influx = config.influx();
              if (influx == null && config.localInfluxd()) {
                if (LocalInfluxd.isInstalled()) {
                  local = LocalInfluxd.launchIn(config.dataDir().resolve("influxd"));
                  // stop() flushes into it, then stops it: Ctrl-C must not stop it first
                  local.stoppedByOwnerAtShutdown(OWNER_STOP_GRACE);
                  supervisor = InfluxdSupervisor.watch(local, metrics, events);
                  influx = InfluxConfig.local(local.url(), "hepaloop");
                } else {
                  LOG.warn(
                      "influxd is not installed: telemetry is kept in the spool {} (install influxdb to store it)",
                      config.dataDir().resolve("spool"));
                }
              }
              InfluxHttp http =
                  influx == null
                      ? null
                      : new InfluxHttp(influx, config.writerOptions().httpTimeout());
              TelemetryWriter writer =
                  new TelemetryWriter(
                      http,
                      config.dataDir().resolve("spool"),
                      config.writerOptions(),
                      metrics,
                      events);
              writer.start();
              TelemetryVerticle v =
                  new TelemetryVerticle(
                      writer, metrics, config.oxygenSolubilityNmolPerMlMmHg(), config.reactors());
              LOG.info(
                  "telemetry: {} reactors → {}",
                  config.reactors().size(),
                  influx == null ? "spool only" : influx);
              return new TelemetryService(vertx, writer, local, supervisor, influx, v);
            })
        .compose(
            s ->
                vertx
                    .deployVerticle(s.verticle)
                    .map(
                        id -> {
                          s.deploymentId = id;
                          return s;
                        }));
  }

  /** Subscribes to one more reactor. */
  public Future<Void> addReactor(String reactorId) {
    return Future.future(
        p ->
            verticle
                .ctx()
                .runOnContext(
                    x -> Future.all(verticle.subscribe(reactorId)).<Void>mapEmpty().onComplete(p)));
  }

  /**
   * Tags the reactor's points from now on with {@code run=runId} and sets the seeded cell count for
   * OUR per 10⁶ cells (NaN when unknown). {@code runId} null ends the run (tag {@code none}).
   */
  public void setRun(String reactorId, String runId, double cellsSeeded) {
    verticle.ctx().runOnContext(x -> verticle.setRun(reactorId, runId, cellsSeeded));
  }

  /** The writer (counters, flush, direct submit of line protocol). */
  public TelemetryWriter writer() {
    return writer;
  }

  /** The InfluxDB in use, or null when telemetry is kept in the spool only. */
  public InfluxConfig influx() {
    return influx;
  }

  /** Counters for the console: submitted, spooled, delivered, pending, dropped. */
  public Map<String, Long> status() {
    return Map.of(
        "submitted",
        writer.submitted(),
        "spooled",
        writer.spooled(),
        "delivered",
        writer.delivered(),
        "spoolPending",
        writer.spoolPendingPoints(),
        "quarantined",
        writer.quarantined(),
        "dropped",
        writer.dropped());
  }

  /**
   * Unsubscribes, flushes (waits up to 10 s for InfluxDB), stops the writer and a local influxd.
   * Stop the device links and loops first: bus messages still queued for this service when it
   * unsubscribes are not stored.
   */
  public Future<Void> stop() {
    Future<Void> undeployed =
        deploymentId == null ? Future.succeededFuture() : vertx.undeploy(deploymentId);
    return undeployed.compose(
        x ->
            vertx.executeBlocking(
                () -> {
                  if (supervisor != null) {
                    supervisor.close(); // no restart while we stop it
                  }
                  writer.close(Duration.ofSeconds(10));
                  if (localInfluxd != null) {
                    localInfluxd.stop();
                  }
                  return null;
                }));
  }
}
