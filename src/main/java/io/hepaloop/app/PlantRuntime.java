package io.hepaloop.app;

import io.hepaloop.alarm.AlarmDefinition;
import io.hepaloop.alarm.AlarmTransition;
import io.hepaloop.alarm.ProfileAlarms;
import io.hepaloop.api.AlarmAccess;
import io.hepaloop.api.AlarmHistoryRoutes;
import io.hepaloop.api.AlarmRoutes;
import io.hepaloop.api.ApiGuard;
import io.hepaloop.api.ApiSecurity;
import io.hepaloop.api.AuditRoutes;
import io.hepaloop.api.AutotuneRoutes;
import io.hepaloop.api.EventStream;
import io.hepaloop.api.HttpApi;
import io.hepaloop.api.LabRoutes;
import io.hepaloop.api.Metrics;
import io.hepaloop.api.PlantFactsRoutes;
import io.hepaloop.api.PlantRoutes;
import io.hepaloop.api.RecipeRoutes;
import io.hepaloop.api.RunRoutes;
import io.hepaloop.control.LoopSettings;
import io.hepaloop.control.ReactorController;
import io.hepaloop.core.ActiveRuns;
import io.hepaloop.device.DeviceLink;
import io.hepaloop.device.DeviceLinkOptions;
import io.hepaloop.device.EndpointSessions;
import io.hepaloop.device.LinkState;
import io.hepaloop.lab.LabAnalytes;
import io.hepaloop.lab.LabSamples;
import io.hepaloop.plant.PlantConfig;
import io.hepaloop.plant.ReactorConfig;
import io.hepaloop.plantstate.AlarmJournal;
import io.hepaloop.plantstate.RecipeReleases;
import io.hepaloop.plantstate.RunTables;
import io.hepaloop.store.Store;
import io.hepaloop.telemetry.ControlMetrics;
import io.hepaloop.telemetry.InfluxConfig;
import io.hepaloop.telemetry.QuarantineRetention;
import io.hepaloop.telemetry.TelemetryMetrics;
import io.hepaloop.telemetry.TelemetryService;
import io.hepaloop.telemetry.TelemetryWriter;
import io.hepaloop.time.Clock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller side of a plant, assembled from a {@link PlantConfig}: per reactor a {@link
 * DeviceLink} and a {@link ReactorController} (each on its own Vert.x context), telemetry for all
 * of them, and the HTTP endpoint with {@code /metrics}. Reactors whose devices share an endpoint,
 * security and identity (a gateway serving several skids) share one OPC UA session ({@link
 * EndpointSessions}); the gauge {@code hepaloop_device_sessions_open} shows how many the plant
 * holds. {@code demo} runs it next to simulators; pointed at a config of real devices it runs the
 * same way.
 */
public final class PlantRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PlantRuntime.class);

  /**
   * @param runId tag for this run's telemetry: the run the data directory continues ({@link
   *     io.hepaloop.run.RunStore})
   * @param influx an InfluxDB to write to, or null
   * @param localInfluxd with no {@code influx}: start a private influxd when installed (otherwise
   *     telemetry stays in the spool)
   * @param httpPort port of the HTTP endpoint ({@code /metrics}); 0 picks a free one
   * @param api users, sessions, tokens and TLS of the command API; null serves no {@code /api}
   * @param store the data directory's database: with it, alarms, loop settings and runs are kept
   * @param recipesDir the plant's recipe files (runs are created from them; {@code GET
   *     /api/recipes}, releases); null means {@link #DEFAULT_RECIPES_DIR} under the working
   *     directory
   */
  public record Options(
      PlantConfig plant,
      Path dataDir,
      String runId,
      InfluxConfig influx,
      boolean localInfluxd,
      String httpHost,
      int httpPort,
      Clock clock,
      ApiSecurity api,
      Store store,
      Path recipesDir) {

    /** Where recipes are when no directory is given: {@code recipes/}, as the demo ships them. */
    public static final Path DEFAULT_RECIPES_DIR = Path.of("recipes");

    public Options {
      recipesDir = recipesDir == null ? DEFAULT_RECIPES_DIR : recipesDir;
    }

    /** With the recipes in {@link #DEFAULT_RECIPES_DIR}. */
    public Options(
        PlantConfig plant,
        Path dataDir,
        String runId,
        InfluxConfig influx,
        boolean localInfluxd,
        String httpHost,
        int httpPort,
        Clock clock,
        ApiSecurity api,
        Store store) {
      this(
          plant, dataDir, runId, influx, localInfluxd, httpHost, httpPort, clock, api, store, null);
    }

    /** These options with the recipes in {@code dir} (null: the default). */
    public Options withRecipesDir(Path dir) {
      return new Options(
          plant, dataDir, runId, influx, localInfluxd, httpHost, httpPort, clock, api, store, dir);
    }

    /** With the command API of {@code api}, remembering nothing across restarts. */
    public Options(
        PlantConfig plant,
        Path dataDir,
        String runId,
        InfluxConfig influx,
        boolean localInfluxd,
        String httpHost,
        int httpPort,
        Clock clock,
        ApiSecurity api) {
      this(plant, dataDir, runId, influx, localInfluxd, httpHost, httpPort, clock, api, null, null);
    }

    /** A plant without the command API (benches, tests of the data path). */
    public Options(
        PlantConfig plant,
        Path dataDir,
        String runId,
        InfluxConfig influx,
        boolean localInfluxd,
        String httpHost,
        int httpPort,
        Clock clock) {
      this(
          plant, dataDir, runId, influx, localInfluxd, httpHost, httpPort, clock, null, null, null);
    }
  }

  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final TelemetryService telemetry;
  private final HttpApi http;
  private final Map<String, ReactorController> controllers;
  private final Map<String, DeviceLink> links;
  private final List<String> deployments;
  private final AlarmService alarms;

  /** The alarm history and states in the data directory's database, or null (nothing kept). */
  private AlarmJournal journal;

  /** The recipes and their releases (in the database); null without a store. */
  private PlantRecipes recipes;

  /** The loop settings changed at run time, kept in the database; null (nothing kept). */
  private LoopSettingsKeeper loopSettings;

  /** Run reports from the database (and InfluxDB when there is one); null without a database. */
  private io.hepaloop.report.RunReports reports;

  /** The runs (kept in the database); null without one. */
  private RunService runs;

  private RunTables runTables;

  private final EventStream eventStream;
  private final PlantRuntimeAccess access;
  private final ActiveRunsSwitch activeRuns;

  /** The runs' lab results in the database, written to InfluxDB too; null without a store. */
  private LabSamples lab;

  private PlantRuntime(
      Vertx vertx,
      PrometheusMeterRegistry registry,
      TelemetryService telemetry,
      HttpApi http,
      Map<String, ReactorController> controllers,
      Map<String, DeviceLink> links,
      List<String> deployments,
      AlarmService alarms,
      EventStream eventStream,
      PlantRuntimeAccess access,
      ActiveRunsSwitch activeRuns) {
    this.activeRuns = activeRuns;
    this.eventStream = eventStream;
    this.access = access;
    this.vertx = vertx;
    this.registry = registry;
    this.telemetry = telemetry;
    this.http = http;
    this.controllers = controllers;
    this.links = links;
    this.deployments = deployments;
    this.alarms = alarms;
  }

  /**
   * Starts everything and returns once links, loops, telemetry and HTTP are deployed (links may
   * still be connecting).
   */
  public static PlantRuntime start(Options o) throws Exception {
    AlarmService.Setup setup = alarmSetup(o.plant());
    if (o.store() == null) {
      return start(o, setup);
    }
    if (o.api() != null && o.api().audit() != null) {
      // a plant configuration or device profile edited since the last start is put on record
      ConfigurationAudit.recordChanges(
          o.api().audit(), o.dataDir(), o.plant(), o.runId(), System.getProperty("user.name"));
    }
    ActiveRunsSwitch runs = new ActiveRunsSwitch();
    AlarmJournal journal =
        new AlarmJournal(
            o.store(), o.clock(), setup.definitions(), AlarmJournal.Options.defaults(), runs);
    LoopSettingsKeeper keeper = new LoopSettingsKeeper(o.store(), o.clock());
    try {
      List<AlarmTransition> last = journal.lastTransitions();
      PlantRuntime runtime =
          start(o, setup.withJournal(journal::record).withRestored(last), keeper, runs);
      runtime.journal = journal;
      runtime.loopSettings = keeper;
      runtime.reports =
          PlantReports.of(o.store(), runtime.telemetry.influx(), o.plant(), o.clock());
      runtime.lab =
          new LabSamples(
              o.store(),
              o.clock(),
              new LabAnalytes(o.plant().labAnalytes()),
              new LabSampleLines(runtime.telemetry.writer()));
      runtime.recipes =
          new PlantRecipes(
              o.recipesDir(),
              o.plant().reactors().stream().map(ReactorConfig::profile).toList(),
              new RecipeReleases(o.store()));
      runtime.startRuns(o);
      if (runtime.http.guard() != null) {
        // demo and serve: the plant, alarm and history routes and the stream behind the real guard
        runtime.mountApi(runtime.http.guard(), runtime.alarms.access());
      }
      return runtime;
    } catch (Exception | Error e) {
      journal.close();
      keeper.close();
      throw e;
    }
  }

  /**
   * The run service over the database's run tables: executors on the reactors' control contexts,
   * open runs resumed, telemetry tagged with each reactor's run (the plant's run when it has none).
   */
  private void startRuns(Options o) throws Exception {
    runTables = new RunTables(o.store());
    Map<String, io.hepaloop.profile.DeviceProfile> profiles = new LinkedHashMap<>();
    Map<String, Double> cells = new LinkedHashMap<>();
    for (ReactorConfig r : o.plant().reactors()) {
      profiles.put(r.id(), r.profile());
      cells.put(r.id(), r.cellsSeeded() == null ? Double.NaN : r.cellsSeeded());
    }
    runs =
        new RunService(
                runTables,
                o.recipesDir(),
                profiles,
                ControlContexts.of(controllers::get),
                o.clock())
            .withAudit(o.api() == null ? null : o.api().audit())
            .withPhaseAlarms(alarms::applyPhaseAlarms)
            .withRunTag(
                new RunTag() {
                  @Override
                  public void runOpened(String reactorId, String runId, double cellsSeeded) {
                    telemetry.setRun(reactorId, runId, cellsSeeded);
                  }

                  @Override
                  public void runEnded(String reactorId) {
                    telemetry.setRun(
                        reactorId, o.runId(), cells.getOrDefault(reactorId, Double.NaN));
                  }
                });
    deployments.add(await(vertx.deployVerticle(runs)));
    // from now on alarm history, audit records, alarm lists and stream events carry each run's id
    useActiveRuns(runs);
  }

  /** Starts everything, with the plant's alarms ({@link AlarmService}) set up by {@code alarms}. */
  public static PlantRuntime start(Options o, AlarmService.Setup alarmSetup) throws Exception {
    return start(o, alarmSetup, null, new ActiveRunsSwitch());
  }

  /**
   * With {@code keeper}, the loops start with the settings saved before (restored before they first
   * execute) and every run-time change is saved.
   */
  private static PlantRuntime start(
      Options o, AlarmService.Setup alarmSetup, LoopSettingsKeeper keeper, ActiveRunsSwitch runs)
      throws Exception {
    Map<String, List<LoopSettings>> restored = keeper == null ? Map.of() : keeper.load(o.plant());
    PrometheusMeterRegistry registry = Metrics.prometheus();
    Vertx vertx = Metrics.vertx(registry);
    Codecs.register(vertx);
    List<String> deployments = new ArrayList<>();
    Map<String, ReactorController> controllers = new LinkedHashMap<>();
    Map<String, DeviceLink> links = new LinkedHashMap<>();
    EndpointSessions sessions = new EndpointSessions();
    Gauge.builder("hepaloop.device.sessions.open", sessions, EndpointSessions::sessionsOpen)
        .description(
            "OPC UA sessions open to the devices (one per endpoint, security and identity)")
        .register(registry);
    FunctionCounter.builder(
            "hepaloop.device.heartbeats.skipped", sessions, EndpointSessions::heartbeatsSkipped)
        .description(
            "Watchdog heartbeats skipped because the previous beat's write was still unanswered")
        .register(registry);
    try {
      PlantConfig plant = o.plant();
      double alpha =
          plant.reactors().isEmpty()
              ? 1.3
              : plant.reactors().get(0).profile().oxygenSolubilityNmolPerMlMmHg();
      TelemetryService.Config tc =
          new TelemetryService.Config(
              o.influx(),
              o.influx() == null && o.localInfluxd(),
              o.dataDir(),
              plant.reactorIds(),
              alpha,
              TelemetryWriter.Options.defaults()
                  .withQuarantineRetention(QuarantineRetention.fromEnv(System.getenv())));
      ControlMetrics loopTiming = new ControlMetrics(registry);
      TelemetryService telemetry =
          await(TelemetryService.start(vertx, tc, new TelemetryMetrics(registry)));
      if (keeper != null) {
        await(keeper.start(vertx, plant.reactorIds()));
      }
      for (ReactorConfig r : plant.reactors()) {
        telemetry.setRun(r.id(), o.runId(), r.cellsSeeded() == null ? Double.NaN : r.cellsSeeded());
        ReactorController controller =
            new ReactorController(r.id(), r.profile(), o.clock(), loopTiming)
                .restoring(restored.get(r.id()));
        deployments.add(await(vertx.deployVerticle(controller)));
        controllers.put(r.id(), controller);
        DeviceLink link = new DeviceLink(linkOptions(r, o.dataDir(), o.clock()), sessions);
        deployments.add(await(vertx.deployVerticle(link)));
        links.put(r.id(), link);
      }
      LOG.info(
          "{} reactor(s) on {} device endpoint(s), one OPC UA session each",
          links.size(),
          sessions.endpoints());
      AlarmService alarms = alarmService(vertx, o, alarmSetup, registry, telemetry);
      deployments.add(await(vertx.deployVerticle(alarms)));
      HttpApi http = new HttpApi(registry, o.httpHost(), o.httpPort(), o.api(), o.runId());
      deployments.add(await(vertx.deployVerticle(http)));
      http.audit().useActiveRuns(runs);
      EventStream stream =
          new EventStream(plant.reactorIds(), registry, EventStream.Options.defaults(), runs);
      deployments.add(await(vertx.deployVerticle(stream)));
      PlantRuntimeAccess access =
          new PlantRuntimeAccess(
              plant, controllers::get, id -> links.get(id) == null ? null : links.get(id).state());
      access.useActiveRuns(runs);
      await(access.start(vertx));
      PlantRuntime runtime =
          new PlantRuntime(
              vertx,
              registry,
              telemetry,
              http,
              controllers,
              links,
              deployments,
              alarms,
              stream,
              access,
              runs);
      if (o.api() != null && keeper == null) {
        // with a store, start(Options) mounts once the journal is attached (for the history)
        runtime.mountApi(http.guard(), alarms.access());
      }
      return runtime;
    } catch (Exception e) {
      vertx.close().await(10, TimeUnit.SECONDS);
      throw e;
    }
  }

  /**
   * The plant's alarms without storage: every reactor's effective profile alarms (overrides
   * applied) and the configuration's notifications.
   */
  public static AlarmService.Setup alarmSetup(PlantConfig plant) {
    List<AlarmDefinition> definitions = new ArrayList<>();
    for (ReactorConfig r : plant.reactors()) {
      definitions.addAll(ProfileAlarms.definitions(r.id(), r.profile()));
    }
    return AlarmService.Setup.of(definitions)
        .withNotifications(NotificationPlans.from(plant.notifications()));
  }

  /**
   * Link options for one configured reactor: the plant config's, plus the client PKI in the data
   * dir and the clock.
   */
  static DeviceLinkOptions linkOptions(ReactorConfig r, Path dataDir, Clock clock) {
    return ReactorLinks.optionsFor(r)
        .pkiDir(dataDir.resolve("pki").resolve("client"))
        .clock(clock)
        .build();
  }

  /**
   * The plant's alarm service: every reactor with its α for OUR; the telemetry backlog is watched
   * only when telemetry is meant to reach an InfluxDB (spool-only telemetry is no fault).
   */
  private static AlarmService alarmService(
      Vertx vertx,
      Options o,
      AlarmService.Setup setup,
      PrometheusMeterRegistry registry,
      TelemetryService telemetry) {
    Map<String, Double> alpha = new LinkedHashMap<>();
    for (ReactorConfig r : o.plant().reactors()) {
      alpha.put(r.id(), r.profile().oxygenSolubilityNmolPerMlMmHg());
    }
    return new AlarmService(
        vertx,
        alpha,
        setup,
        o.clock(),
        registry,
        telemetry.influx() == null ? null : telemetry.writer().spool()::backlog);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(60, TimeUnit.SECONDS);
  }

  public Vertx vertx() {
    return vertx;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public TelemetryService telemetry() {
    return telemetry;
  }

  public int httpPort() {
    return http.actualPort();
  }

  /** The HTTP server: its router and guard, for the routes of other features. */
  public HttpApi http() {
    return http;
  }

  /** The link's current state, for views that start after the link published its last change. */
  public LinkState linkState(String reactorId) {
    DeviceLink link = links.get(reactorId);
    return link == null ? null : link.state();
  }

  /** The plant as the REST routes see it. */
  public PlantRuntimeAccess access() {
    return access;
  }

  public EventStream eventStream() {
    return eventStream;
  }

  /**
   * Plugs in the run service's answer to which run each reactor grows: from then on alarm history
   * rows, audit records of reactor actions, alarm lists and stream events carry that run's id. The
   * plant starts with none ({@link ActiveRuns#NONE}), since the run service needs the running
   * plant.
   */
  public void useActiveRuns(ActiveRuns runs) {
    activeRuns.use(runs);
  }

  /** What the plant's parts ask to stamp run ids (the one plugged in, or none). */
  public ActiveRuns activeRuns() {
    return activeRuns;
  }

  /**
   * Mounts the plant routes ({@code /api/reactors...}), the SSE stream and recent events, and, when
   * {@code alarms} is given, the alarm routes (with the history when the journal is kept), all
   * behind {@code guard}, with every human action recorded in the API's audit trail ({@link
   * HttpApi#audit()}). {@link #start} does it with the session guard when {@link Options#api()} is
   * given.
   */
  public void mountApi(ApiGuard guard, AlarmAccess alarms) {
    PlantRoutes.mount(http.router(), guard, access, http.audit());
    eventStream.mount(http.router(), guard);
    PlantFactsRoutes.mount(http.router(), guard, access.reactorFacts());
    if (alarms != null) {
      if (journal != null) {
        AlarmHistoryRoutes.mount(vertx, http.router(), guard, journal, access);
      }
      AlarmRoutes.mount(http.router(), guard, alarms, access, http.audit());
    }
    if (recipes != null) {
      RecipeRoutes.mount(vertx, http.router(), guard, recipes, http.audit());
    }
    AuditRoutes.mount(http, guard);
    TelemetryHistoryAccess.mount(this, guard);
    AutotuneRoutes.mount(
        http.router(),
        guard,
        PlantAutotuneAccess.of(this, List.copyOf(controllers.keySet())),
        http.audit());
    if (runs != null) {
      RunRoutes.mount(http.router(), guard, runs, http.audit());
    }
    if (reports != null) {
      io.hepaloop.api.ReportRoutes.mount(vertx, http.router(), guard, reports);
    }
    if (lab != null) {
      LabRoutes.mount(vertx, http.router(), guard, lab, http.audit());
    }
  }

  /** The runs' lab results; null when the plant has no database. */
  public LabSamples lab() {
    return lab;
  }

  public ReactorController controller(String reactorId) {
    return controllers.get(reactorId);
  }

  /** The runs (also the plant's {@link io.hepaloop.core.ActiveRuns}); null without a database. */
  public RunService runs() {
    return runs;
  }

  /** The plant's alarms: list, operator actions, health. */
  public AlarmService alarms() {
    return alarms;
  }

  /**
   * Stops the runs first (no recipe steps while going down; a run resumes at the next start), then
   * the alarms (a plant going down on purpose raises none, notifies nobody), then loops (no new
   * commands), then links (the devices' watchdogs take over), then flushes telemetry and closes
   * Vert.x.
   */
  @Override
  public void close() {
    try {
      List<String> order = new ArrayList<>();
      if (runs != null && runs.deploymentID() != null) {
        order.add(runs.deploymentID());
      }
      if (alarms.deploymentID() != null) {
        order.add(alarms.deploymentID());
      }
      for (ReactorController c : controllers.values()) {
        order.add(c.deploymentID());
      }
      deployments.stream().filter(d -> !order.contains(d)).forEach(order::add);
      for (String id : order) {
        vertx.undeploy(id).await(10, TimeUnit.SECONDS);
        if (id.equals(alarms.deploymentID()) && journal != null) {
          journal.close(); // every transition, the last ones of the shutdown too, is written
        }
      }
      telemetry.stop().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("plant shutdown: {}", e.toString());
    } finally {
      if (loopSettings != null) {
        loopSettings.close(); // the controllers are stopped: every change they made is written
      }
      if (runTables != null) {
        runTables.close(); // the controllers are stopped: every run event and progress is written
      }
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("closing Vert.x: {}", e.toString());
      }
    }
  }
}
