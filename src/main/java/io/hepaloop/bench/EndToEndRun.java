package io.hepaloop.bench;

import io.hepaloop.app.Codecs;
import io.hepaloop.bus.Addresses;
import io.hepaloop.device.DeviceLink;
import io.hepaloop.device.DeviceLinkOptions;
import io.hepaloop.device.LinkState;
import io.hepaloop.device.SampleBatch;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.SignalSpec;
import io.hepaloop.sim.Layout;
import io.hepaloop.sim.Simulator;
import io.hepaloop.sim.SimulatorOptions;
import io.hepaloop.telemetry.InfluxConfig;
import io.hepaloop.telemetry.InfluxHttp;
import io.hepaloop.telemetry.ProcessCpu;
import io.hepaloop.telemetry.TelemetryMetrics;
import io.hepaloop.telemetry.TelemetryService;
import io.hepaloop.telemetry.TelemetryWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The whole path under load: simulated reactors over real OPC UA → DeviceLinks → event bus →
 * TelemetryService → spool → InfluxDB, counting samples at the link boundary against points stored
 * (by query). Used by {@code hepaloop bench telemetry} and by the end-to-end IT at a small rate.
 *
 * <p>Every signal of the profile is sampled at {@code hz} (the profile's own intervals are 100–500
 * ms; a benchmark wants a known rate), and the simulator ticks at the same rate so each tick feeds
 * each item.
 */
public final class EndToEndRun {
  /**
   * @param nominalPerS items × hz: what the simulator is asked to produce
   * @param receivedInWindow samples the device links delivered on the bus during the measured
   *     window
   * @param receivedSamples samples the device links delivered on the bus in total (connect to stop)
   * @param storedSamples {@code count(quality)} of the {@code sample} measurement afterwards
   */
  public record Result(
      int reactors,
      int items,
      double hz,
      double seconds,
      double nominalPerS,
      long receivedInWindow,
      long receivedSamples,
      long storedSamples,
      long dropped,
      long timestampCollisions,
      long duplicates,
      double jvmCpuPct,
      double influxCpuPct,
      long heapMaxMiB) {
    public double receivedPerS() {
      return receivedInWindow / seconds;
    }

    /** Samples neither stored nor recognised as exact repeats. */
    public long lost() {
      return receivedSamples - duplicates - storedSamples;
    }

    public double lossPct() {
      return receivedSamples == 0 ? 0 : 100.0 * lost() / receivedSamples;
    }
  }

  private EndToEndRun() {}

  private static long samplesTaken(TelemetryMetrics metrics) {
    return (long)
        metrics.registry().find("hepaloop.samples").counters().stream()
            .mapToDouble(c -> c.count())
            .sum();
  }

  /** The profile with every signal sampled every {@code 1000/hz} ms and no deadband. */
  public static DeviceProfile sampledAt(DeviceProfile p, double hz) {
    List<SignalSpec> signals = new ArrayList<>();
    for (SignalSpec s : p.signals()) {
      signals.add(
          new SignalSpec(
              s.id(),
              s.kind(),
              s.description(),
              s.nodeId(),
              s.dataType(),
              s.unit(),
              s.range(),
              s.scaling(),
              1000.0 / hz,
              0.0,
              s.allowed(),
              s.safeValue()));
    }
    return p.withSignals(signals);
  }

  public static Result run(
      DeviceProfile profile,
      int reactors,
      double hz,
      Duration duration,
      InfluxConfig influx,
      long influxdPid,
      Path dataDir,
      java.util.function.Consumer<String> progress)
      throws Exception {
    DeviceProfile fast = sampledAt(profile, hz);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < reactors; i++) {
      ids.add("e" + i);
    }
    Vertx vertx = Vertx.vertx();
    Codecs.register(vertx);
    AtomicLong received = new AtomicLong();
    for (String id : ids) {
      vertx
          .eventBus()
          .<SampleBatch>consumer(
              Addresses.samples(id), m -> received.addAndGet(m.body().samples().size()));
    }
    TelemetryMetrics metrics = TelemetryMetrics.standalone();
    TelemetryService svc =
        TelemetryService.start(
                vertx,
                new TelemetryService.Config(
                    influx,
                    false,
                    dataDir,
                    ids,
                    profile.oxygenSolubilityNmolPerMlMmHg(),
                    TelemetryWriter.Options.defaults()),
                metrics)
            .await();
    long tickMs = Math.max(10, Math.round(1000.0 / hz));
    try (Simulator sim =
        Simulator.start(
            SimulatorOptions.builder()
                .profile(fast)
                .reactorIds(ids)
                .layout(Layout.SHARED_SERVER)
                .tickMs(tickMs)
                .pkiDir(dataDir.resolve("sim-pki"))
                .build())) {
      List<DeviceLink> links = new ArrayList<>();
      List<Future<String>> deployed = new ArrayList<>();
      for (String id : ids) {
        DeviceLink l =
            new DeviceLink(
                DeviceLinkOptions.builder(id, fast, sim.endpointUrl(id))
                    .heartbeat(DeviceLinkOptions.HeartbeatSource.LINK)
                    .build());
        links.add(l);
        deployed.add(vertx.deployVerticle(l));
      }
      Future.all(deployed).await(120, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (links.stream()
              .anyMatch(l -> l.state() == null || l.state().state() != LinkState.State.CONNECTED)
          && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      progress.accept(
          String.format(
              "(c) end-to-end: %d reactors x %d signals at %.0f Hz on one shared OPC UA server, %d links connected",
              reactors,
              fast.signals().size(),
              hz,
              links.stream()
                  .filter(l -> l.state() != null && l.state().state() == LinkState.State.CONNECTED)
                  .count()));
      // measure from a settled start
      long received0 = received.get();
      long cpu0 = ProcessCpu.selfNanos();
      long influxCpu0 = ProcessCpu.ofPidNanos(influxdPid);
      long start = System.nanoTime();
      long heapMax = 0;
      long end = start + duration.toNanos();
      while (System.nanoTime() < end) {
        Thread.sleep(Math.min(1000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        heapMax =
            Math.max(
                heapMax, Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double jvmCpu = (ProcessCpu.selfNanos() - cpu0) / 1e9 / seconds * 100;
      double influxCpu =
          influxdPid > 0
              ? (ProcessCpu.ofPidNanos(influxdPid) - influxCpu0) / 1e9 / seconds * 100
              : -1;
      long receivedInWindow = received.get() - received0;
      // stop the links (no more samples), then everything received must be stored
      for (Future<String> d : deployed) {
        vertx.undeploy(d.result()).await(30, TimeUnit.SECONDS);
      }
      long totalReceived = received.get();
      long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      // every sample the links published must have been taken by the telemetry verticle before it
      // stops
      while (samplesTaken(metrics) < totalReceived && System.nanoTime() < waitUntil) {
        Thread.sleep(10);
      }
      svc.writer().flush(Duration.ofSeconds(120));
      long dropped = svc.writer().dropped();
      svc.stop().await();
      vertx.close().await();
      var r =
          new InfluxHttp(influx, Duration.ofSeconds(120))
              .query("SELECT count(quality) FROM sample")
              .path("results")
              .path(0)
              .path("series")
              .path(0)
              .path("values")
              .path(0)
              .path(1);
      long stored = r.isMissingNode() ? 0 : r.asLong();
      int items = reactors * fast.signals().size();
      return new Result(
          reactors,
          items,
          hz,
          seconds,
          items * hz,
          receivedInWindow,
          totalReceived,
          stored,
          dropped,
          (long) metrics.timestampCollisions(),
          (long) metrics.duplicateSamples(),
          jvmCpu,
          influxCpu,
          heapMax >> 20);
    }
  }
}
