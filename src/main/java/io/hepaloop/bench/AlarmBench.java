package io.hepaloop.bench;

import io.hepaloop.alarm.AlarmDefinition;
import io.hepaloop.api.ApiSecurity;
import io.hepaloop.app.AlarmService;
import io.hepaloop.app.PlantRuntime;
import io.hepaloop.bus.Addresses;
import io.hepaloop.device.LinkState;
import io.hepaloop.device.Sample;
import io.hepaloop.device.SampleBatch;
import io.hepaloop.plant.PlantConfig;
import io.hepaloop.plant.PlantConfigWriter;
import io.hepaloop.plantstate.AlarmJournal;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.sim.Layout;
import io.hepaloop.sim.Simulator;
import io.hepaloop.sim.SimulatorOptions;
import io.hepaloop.store.Store;
import io.hepaloop.telemetry.ProcessCpu;
import io.hepaloop.time.SystemClock;
import io.hepaloop.users.ApiTokens;
import io.hepaloop.users.Role;
import io.hepaloop.users.Sessions;
import io.hepaloop.users.Users;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The alarm path under load, end to end: N simulated reactors over real OPC UA, the whole
 * controller side in this process ({@link PlantRuntime}: links, loops, telemetry spool, alarm
 * service with its journal in the database, the command API behind its real guard), and a client of
 * {@code GET /api/stream} over HTTP with an API token. Used by {@code hepaloop bench alarms} and
 * its IT.
 *
 * <p>Every reactor gets the {@link BenchAlarm}s (on-delay 0) next to its profile's alarms; the
 * simulator spikes their sensors once per {@code period}, staggered across reactors, for {@code
 * spike}, so each period crosses and clears every bench alarm once. The bench watches the same
 * samples on the event bus and records, for each crossing, the SourceTimestamp of the first sample
 * past the limit and its arrival on the bus; the {@link AlarmLedger} pairs it with the {@code
 * alarm} event that arrives on the stream.
 */
public final class AlarmBench {
  private AlarmBench() {}

  /**
   * @param sharedEndpoint one simulator server for all reactors (one OPC UA session); otherwise a
   *     server and a session per reactor
   * @param period how often each reactor's bench alarms are crossed
   * @param spike how long each crossing lasts (simulated = real time here)
   * @param workDir the plant's data directory (database, spool, PKI); the caller removes it
   */
  public record Options(
      Path profilePath,
      int reactors,
      boolean sharedEndpoint,
      Duration warmup,
      Duration measured,
      Duration period,
      Duration spike,
      Path workDir,
      Consumer<String> progress) {
    public Options {
      if (reactors < 1) {
        throw new IllegalArgumentException("reactors must be >= 1, got " + reactors);
      }
      if (measured.isZero() || measured.isNegative() || warmup.isNegative()) {
        throw new IllegalArgumentException("measured time must be > 0 and warm-up >= 0");
      }
      if (spike.compareTo(Duration.ofMillis(600)) < 0
          || spike.multipliedBy(2).compareTo(period) > 0) {
        throw new IllegalArgumentException(
            "spike must last >= 600 ms (the slowest bench signal is sampled every 500 ms) and at"
                + " most half the period, got spike "
                + spike.toMillis()
                + " ms, period "
                + period.toMillis()
                + " ms");
      }
    }
  }

  /**
   * @param pairs the crossings of the measured window with their activations
   * @param crossingsMeasured crossings recorded in the measured window
   * @param missed crossings of the whole run (warm-up included) with no activation after the drain
   * @param duplicates bench-alarm activations of the whole run that no crossing explains
   * @param otherActivations activations of the profiles' own alarms seen on the stream
   * @param framesInWindow SSE frames received in the measured window, by event type
   * @param streamReconnects how often the server closed the stream (it drops a client that falls
   *     behind) and the client resumed it with {@code Last-Event-ID}
   */
  public record Result(
      int reactors,
      boolean sharedEndpoint,
      double startupS,
      double measuredS,
      List<AlarmLedger.Pair> pairs,
      long crossingsMeasured,
      long crossingsTotal,
      long activationsTotal,
      long missed,
      long duplicates,
      long otherActivations,
      Map<String, Long> framesInWindow,
      double cpuPctOfOneCore,
      long heapUsedBytes,
      long heapAfterGcBytes,
      long heapMaxBytes,
      int streamReconnects) {
    public long framesTotal() {
      return framesInWindow.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  public static Result run(Options o) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= o.reactors(); i++) {
      ids.add(String.format("r%02d", i));
    }
    long t0 = System.nanoTime();
    Simulator sim =
        Simulator.start(
            SimulatorOptions.builder()
                .profile(ProfileLoader.load(o.profilePath()))
                .reactorIds(ids)
                .layout(o.sharedEndpoint() ? Layout.SHARED_SERVER : Layout.SERVER_PER_REACTOR)
                .allowSignAndEncrypt(false)
                .pkiDir(o.workDir().resolve("sim-pki"))
                .build());
    try (Store store = Store.open(o.workDir())) {
      ApiSecurity security =
          new ApiSecurity(
              new Users(store, SystemClock.INSTANCE),
              new Sessions(store, SystemClock.INSTANCE, Sessions.Policy.DEFAULT),
              new ApiTokens(store, SystemClock.INSTANCE),
              SystemClock.INSTANCE,
              null,
              false);
      String token = benchToken(security);
      Map<String, String> endpoints = new LinkedHashMap<>();
      ids.forEach(id -> endpoints.put(id, sim.endpointUrl(id)));
      PlantConfig config =
          PlantConfigWriter.writeSimulated(
              o.workDir().resolve("hepaloop.yaml"), o.workDir(), o.profilePath(), endpoints);
      AlarmService.Setup setup = setup(config, ids);
      // The journal as demo and serve keep it: every transition written to the database.
      try (AlarmJournal journal =
              new AlarmJournal(store, SystemClock.INSTANCE, setup.definitions());
          PlantRuntime plant =
              PlantRuntime.start(
                  new PlantRuntime.Options(
                      config,
                      o.workDir(),
                      "bench-alarms",
                      null,
                      false,
                      "127.0.0.1",
                      0,
                      SystemClock.INSTANCE,
                      security),
                  setup.withJournal(journal::record))) {
        plant.mountApi(plant.http().guard(), plant.alarms().access());
        return measure(o, ids, sim, plant, token, t0);
      }
    } finally {
      sim.close();
    }
  }

  /** The profiles' alarms and the bench alarms of every reactor. */
  private static AlarmService.Setup setup(PlantConfig config, List<String> ids) {
    AlarmService.Setup s = PlantRuntime.alarmSetup(config);
    List<AlarmDefinition> all = new ArrayList<>(s.definitions());
    for (String id : ids) {
      BenchAlarm.DEFAULT.forEach(a -> all.add(a.definition(id)));
    }
    return new AlarmService.Setup(
        all, s.maxShelve(), s.tick(), s.notifications(), s.journal(), s.restored());
  }

  /** A viewer and an API token for the bench, as a script's owner would make them. */
  private static String benchToken(ApiSecurity security) {
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    char[] password = Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray();
    security.users().add("bench", "Alarms benchmark", Role.VIEWER, password, false);
    return security.tokens().create("bench", "bench alarms", null).secret();
  }

  private static Result measure(
      Options o, List<String> ids, Simulator sim, PlantRuntime plant, String token, long t0)
      throws Exception {
    AlarmLedger ledger = new AlarmLedger();
    Map<String, Double> lastValue = new ConcurrentHashMap<>();
    watchCrossings(plant, ids, ledger, lastValue);
    AtomicLong otherActivations = new AtomicLong();
    Map<String, BenchAlarm> byId = new HashMap<>();
    BenchAlarm.DEFAULT.forEach(a -> byId.put(a.id(), a));
    awaitConnected(plant, ids);
    awaitNormal(ids, lastValue);
    try (SseReader stream =
        SseReader.connect(
            plant.httpPort(),
            token,
            (type, data, arrived) ->
                onFrame(type, data, arrived, byId, ledger, otherActivations))) {
      double startupS = (System.nanoTime() - t0) / 1e9;
      o.progress()
          .accept(
              String.format(
                  "bench alarms: %d reactors connected and on the stream after %.1f s; crossing"
                      + " every bench alarm once per %d ms per reactor",
                  ids.size(), startupS, o.period().toMillis()));
      ScheduledExecutorService spikes = startSpikes(o, ids, sim);
      try {
        Thread.sleep(o.warmup().toMillis());
        Map<String, Long> frames0 = stream.framesByType();
        long cpu0 = ProcessCpu.selfNanos();
        long wall0 = System.nanoTime();
        ledger.measuring(true);
        Thread.sleep(o.measured().toMillis());
        ledger.measuring(false);
        double wallS = (System.nanoTime() - wall0) / 1e9;
        double cpuS = (ProcessCpu.selfNanos() - cpu0) / 1e9;
        Map<String, Long> frames = minus(stream.framesByType(), frames0);
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        spikes.shutdownNow();
        spikes.awaitTermination(10, TimeUnit.SECONDS);
        drain(ledger, o.spike());
        return new Result(
            ids.size(),
            o.sharedEndpoint(),
            startupS,
            wallS,
            ledger.measured(),
            ledger.crossingsMeasured(),
            ledger.crossingsTotal(),
            ledger.activationsTotal(),
            ledger.unpairedCrossings(),
            ledger.unpairedActivations(),
            otherActivations.get(),
            frames,
            100 * cpuS / wallS,
            heap.getUsed(),
            HeapFigures.afterLastGcBytes(),
            heap.getMax(),
            stream.reconnects());
      } finally {
        spikes.shutdownNow();
      }
    }
  }

  /**
   * An {@code alarm} frame that is an activation goes to the ledger (bench alarms) or is counted.
   */
  private static void onFrame(
      String type,
      String data,
      Instant arrived,
      Map<String, BenchAlarm> byId,
      AlarmLedger ledger,
      AtomicLong otherActivations) {
    if (!"alarm".equals(type)) {
      return;
    }
    JsonObject t = new JsonObject(data);
    if (!"UNACK_ACTIVE".equals(t.getString("to")) || "ACK_ACTIVE".equals(t.getString("from"))) {
      return; // not an activation
    }
    if (byId.containsKey(t.getString("alarmId"))) {
      ledger.activation(t.getString("reactorId"), t.getString("alarmId"), arrived);
    } else {
      otherActivations.incrementAndGet();
    }
  }

  /**
   * The bench's own view of the samples, on one context of the plant's Vert.x: the engine's rule
   * per bench alarm ({@link BenchAlarm#active}); each change to active is a crossing.
   */
  private static void watchCrossings(
      PlantRuntime plant, List<String> ids, AlarmLedger ledger, Map<String, Double> lastValue)
      throws Exception {
    Map<String, Boolean> active = new HashMap<>(); // confined to the consumers' context
    var ready = new ArrayList<io.vertx.core.Future<Void>>();
    io.vertx.core.Promise<Void> registered = io.vertx.core.Promise.promise();
    plant
        .vertx()
        .runOnContext(
            v -> {
              for (String id : ids) {
                var c =
                    plant
                        .vertx()
                        .eventBus()
                        .<SampleBatch>localConsumer(
                            Addresses.samples(id),
                            m -> onSamples(m.body(), Instant.now(), active, ledger, lastValue));
                ready.add(c.completion());
              }
              io.vertx.core.Future.all(ready).onComplete(x -> registered.complete());
            });
    registered.future().await(30, TimeUnit.SECONDS);
  }

  private static void onSamples(
      SampleBatch batch,
      Instant arrived,
      Map<String, Boolean> active,
      AlarmLedger ledger,
      Map<String, Double> lastValue) {
    for (Sample s : batch.samples()) {
      for (BenchAlarm a : BenchAlarm.DEFAULT) {
        if (!a.signal().equals(s.signalId())) {
          continue;
        }
        String key = s.reactorId() + "/" + a.id();
        boolean was = active.getOrDefault(key, false);
        boolean now = a.active(was, s);
        active.put(key, now);
        if (now && !was) {
          ledger.crossing(s.reactorId(), a.id(), s.sourceTime(), arrived);
        }
        if (s.usable()) {
          lastValue.put(key, s.value());
        }
      }
    }
  }

  private static void awaitConnected(PlantRuntime plant, List<String> ids)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      long up =
          ids.stream()
              .map(plant::linkState)
              .filter(s -> s != null && s.state() == LinkState.State.CONNECTED)
              .count();
      if (up == ids.size()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + up + " of " + ids.size() + " links connected within 120 s");
      }
      Thread.sleep(50); // the caller's thread, not an event loop
    }
  }

  /**
   * Waits until every reactor reported every bench signal on the normal side, with margin, and
   * where a spike crosses the limit: a reading near a bench limit would cross by noise and blur the
   * count; one too far away would not cross at all.
   */
  private static void awaitNormal(List<String> ids, Map<String, Double> lastValue)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      List<String> notYet = new ArrayList<>();
      for (String id : ids) {
        for (BenchAlarm a : BenchAlarm.DEFAULT) {
          Double v = lastValue.get(id + "/" + a.id());
          if (v == null || !a.clearlyNormal(v) || !a.crossedBySpike(v)) {
            notYet.add(id + " " + a.signal() + "=" + (v == null ? "no value yet" : v));
          }
        }
      }
      if (notYet.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "bench signals not where a spike crosses their bench limit and the end of it clears"
                + " it, after 60 s: "
                + String.join(", ", notYet.subList(0, Math.min(8, notYet.size())))
                + (notYet.size() > 8 ? " ..." : ""));
      }
      Thread.sleep(100);
    }
  }

  /** Spikes one reactor's bench signals every period/N, round robin: each reactor once a period. */
  private static ScheduledExecutorService startSpikes(Options o, List<String> ids, Simulator sim) {
    ScheduledExecutorService spikes =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "bench-alarms-spikes");
              t.setDaemon(true);
              return t;
            });
    AtomicLong next = new AtomicLong();
    double spikeS = o.spike().toMillis() / 1000.0;
    spikes.scheduleAtFixedRate(
        () -> {
          String id = ids.get((int) (next.getAndIncrement() % ids.size()));
          for (BenchAlarm a : BenchAlarm.DEFAULT) {
            sim.reactor(id).sensorSpike(a.signal(), a.spikeInUnits(), spikeS);
          }
        },
        0,
        Math.max(1, o.period().toNanos() / ids.size()),
        TimeUnit.NANOSECONDS);
    return spikes;
  }

  /** Waits for the last crossings' activations (and the last activations' crossings). */
  private static void drain(AlarmLedger ledger, Duration spike) throws InterruptedException {
    long deadline = System.nanoTime() + spike.toNanos() + TimeUnit.SECONDS.toNanos(10);
    while ((ledger.unpairedCrossings() > 0 || ledger.unpairedActivations() > 0)
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  private static Map<String, Long> minus(Map<String, Long> now, Map<String, Long> before) {
    Map<String, Long> out = new java.util.TreeMap<>();
    now.forEach((k, v) -> out.put(k, v - before.getOrDefault(k, 0L)));
    return out;
  }
}
