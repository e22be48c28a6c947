package io.hepaloop.cli;

import io.hepaloop.api.ApiSecurity;
import io.hepaloop.api.AuditSignatures;
import io.hepaloop.app.PlantRuntime;
import io.hepaloop.app.StopHook;
import io.hepaloop.console.LiveTableVerticle;
import io.hepaloop.core.DirectoryLock;
import io.hepaloop.plant.PlantConfig;
import io.hepaloop.plant.PlantConfigLoader;
import io.hepaloop.run.RunStart;
import io.hepaloop.run.RunStore;
import io.hepaloop.store.Store;
import io.hepaloop.telemetry.InfluxConfig;
import io.hepaloop.time.SystemClock;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./hepaloop serve --config hepaloop.yaml}: the controller side for the reactors a plant
 * configuration lists — real devices or {@code simulate} instances — with the same links, loops,
 * telemetry and {@code /metrics} as the demo.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Supervise the reactors of a plant configuration (real devices or simulators).")
public final class ServeCommand implements Callable<Integer> {
  @Option(
      names = "--config",
      required = true,
      description = "Plant configuration (YAML), e.g. hepaloop.yaml.")
  Path config;

  @Option(
      names = "--http-port",
      defaultValue = "8080",
      description = "HTTP port of the API and /metrics (default ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(
      names = "--http-host",
      defaultValue = "127.0.0.1",
      description =
          "HTTP bind address (default ${DEFAULT-VALUE}); beyond loopback only with --tls-keystore"
              + " or --insecure-http.")
  String httpHost;

  @Mixin HttpSecurityOptions httpSecurity;

  @Option(
      names = "--esign",
      paramLabel = "strict|research",
      defaultValue = "strict",
      description =
          "Electronic signatures of critical actions (tuning, interlock reset): strict requires"
              + " them, research makes them optional (default ${DEFAULT-VALUE}).")
  String esign;

  @Option(
      names = "--run",
      description =
          "Run id tagged on telemetry. Default: the run the data directory continues"
              + " (run.json), or a new serve-<date-time>. An id other than the persisted run's ends that run and starts this one.")
  String runId;

  @Option(
      names = "--new-run",
      description =
          "End the data directory's run and start a new one (with the --run id, or serve-<date-time>).")
  boolean newRun;

  @Option(
      names = "--no-influxd",
      description =
          "Without HEPALOOP_INFLUX_URL, do not start a private influxd: keep telemetry in the spool.")
  boolean noInfluxd;

  @Option(names = "--quiet", description = "No live table on the terminal.")
  boolean quiet;

  PrintStream out = System.out;

  /** Counted down by Ctrl-C (shutdown hook) or by a test. */
  final CountDownLatch stop = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    PlantConfig plant = PlantConfigLoader.load(config);
    // Before anything starts: a bad key store, or plain HTTP beyond loopback, stops here.
    ApiSecurity.Tls tls = httpSecurity.tls();
    ApiSecurity.checkBind(httpHost, tls, httpSecurity.insecureHttp);
    AuditSignatures.Mode esignMode = AuditSignatures.Mode.parse(esign);
    Path data = plant.dataDir().toAbsolutePath();
    Files.createDirectories(data);
    try (DirectoryLock owner = lockDataDir(data);
        Store store = Store.open(data);
        ApiSecurity security = httpSecurity.security(store, SystemClock.INSTANCE, tls, esignMode)) {
      return run(plant, data, security, store);
    }
  }

  /**
   * One process per data directory: two would share a spool, a run and a private InfluxDB. The
   * kernel drops the lock when the process dies, however it dies.
   */
  static DirectoryLock lockDataDir(Path data) {
    return DirectoryLock.acquire(data, "hepaloop.lock", "the HepaLoop data directory");
  }

  private int run(PlantConfig plant, Path data, ApiSecurity security, Store store)
      throws Exception {
    RunStart run =
        new RunStore(data)
            .open(
                runId,
                newRun,
                "serve",
                Instant.now()); // before anything starts: a bad run file stops here
    InfluxConfig influx =
        System.getenv("HEPALOOP_INFLUX_URL") != null ? InfluxConfig.fromEnv(System.getenv()) : null;
    StopHook hook = new StopHook(stop, DemoCommand.CLOSE_GRACE, "hepaloop-serve-shutdown");
    // Closed in reverse order: the plant (its HTTP server) first, then the audit trail, before the
    // JVM may halt.
    try (security;
        PlantRuntime runtime =
            PlantRuntime.start(
                new PlantRuntime.Options(
                    plant,
                    data,
                    run.run().id(),
                    influx,
                    !noInfluxd,
                    httpHost,
                    httpPort,
                    SystemClock.INSTANCE,
                    security,
                    store))) {
      hook.install();
      out.println(
          "HepaLoop: supervising "
              + plant.reactorIds()
              + ", API and metrics on "
              + HttpSecurityOptions.scheme(security.tls())
              + "://"
              + httpHost
              + ":"
              + runtime.httpPort()
              + "/metrics");
      out.println("run: " + run.describe());
      HttpSecurityOptions.firstAdmin(security, data, out);
      out.println(
          "console: "
              + HttpSecurityOptions.scheme(security.tls())
              + "://"
              + httpHost
              + ":"
              + runtime.httpPort()
              + "/console/  ("
              + HttpSecurityOptions.firstLogin(data)
              + ")");
      if (!quiet && !plant.reactors().isEmpty()) {
        runtime
            .vertx()
            .deployVerticle(
                new LiveTableVerticle(
                    plant.profileByReactor(),
                    runtime::linkState,
                    out,
                    System.console() != null,
                    1000),
                new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
            .await(30, TimeUnit.SECONDS);
      }
      stop.await();
      return 0;
    } finally {
      hook.finished(); // after the runtime closed: only now may the JVM halt
    }
  }
}
