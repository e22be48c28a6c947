package io.hepaloop.cli;

import io.hepaloop.app.Codecs;
import io.hepaloop.app.ReactorLinks;
import io.hepaloop.bench.HarnessAutoTune;
import io.hepaloop.bus.Addresses;
import io.hepaloop.bus.HepaEvent;
import io.hepaloop.control.CommandResult;
import io.hepaloop.control.ReactorController;
import io.hepaloop.control.RelayAutoTuner;
import io.hepaloop.device.DeviceLink;
import io.hepaloop.device.DeviceLinkOptions;
import io.hepaloop.plant.PlantConfig;
import io.hepaloop.plant.PlantConfigLoader;
import io.hepaloop.plant.ReactorConfig;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.time.AcceleratedClock;
import io.hepaloop.time.Clock;
import io.hepaloop.time.SystemClock;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hepaloop tune --reactor R --loop temperature}: relay-feedback auto-tune of one loop, as a
 * client of the running {@code serve} or {@code demo} ({@code --url}, API token from {@code
 * --token-file} or {@code HEPALOOP_TOKEN}): starts the test in the controller that already drives
 * the device, shows its progress, and asks whether to accept or reject the proposal. {@code
 * --status}, {@code --accept}, {@code --reject} and {@code --abort} act on a test already started.
 * Leaving the command does not stop the test.
 *
 * <p>{@code --harness} runs the test on the plant-in-the-loop harness (no device). {@code
 * --standalone} is the old mode that connects to the device itself: a second controller on a device
 * the plant may already drive, whose heartbeat stops when it exits (the device watchdog then puts
 * the outputs safe); only for a rig nothing else controls.
 */
@Command(
    name = "tune",
    mixinStandardHelpOptions = true,
    description =
        "Relay auto-tune of a loop in the running serve/demo: progress, accept or reject.")
public final class TuneCommand implements Callable<Integer> {
  @Option(
      names = "--reactor",
      defaultValue = "r1",
      description = "Reactor id (default ${DEFAULT-VALUE})")
  String reactor;

  @Option(
      names = "--loop",
      required = true,
      description = "Loop id from the profile: temperature, flow, oxygen")
  String loop;

  @Option(
      names = "--url",
      defaultValue = "http://127.0.0.1:8080",
      description = "HTTP address of the running serve/demo (default ${DEFAULT-VALUE})")
  String url;

  @Option(
      names = "--token-file",
      description = "File holding the API token (engineer role); default: env HEPALOOP_TOKEN")
  Path tokenFile;

  @Option(names = "--status", description = "Show the loop's auto-tune once and exit")
  boolean status;

  @Option(names = "--accept", description = "Accept the waiting proposal (applied bumplessly)")
  boolean accept;

  @Option(
      names = "--reject",
      description = "Reject the waiting proposal (the loop keeps its tuning)")
  boolean reject;

  @Option(names = "--abort", description = "Abort the running test (output back to its bias)")
  boolean abort;

  @Option(
      names = "--poll-ms",
      defaultValue = "2000",
      description = "How often to ask for progress, ms (default ${DEFAULT-VALUE})")
  long pollMs;

  @Option(
      names = "--standalone",
      description =
          "Old mode: connect to the device directly instead of the running controller. Takes the"
              + " device over; its watchdog trips when this command exits. Only for a rig that"
              + " nothing else controls.")
  boolean standalone;

  @Option(
      names = "--config",
      description =
          "--standalone: plant configuration (YAML), as for serve: the reactor's profile, endpoint, "
              + "security and identity come from it (instead of --profile/--endpoint)")
  Path config;

  @Mixin ProfileOption profile;

  @Option(
      names = "--endpoint",
      description = "--standalone: OPC UA endpoint of the reactor (default: the profile's)")
  String endpoint;

  @Option(
      names = "--speed",
      description =
          "--standalone: time acceleration of a simulated reactor (simulate --speed); 1 for hardware")
  Double speedGiven;

  @Option(
      names = "--settle-s",
      description =
          "--standalone: process seconds to let the loop settle in AUTO before the relay test (300)")
  Double settleGiven;

  double speed;
  double settleS;

  @Option(names = "--amplitude", description = "Relay amplitude, output units (default per loop)")
  Double amplitude;

  @Option(
      names = "--hysteresis",
      description = "Relay hysteresis, PV units (default per loop, above sensor noise)")
  Double hysteresis;

  @Option(
      names = "--max-deviation",
      description = "Abort when |PV - setpoint| exceeds this, PV units (default per loop)")
  Double maxDeviation;

  @Option(names = "--pi", description = "Propose PI instead of the loop's default")
  boolean pi;

  @Option(
      names = "--harness",
      description = "Tune against the plant-in-the-loop harness instead of a live reactor")
  boolean harness;

  @Override
  public Integer call() throws Exception {
    speed = speedGiven == null ? 1 : speedGiven;
    settleS = settleGiven == null ? 300 : settleGiven;
    if (!(speed > 0) || Double.isInfinite(speed) || !(settleS >= 0) || Double.isInfinite(settleS)) {
      System.err.println(
          "hepaloop tune: --speed must be a finite number > 0 and --settle-s a finite number >= 0 (got "
              + speed
              + " and "
              + settleS
              + ")");
      return 2;
    }
    if (!harness && !standalone) {
      if (config != null
          || profile.given != null
          || endpoint != null
          || speedGiven != null
          || settleGiven != null) {
        System.err.println(
            "hepaloop tune: --config, --profile, --endpoint, --speed and --settle-s belong to"
                + " --standalone (or --harness); against the running serve/demo give --url");
        return 2;
      }
      return new TuneSession(this).run();
    }
    if (standalone) {
      System.err.println(
          "hepaloop tune --standalone: WARNING this process connects to the device as a second"
              + " controller. Stop serve/demo for this reactor first; when this command exits its"
              + " heartbeat stops and the device watchdog puts the outputs safe.");
    }
    ReactorConfig fromConfig = null;
    if (config != null) {
      if (profile.given != null || endpoint != null) {
        System.err.println(
            "hepaloop tune: --config already gives the reactor's profile and endpoint; drop --profile and --endpoint");
        return 2;
      }
      PlantConfig plant = PlantConfigLoader.load(config);
      fromConfig = plant.reactor(reactor).orElse(null);
      if (fromConfig == null) {
        System.err.println(
            "hepaloop tune: no reactor '"
                + reactor
                + "' in "
                + config
                + " (reactors: "
                + String.join(", ", plant.reactorIds())
                + ")");
        return 2;
      }
    }
    DeviceProfile p = fromConfig != null ? fromConfig.profile() : profile.load();
    if (p.loops().stream().noneMatch(l -> l.id().equals(loop))) {
      System.err.println("hepaloop tune: the profile has no loop '" + loop + "'");
      return 2;
    }
    RelayAutoTuner.Config base = HarnessAutoTune.defaultConfig(loop);
    RelayAutoTuner.Config cfg =
        new RelayAutoTuner.Config(
            amplitude != null ? amplitude : base.amplitude(),
            hysteresis != null ? hysteresis : base.hysteresis(),
            maxDeviation != null ? maxDeviation : base.maxDeviation(),
            base.cycles(),
            base.timeoutS(),
            !pi && base.derivative());
    RelayAutoTuner t = harness ? HarnessAutoTune.run(p, loop, cfg, 1) : live(p, fromConfig, cfg);
    if (t == null) {
      return 1;
    }
    return report(t);
  }

  private int report(RelayAutoTuner t) {
    if (t.state() == RelayAutoTuner.State.RUNNING) {
      System.out.println(
          "auto-tune of loop "
              + loop
              + " did not finish in time; the relay runs until its own timeout aborts it");
      return 1;
    }
    if (t.state() != RelayAutoTuner.State.DONE) {
      System.out.println(
          "auto-tune of loop "
              + loop
              + " "
              + t.state().name().toLowerCase()
              + ": "
              + t.abortReason());
      return 1;
    }
    RelayAutoTuner.Result r = t.result();
    System.out.println(
        "loop " + loop + (harness ? " (harness plant)" : " (reactor " + reactor + ")"));
    System.out.printf(
        "ultimate gain Ku = %.4g, ultimate period Pu = %.1f s, PV amplitude %.4g%n",
        r.ultimateGain(), r.ultimatePeriodS(), r.pvAmplitude());
    System.out.printf(
        "proposal (%s): gain %.4g, integralTimeS %.1f, derivativeTimeS %.1f%n",
        r.rule(),
        r.proposal().gain(),
        r.proposal().integralTimeS(),
        r.proposal().derivativeTimeS());
    System.out.printf(
        "profile YAML: tuning: { gain: %.4g, integralTimeS: %.1f, derivativeTimeS: %.1f }%n",
        r.proposal().gain(), r.proposal().integralTimeS(), r.proposal().derivativeTimeS());
    return 0;
  }

  /**
   * Connects to the reactor, lets the loop settle, runs the relay test on the reactor's context.
   */
  private RelayAutoTuner live(DeviceProfile p, ReactorConfig fromConfig, RelayAutoTuner.Config cfg)
      throws Exception {
    String url =
        fromConfig != null
            ? fromConfig.endpointUrl()
            : endpoint != null ? endpoint : p.endpoint().url();
    Clock clock = speed == 1 ? SystemClock.INSTANCE : new AcceleratedClock(speed);
    DeviceLinkOptions linkOptions =
        (fromConfig != null
                ? ReactorLinks.optionsFor(fromConfig)
                : DeviceLinkOptions.builder(reactor, p, url))
            .clock(clock)
            .build();
    Vertx vertx = Vertx.vertx();
    try {
      Codecs.register(vertx);
      vertx
          .eventBus()
          .<HepaEvent>consumer(
              Addresses.EVENTS,
              m -> {
                HepaEvent e = m.body();
                if (reactor.equals(e.reactorId())) {
                  System.out.println("[" + e.severity() + "] " + e.message());
                }
              });
      DeviceLink link = new DeviceLink(linkOptions);
      ReactorController controller = new ReactorController(reactor, p, clock);
      vertx
          .deployVerticle(controller)
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      vertx
          .deployVerticle(link)
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      long connectDeadline = System.nanoTime() + 60_000_000_000L;
      while (true) {
        Boolean ready =
            controller
                .withControl(
                    rc ->
                        !rc.loop(loop).awaitingReadback()
                            && rc.image().usable(rc.loop(loop).spec().pv()))
                .toCompletionStage()
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        if (ready) {
          break;
        }
        if (System.nanoTime() > connectDeadline) {
          System.err.println(
              "hepaloop tune: no good "
                  + loop
                  + " PV and actuator read-back from "
                  + url
                  + " within 60 s");
          return null;
        }
        Thread.sleep(100);
      }
      System.out.printf(
          "connected to %s; letting loop %s settle for %.0f s of process time ...%n",
          url, loop, settleS);
      Thread.sleep((long) (settleS * 1000 / speed)); // CLI main thread, not an event loop
      CommandResult started =
          controller
              .withControl(rc -> rc.startAutotune(loop, cfg, "cli"))
              .toCompletionStage()
              .toCompletableFuture()
              .get(5, TimeUnit.SECONDS);
      if (!started.accepted()) {
        System.err.println("hepaloop tune: " + started.message());
        return null;
      }
      long deadline = System.nanoTime() + (long) ((cfg.timeoutS() + 120) / speed * 1e9);
      while (System.nanoTime() < deadline) {
        Boolean running =
            controller
                .withControl(rc -> rc.loop(loop).autotuneRunning())
                .toCompletionStage()
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        if (!running) {
          break;
        }
        Thread.sleep(200);
      }
      return controller
          .withControl(rc -> rc.loop(loop).autotuner())
          .toCompletionStage()
          .toCompletableFuture()
          .get(5, TimeUnit.SECONDS);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
