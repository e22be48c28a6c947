package io.hepaloop.cli;

import com.sun.management.OperatingSystemMXBean;
import io.hepaloop.app.Codecs;
import io.hepaloop.bus.Addresses;
import io.hepaloop.device.DeviceLink;
import io.hepaloop.device.DeviceLinkOptions;
import io.hepaloop.device.EndpointSessions;
import io.hepaloop.device.LinkState;
import io.hepaloop.device.Sample;
import io.hepaloop.device.SampleBatch;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.sim.Layout;
import io.hepaloop.sim.Simulator;
import io.hepaloop.sim.SimulatorOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hepaloop bench link}: N simulated reactors (real Milo OPC UA servers) and N device links
 * in one JVM, measured for a fixed time after a warm-up. Prints samples/s received on the event
 * bus, end-to-end latency (device SourceTimestamp → arrival on the event bus) p50/p99, process CPU
 * and heap.
 *
 * <p>Baseline in the same run (on by default): first, plain Milo clients with the same
 * subscriptions for the same time ({@link BareMiloClients}); the links are then compared with it.
 *
 * <p>{@code --shared-endpoint}: one simulator server for all reactors (a gateway) and the links
 * sharing one OPC UA session ({@link EndpointSessions}); otherwise every link has its own session.
 *
 * <p>Loss: the bench steps every reactor's pump at the simulator once a second ({@link
 * StepSequence}); the pump is sampled every 250 ms, so every step must arrive, and a read-back that
 * skips a step is a lost sample.
 *
 * <p>The simulator and the links share the process and its cores, so the CPU figure is for both;
 * the latency includes the simulator's publishing interval alignment (a value sampled just after a
 * publish waits up to one publishing interval).
 */
@Command(
    name = "link",
    mixinStandardHelpOptions = true,
    description =
        "N simulated reactors and N links in one process, optionally on one shared endpoint: sessions, samples/s, loss, latency, CPU, heap.")
public final class BenchLinkCommand implements Callable<Integer> {
  @Option(
      names = "--reactors",
      defaultValue = "64",
      description = "Simulated reactors, one link each (default ${DEFAULT-VALUE}).")
  int reactors;

  @Option(
      names = "--seconds",
      defaultValue = "30",
      description = "Measured time in seconds (default ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--warmup",
      defaultValue = "5",
      description = "Seconds of warm-up before measuring (default ${DEFAULT-VALUE}).")
  int warmupSeconds;

  @Option(
      names = "--layout",
      defaultValue = "SERVER_PER_REACTOR",
      description = "SERVER_PER_REACTOR or SHARED_SERVER (default ${DEFAULT-VALUE}).")
  Layout layout;

  @Option(
      names = "--shared-endpoint",
      description =
          "All reactors on one simulator endpoint and the links sharing one OPC UA session (implies --layout SHARED_SERVER).")
  boolean sharedEndpoint;

  @Mixin ProfileOption profileOption;

  /**
   * A plain flag: picocli's negatable option with default true set it back to true on --no-baseline
   * (the negated form takes the default), so the baseline ran anyway.
   */
  @Option(
      names = "--no-baseline",
      description =
          "Skip phase one, the bare Milo clients with the same subscriptions measured for the same time as the baseline.")
  boolean noBaseline;

  @Option(
      names = "--verbose",
      description = "Keep the per-reactor INFO lines of the simulator and the links.")
  boolean verbose;

  /** Event-loop-confined counters of the measurement (one consumer verticle-less context). */
  private static final class Meter {
    boolean measuring;
    long samples;
    long batches;
    long notGood;
    final LatencySamples latency = new LatencySamples();
    final StepSequence steps = new StepSequence();

    void record(SampleBatch b, Instant arrived) {
      if (!measuring) {
        return;
      }
      batches++;
      for (Sample s : b.samples()) {
        if (s.stale()) {
          continue;
        }
        samples++;
        if (!s.quality().isGood()) {
          notGood++;
        }
        latency.add(s.sourceTime(), arrived);
        if (STEPPED.equals(s.signalId()) && s.quality().isGood()) {
          steps.record(s.reactorId(), s.value());
        }
      }
    }

    double percentileMs(double p) {
      return latency.percentileMs(p);
    }
  }

  /**
   * The actuator the bench steps for the loss count, and how often (4 samples per step at 250 ms).
   */
  static final String STEPPED = "pump";

  static final long STEP_MS = 1000;

  private record Baseline(double perS, double p50Ms, double p99Ms, double cpuPct) {}

  /** Phase (a): what plain Milo clients receive from the same simulators, measured the same way. */
  private Baseline baseline(
      DeviceProfile profile, List<String> ids, Simulator sim, OperatingSystemMXBean os)
      throws Exception {
    double publishingMs =
        DeviceLinkOptions.builder(ids.get(0), profile, sim.endpointUrl(ids.get(0)))
            .build()
            .publishingIntervalMsOrDefault();
    try (BareMiloClients bare =
        sharedEndpoint
            ? BareMiloClients.connectShared(profile, ids, sim.endpointUrl(ids.get(0)), publishingMs)
            : BareMiloClients.connect(profile, ids, sim::endpointUrl, publishingMs)) {
      Thread.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds));
      long cpu0 = os.getProcessCpuTime();
      long wall0 = System.nanoTime();
      bare.measuring(true);
      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
      bare.measuring(false);
      double wallS = (System.nanoTime() - wall0) / 1e9;
      double cpuS = (os.getProcessCpuTime() - cpu0) / 1e9;
      return new Baseline(
          bare.samples() / wallS, bare.percentileMs(50), bare.percentileMs(99), 100 * cpuS / wallS);
    }
  }

  @Override
  public Integer call() throws Exception {
    if (reactors < 1 || seconds < 1 || warmupSeconds < 0) {
      System.err.println(
          "hepaloop bench link: --reactors and --seconds must be >= 1, --warmup >= 0");
      return 2;
    }
    if (!verbose) {
      // 64 × "listening", "connected", "stopped" would bury the figures; warnings still show.
      for (String name : List.of("io.hepaloop.device", "io.hepaloop.sim")) {
        if (org.slf4j.LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger l) {
          l.setLevel(ch.qos.logback.classic.Level.WARN);
        }
      }
    }
    DeviceProfile profile = profileOption.load();
    List<String> ids =
        IntStream.rangeClosed(1, reactors).mapToObj(i -> String.format("r%02d", i)).toList();
    if (sharedEndpoint) {
      layout = Layout.SHARED_SERVER;
    }
    Path pki = Files.createTempDirectory("hepaloop-bench-pki");

    long t0 = System.nanoTime();
    Simulator sim =
        Simulator.start(
            SimulatorOptions.builder()
                .profile(profile)
                .reactorIds(ids)
                .layout(layout)
                .pkiDir(pki.resolve("sim"))
                .allowSignAndEncrypt(false)
                .build());
    double simStartS = (System.nanoTime() - t0) / 1e9;
    ScheduledExecutorService stepper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "bench-link-stepper");
              t.setDaemon(true);
              return t;
            });
    AtomicLong step = new AtomicLong();
    stepper.scheduleAtFixedRate(
        () -> {
          double v = StepSequence.valueOf(step.getAndIncrement());
          for (String id : ids) {
            sim.reactor(id).setActuator(STEPPED, v);
          }
        },
        0,
        STEP_MS,
        TimeUnit.MILLISECONDS);
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Baseline base = noBaseline ? null : baseline(profile, ids, sim, os);
    Vertx vertx = Vertx.vertx();
    Codecs.register(vertx);
    Meter meter = new Meter();
    List<String> deployments = new ArrayList<>();
    try {
      // All consumers on one event loop, so the meter needs no locks.
      vertx.runOnContext(
          v -> {
            for (String id : ids) {
              vertx
                  .eventBus()
                  .<SampleBatch>consumer(
                      Addresses.samples(id), m -> meter.record(m.body(), Instant.now()));
            }
          });
      List<DeviceLink> links = new ArrayList<>();
      long t1 = System.nanoTime();
      List<Future<String>> deploying = new ArrayList<>();
      // Shared: one session for all. Otherwise each link its own, as before shared sessions
      // existed.
      EndpointSessions shared = new EndpointSessions();
      List<EndpointSessions> sessions = new ArrayList<>();
      for (String id : ids) {
        EndpointSessions own = sharedEndpoint ? shared : new EndpointSessions();
        if (sessions.isEmpty() || !sharedEndpoint) {
          sessions.add(own);
        }
        // No controller here: the link beats on its own (see docs/device-link.md, heartbeat).
        DeviceLink link =
            new DeviceLink(
                DeviceLinkOptions.builder(id, profile, sim.endpointUrl(id))
                    .pkiDir(pki.resolve("link"))
                    .heartbeat(DeviceLinkOptions.HeartbeatSource.LINK)
                    .build(),
                own);
        links.add(link);
        deploying.add(vertx.deployVerticle(link, new DeploymentOptions()));
      }
      for (Future<String> f : deploying) {
        deployments.add(f.await(30, TimeUnit.SECONDS));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (links.stream()
          .anyMatch(l -> l.state() == null || l.state().state() != LinkState.State.CONNECTED)) {
        if (System.nanoTime() > deadline) {
          long up =
              links.stream()
                  .filter(l -> l.state() != null && l.state().state() == LinkState.State.CONNECTED)
                  .count();
          System.err.println(
              "hepaloop bench link: only "
                  + up
                  + " of "
                  + reactors
                  + " links connected within 60 s");
          return 1;
        }
        Thread.sleep(50); // the CLI's main thread, not an event loop
      }
      double connectS = (System.nanoTime() - t1) / 1e9;
      Thread.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds));

      MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
      long cpu0 = os.getProcessCpuTime();
      long wall0 = System.nanoTime();
      vertx.runOnContext(v -> meter.measuring = true);
      Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
      Future<Meter> stopped =
          Future.future(
              p ->
                  vertx.runOnContext(
                      v -> {
                        meter.measuring = false;
                        p.complete(meter);
                      }));
      Meter m = stopped.await(10, TimeUnit.SECONDS);
      double wallS = (System.nanoTime() - wall0) / 1e9;
      double cpuS = (os.getProcessCpuTime() - cpu0) / 1e9;
      long heapUsed = mem.getHeapMemoryUsage().getUsed();
      long heapMax = mem.getHeapMemoryUsage().getMax();
      long heapLive = io.hepaloop.bench.HeapFigures.afterLastGcBytes();
      int cores = Runtime.getRuntime().availableProcessors();
      int clientSessions = sessions.stream().mapToInt(EndpointSessions::sessionsOpen).sum();
      Map<String, String> serverOf = new LinkedHashMap<>();
      ids.forEach(id -> serverOf.putIfAbsent(sim.endpointUrl(id), id));
      int serverConnections = serverOf.values().stream().mapToInt(sim::serverConnections).sum();

      System.out.printf(
          "bench link: %d reactors (%s%s), simulator and links in one JVM, %d s measured after %d s warm-up%n",
          reactors,
          layout,
          sharedEndpoint ? ", one shared session" : ", a session per link",
          seconds,
          warmupSeconds);
      System.out.printf(
          "  start-up            : simulator %.1f s, all %d links CONNECTED %.1f s after deploy%n",
          simStartS, reactors, connectS);
      System.out.printf(
          "  sessions used       : %d OPC UA sessions for %d reactors (%d connections at the simulator's %d server%s)%n",
          clientSessions,
          reactors,
          serverConnections,
          serverOf.size(),
          serverOf.size() == 1 ? "" : "s");
      System.out.printf(
          "  samples received    : %,d (%,.0f /s; %,.1f /s per reactor), %,d batches (%,.0f /s), not Good: %d%n",
          m.samples,
          m.samples / wallS,
          m.samples / wallS / reactors,
          m.batches,
          m.batches / wallS,
          m.notGood);
      System.out.printf(
          "  loss                : %,d of %,d pump steps missed (%.3f %%), %,d read back twice%n",
          m.steps.missed(),
          m.steps.seen() + m.steps.missed(),
          m.steps.lossPercent(),
          m.steps.repeated());
      System.out.printf(
          "  latency source→bus  : p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          m.percentileMs(50), m.percentileMs(99), m.percentileMs(100));
      System.out.printf(
          "  process CPU         : %.0f %% of one core (%.0f %% of %d cores)%n",
          100 * cpuS / wallS, 100 * cpuS / wallS / cores, cores);
      System.out.printf(
          "  heap used           : %,d MB at the end, %,d MB after the last GC (max %,d MB)%n",
          heapUsed >> 20, heapLive >> 20, heapMax >> 20);
      if (base != null) {
        double linkPerS = m.samples / wallS;
        double linkCpuPct = 100 * cpuS / wallS;
        System.out.printf(
            "  baseline, same run  : bare Milo clients with the same subscriptions (no conversion, no event bus, no heartbeat), %d s%n",
            seconds);
        System.out.printf(
            "    samples received  : %,.0f /s; latency p50 %.1f ms, p99 %.1f ms; process CPU %.0f %% of one core%n",
            base.perS(), base.p50Ms(), base.p99Ms(), base.cpuPct());
        System.out.printf(
            "  links vs baseline   : samples/s x%.2f, latency p50 %+.1f ms, p99 %+.1f ms, CPU %+.0f %% of one core%n",
            linkPerS / base.perS(),
            m.percentileMs(50) - base.p50Ms(),
            m.percentileMs(99) - base.p99Ms(),
            linkCpuPct - base.cpuPct());
      }
      return 0;
    } finally {
      for (String d : deployments) {
        try {
          vertx.undeploy(d).await(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
          // closing anyway
        }
      }
      vertx.close().await(10, TimeUnit.SECONDS);
      stepper.shutdownNow();
      sim.close();
    }
  }
}
