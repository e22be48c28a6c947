package io.hepaloop.cli;

import io.hepaloop.api.ApiSecurity;
import io.hepaloop.api.AuditSignatures;
import io.hepaloop.app.PlantRuntime;
import io.hepaloop.app.StopHook;
import io.hepaloop.console.LiveTableVerticle;
import io.hepaloop.core.DirectoryLock;
import io.hepaloop.plant.PlantConfig;
import io.hepaloop.plant.PlantConfigWriter;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.run.RunStart;
import io.hepaloop.run.RunStore;
import io.hepaloop.sim.Layout;
import io.hepaloop.sim.Simulator;
import io.hepaloop.sim.SimulatorOptions;
import io.hepaloop.store.Store;
import io.hepaloop.time.SystemClock;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./hepaloop demo}: simulated reactors (real OPC UA servers on loopback) and the whole
 * controller side in one process — device links, control loops with interlocks, telemetry (a
 * private InfluxDB when {@code influxd} is installed, otherwise the on-disk spool) and {@code
 * /metrics} — with a live table in the terminal. Ctrl-C stops everything cleanly.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Start simulated reactors and the controller in one process, with a live view.")
public final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--reactors",
      defaultValue = "4",
      description = "Number of simulated reactors (default ${DEFAULT-VALUE}).")
  int reactors;

  @Mixin ProfileOption profile;

  @Option(
      names = "--data-dir",
      description =
          "Where the demo keeps its plant config, PKI, spool and InfluxDB data (default data/demo).")
  Path dataDir;

  @Option(
      names = "--http-port",
      defaultValue = "8080",
      description =
          "HTTP port of the API and /metrics (on 127.0.0.1); 0 picks a free port (default"
              + " ${DEFAULT-VALUE}).")
  int httpPort;

  @Mixin HttpSecurityOptions httpSecurity;

  @Option(
      names = "--esign",
      paramLabel = "strict|research",
      defaultValue = "research",
      description =
          "Electronic signatures of critical actions (tuning, interlock reset): strict requires"
              + " them, research makes them optional (default ${DEFAULT-VALUE}).")
  String esign;

  @Option(
      names = "--no-influxd",
      description =
          "Do not start a private InfluxDB even if influxd is installed: keep telemetry in the spool.")
  boolean noInfluxd;

  @Option(
      names = "--duration",
      description = "Stop by itself after this many seconds (default: run until Ctrl-C).")
  Long durationS;

  @Option(
      names = "--refresh-ms",
      defaultValue = "1000",
      description = "Live table refresh period (default ${DEFAULT-VALUE} ms).")
  long refreshMs;

  @Option(
      names = "--new-run",
      description =
          "End the data directory's run and start a new one (default: continue it, see run.json).")
  boolean newRun;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Random seed of the simulated sensors (default ${DEFAULT-VALUE}).")
  long seed;

  PrintStream out = System.out;

  /**
   * How long Ctrl-C waits for loops, links, telemetry and simulators to close before the JVM halts
   * anyway.
   */
  static final Duration CLOSE_GRACE = Duration.ofSeconds(60);

  /** Counted down by Ctrl-C (shutdown hook), by --duration, or by a test. */
  final CountDownLatch stop = new CountDownLatch(1);

  private static Map<String, String> endpointsById(Simulator sim, List<String> ids) {
    Map<String, String> urls = new LinkedHashMap<>();
    for (String id : ids) {
      urls.put(id, sim.endpointUrl(id));
    }
    return urls;
  }

  @Override
  public Integer call() throws Exception {
    Path root = Paths.root();
    Path profilePath = profile.path();
    Path data = (dataDir != null ? dataDir : root.resolve("data/demo")).toAbsolutePath();
    Files.createDirectories(data);
    // First of all: a second demo on the same data would overwrite its plant config and share its
    // spool.
    ApiSecurity.Tls tls = httpSecurity.tls(); // a bad key store stops here, before anything starts
    AuditSignatures.Mode esignMode = AuditSignatures.Mode.parse(esign);
    try (DirectoryLock owner = ServeCommand.lockDataDir(data);
        Store store = Store.open(data);
        ApiSecurity security = httpSecurity.security(store, SystemClock.INSTANCE, tls, esignMode)) {
      return run(profilePath, data, security, store);
    }
  }

  private int run(Path profilePath, Path data, ApiSecurity security, Store store) throws Exception {
    DeviceProfile deviceProfile = ProfileLoader.load(profilePath);
    RunStart run =
        new RunStore(data)
            .open(
                null,
                newRun,
                "demo",
                Instant.now()); // before anything starts: a bad run file stops here
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= reactors; i++) {
      ids.add("r" + i);
    }

    out.println(
        "HepaLoop demo: starting " + reactors + " simulated reactors (OPC UA on 127.0.0.1) ...");
    Simulator sim =
        Simulator.start(
            SimulatorOptions.builder()
                .profile(deviceProfile)
                .reactorIds(ids)
                .layout(Layout.SERVER_PER_REACTOR)
                .basePort(0)
                .seed(seed)
                .pkiDir(data.resolve("pki").resolve("simulator"))
                .build());
    PlantRuntime plant = null;
    StopHook hook = null;
    try {
      Path configFile = data.resolve("hepaloop.yaml");
      PlantConfig config =
          PlantConfigWriter.writeSimulated(configFile, data, profilePath, endpointsById(sim, ids));
      plant =
          PlantRuntime.start(
              new PlantRuntime.Options(
                  config,
                  data,
                  run.run().id(),
                  null,
                  !noInfluxd,
                  "127.0.0.1",
                  httpPort,
                  SystemClock.INSTANCE,
                  security,
                  store));
      for (String id : ids) {
        out.println("  " + id + "  " + sim.endpointUrl(id));
      }
      out.println("plant config: " + configFile);
      String url = HttpSecurityOptions.scheme(security.tls()) + "://127.0.0.1:" + plant.httpPort();
      out.println("metrics:      " + url + "/metrics");
      out.println(
          "API:          " + url + "/api (POST /api/login; described at " + url + "/openapi.yaml)");
      HttpSecurityOptions.firstAdmin(security, data, out);
      out.println(
          "console:      " + url + "/console/  (" + HttpSecurityOptions.firstLogin(data) + ")");
      out.println(
          "telemetry:    "
              + (plant.telemetry().influx() == null
                  ? "no InfluxDB (influxd not installed or --no-influxd): kept in the spool under "
                      + data.resolve("spool")
                  : "InfluxDB "
                      + plant.telemetry().influx().url()
                      + " database "
                      + plant.telemetry().influx().database()));
      out.println("run:          " + run.describe());
      boolean ansi = System.console() != null && durationS == null;
      plant
          .vertx()
          .deployVerticle(
              new LiveTableVerticle(
                  config.profileByReactor(), plant::linkState, out, ansi, refreshMs),
              new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
          .await(30, TimeUnit.SECONDS);

      hook = new StopHook(stop, CLOSE_GRACE, "hepaloop-demo-shutdown").install();
      if (durationS != null) {
        stop.await(durationS, TimeUnit.SECONDS);
      } else {
        stop.await();
      }
      out.println("HepaLoop demo: stopping ...");
      return 0;
    } finally {
      try {
        if (plant != null) {
          plant.close();
        }
        security.close(); // the audit records still queued, before the JVM may halt
        sim.close();
        out.println("HepaLoop demo: stopped.");
      } finally {
        if (hook != null) {
          hook.finished(); // Ctrl-C: only now may the JVM halt
        }
      }
    }
  }
}
