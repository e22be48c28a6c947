package io.hepaloop.cli;

import io.hepaloop.app.Codecs;
import io.hepaloop.bench.EndToEndRun;
import io.hepaloop.bus.Addresses;
import io.hepaloop.core.Quality;
import io.hepaloop.device.Sample;
import io.hepaloop.device.SampleBatch;
import io.hepaloop.telemetry.InfluxConfig;
import io.hepaloop.telemetry.InfluxHttp;
import io.hepaloop.telemetry.LineBuilder;
import io.hepaloop.telemetry.LocalInfluxd;
import io.hepaloop.telemetry.ProcessCpu;
import io.hepaloop.telemetry.TelemetryMetrics;
import io.hepaloop.telemetry.TelemetrySchema;
import io.hepaloop.telemetry.TelemetryService;
import io.hepaloop.telemetry.TelemetryWriter;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hepaloop bench telemetry}: against one private influxd, (a) the server's raw ceiling with
 * pre-built line protocol posted in 10k-line batches over two connections, then (b) HepaLoop's path
 * — 64 reactors' SampleBatches on the event bus → TelemetryService → spool (fsync) → InfluxDB — for
 * at least a minute. Both phases write the same line shape (sample points), so the ratio is the
 * cost of HepaLoop's path. Loss is counted by querying InfluxDB, not by trusting counters.
 */
@Command(
    name = "telemetry",
    mixinStandardHelpOptions = true,
    description =
        "InfluxDB raw ceiling vs HepaLoop's writer, and end-to-end OPC UA to InfluxDB capacity.")
public final class BenchTelemetryCommand implements Callable<Integer> {
  private static final String[] SIGNALS = {
    "temperature", "do_inlet", "do_outlet", "flow", "pressure_inlet", "heater", "gas_o2", "pump"
  };

  @Option(
      names = "--reactors",
      defaultValue = "64",
      description = "Reactors feeding the writer. Default: ${DEFAULT-VALUE}.")
  int reactors;

  @Option(
      names = "--seconds",
      defaultValue = "60",
      description =
          "Duration of the writer phase (0 = skip the raw and writer phases). Default: ${DEFAULT-VALUE}.")
  int seconds;

  @Option(
      names = "--raw-points",
      defaultValue = "1000000",
      description =
          "Pre-built points, cycled through 20 retention policies during the raw phase. Default: ${DEFAULT-VALUE}.")
  int rawPoints;

  @Option(
      names = "--batch",
      defaultValue = "10000",
      description = "Lines per raw POST. Default: ${DEFAULT-VALUE}.")
  int rawBatch;

  @Option(
      names = "--e2e-reactors",
      defaultValue = "64",
      description =
          "Simulated reactors in the end-to-end phase (0 = skip). Default: ${DEFAULT-VALUE}.")
  int e2eReactors;

  @Option(
      names = "--e2e-hz",
      defaultValue = "80",
      description =
          "Sampling rate of every signal in the end-to-end phase. OPC UA only sends a value when it changed (the constant actuator read-backs and quantised sensors do not, each tick), so 64 x 9 x 80 Hz asks for 46,080 and delivers about half. Default: ${DEFAULT-VALUE}.")
  double e2eHz;

  @Option(
      names = "--e2e-seconds",
      defaultValue = "60",
      description = "Duration of the end-to-end phase (0 = skip). Default: ${DEFAULT-VALUE}.")
  int e2eSeconds;

  @Mixin ProfileOption profile;

  @Override
  public Integer call() throws Exception {
    if (!LocalInfluxd.isInstalled()) {
      System.err.println(
          "hepaloop bench telemetry: influxd is not installed (apt-get install influxdb)");
      return 1;
    }
    Path tmp = Files.createTempDirectory("hepaloop-bench-telemetry-");
    try (LocalInfluxd influxd = LocalInfluxd.launchIn(tmp.resolve("influxd"))) {
      System.out.printf(
          "hepaloop bench telemetry: influxd %s, %d cores, JVM max heap %d MiB%n",
          influxd.url(),
          Runtime.getRuntime().availableProcessors(),
          Runtime.getRuntime().maxMemory() >> 20);
      boolean ok = true;
      if (seconds > 0) {
        // the ceiling before and after the writer: influxd's compactions and its growing data land
        // in
        // whichever phase they land in, so one ceiling alone moved the ratio between 0.72 and 1.00
        // here
        double rawBefore = rawCeiling(influxd, "before");
        WriterResult w = writerPhase(influxd, tmp);
        double rawAfter = rawCeiling(influxd, "after");
        double raw = (rawBefore + rawAfter) / 2;
        System.out.println();
        System.out.printf(
            "RESULT raw ceiling      : %,10.0f points/s  (mean of %,.0f before and %,.0f after the writer; pre-built line protocol, %,d-line batches, 2 connections, sustained %d s each)%n",
            raw, rawBefore, rawAfter, rawBatch, seconds);
        System.out.printf(
            "RESULT HepaLoop writer  : %,10.0f points/s  (%d reactors x %d signals, %d s, batch %d, spool fsync per batch)%n",
            w.pointsPerS,
            reactors,
            SIGNALS.length,
            seconds,
            TelemetryWriter.Options.defaults().batchSize());
        System.out.printf("RESULT ratio            : %.2f (goal >= 0.8)%n", w.pointsPerS / raw);
        System.out.printf(
            "RESULT loss             : produced %,d samples, stored %,d, lost %,d (%.4f %%), dropped counter %d, quarantined %d%n",
            w.produced,
            w.stored,
            w.produced - w.stored,
            100.0 * (w.produced - w.stored) / Math.max(1, w.produced),
            w.dropped,
            w.quarantined);
        System.out.printf(
            "RESULT CPU (writer phase): HepaLoop JVM %.0f %% of a core, influxd %.0f %% of a core; heap max %d MiB%n",
            w.jvmCpuPct, w.influxCpuPct, w.heapMaxMiB);
        ok = w.produced == w.stored && w.dropped == 0;
      }
      if (e2eReactors > 0 && e2eSeconds > 0) {
        EndToEndRun.Result e =
            EndToEndRun.run(
                profile.load(),
                e2eReactors,
                e2eHz,
                Duration.ofSeconds(e2eSeconds),
                InfluxConfig.local(influxd.url(), "bench_e2e"),
                influxd.pid(),
                tmp.resolve("e2e"),
                System.out::println);
        System.out.printf(
            "RESULT end-to-end        : %d reactors x %d signals sampled at %.0f Hz over OPC UA (items x Hz = %,.0f/s; unchanged values are not sent): links delivered %,.0f samples/s for %.0f s%n",
            e.reactors(),
            e.items() / e.reactors(),
            e.hz(),
            e.nominalPerS(),
            e.receivedPerS(),
            e.seconds());
        System.out.printf(
            "RESULT end-to-end loss   : delivered by links %,d (of which %,d exact repeats after resubscription), stored %,d, lost %,d (%.4f %%), dropped counter %d, same-timestamp pairs kept %d%n",
            e.receivedSamples(),
            e.duplicates(),
            e.storedSamples(),
            e.lost(),
            e.lossPct(),
            e.dropped(),
            e.timestampCollisions());
        System.out.printf(
            "RESULT end-to-end CPU    : one JVM (simulators + links + writer) %.0f %% of a core, influxd %.0f %% of a core; heap max %d MiB%n",
            e.jvmCpuPct(), e.influxCpuPct(), e.heapMaxMiB());
        ok &= e.lost() == 0 && e.dropped() == 0;
      }
      return ok ? 0 : 3;
    } finally {
      deleteTree(tmp);
    }
  }

  // ------------------------------------------------------------------ (a) raw ceiling

  /**
   * Posts pre-built line protocol for as long as the writer phase runs, over two connections. The
   * same pre-built batches are cycled through 20 retention policies (separate shards), so every
   * post adds new points rather than overwriting, and the ceiling is a sustained one, comparable
   * with the writer's.
   */
  private double rawCeiling(LocalInfluxd influxd, String when) throws Exception {
    InfluxConfig cfg = InfluxConfig.local(influxd.url(), "bench_raw");
    InfluxHttp http = new InfluxHttp(cfg, Duration.ofSeconds(60));
    http.query("CREATE DATABASE bench_raw");
    int rps = 20;
    for (int i = 0; i < rps; i++) {
      http.query("CREATE RETENTION POLICY \"c" + i + "\" ON bench_raw DURATION INF REPLICATION 1");
    }
    System.out.printf(
        "(a) raw ceiling %s: building %,d sample lines in %,d-line batches, posting them for %d s ...%n",
        when, rawPoints, rawBatch, seconds);
    List<byte[]> batches = new ArrayList<>();
    long t0 = LineBuilder.epochNanos(Instant.now().minusSeconds(3600));
    int n = 0;
    while (n < rawPoints) {
      StringBuilder sb = new StringBuilder(rawBatch * 130);
      int lines = 0;
      for (; lines < rawBatch && n < rawPoints; lines++, n++) {
        sb.append(sampleLine(n, t0)).append('\n');
      }
      batches.add(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
    AtomicLong next = new AtomicLong();
    AtomicLong posted = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    long cpu0 = ProcessCpu.ofPidNanos(influxd.pid());
    long start = System.nanoTime();
    long end = start + Duration.ofSeconds(seconds).toNanos();
    Thread[] conns = new Thread[2];
    for (int c = 0; c < conns.length; c++) {
      InfluxHttp own =
          new InfluxHttp(cfg, Duration.ofSeconds(60)); // own HttpClient: its own connection
      conns[c] =
          new Thread(
              () -> {
                while (System.nanoTime() < end) {
                  long i = next.getAndIncrement();
                  byte[] b = batches.get((int) (i % batches.size()));
                  if (own.write("c" + ((i / batches.size()) % rps), b).ok()) {
                    posted.addAndGet(rawBatch);
                  } else {
                    failures.incrementAndGet();
                  }
                }
              },
              "raw-" + c);
      conns[c].start();
    }
    for (Thread t : conns) {
      t.join();
    }
    double s = (System.nanoTime() - start) / 1e9;
    double influxCpu = (ProcessCpu.ofPidNanos(influxd.pid()) - cpu0) / 1e9 / s * 100;
    System.out.printf(
        "(a) raw ceiling %s: %,d points in %.1f s = %,.0f points/s over 2 connections (failed posts %d, influxd CPU %.0f %%)%n",
        when, posted.get(), s, posted.get() / s, failures.get(), influxCpu);
    http.query("DROP DATABASE bench_raw");
    return posted.get() / s;
  }

  private String sampleLine(long n, long t0) {
    int reactor = (int) (n % reactors);
    String signal = SIGNALS[(int) ((n / reactors) % SIGNALS.length)];
    long step = n / ((long) reactors * SIGNALS.length);
    return TelemetrySchema.sample(
        new Sample(
            "r" + reactor,
            signal,
            37.0 + (n % 1000) * 0.001,
            "",
            Instant.ofEpochSecond(0, t0 + step * 1_000_000L),
            Quality.GOOD),
        "bench");
  }

  // ------------------------------------------------------------------ (b) HepaLoop's writer

  private record WriterResult(
      double pointsPerS,
      long produced,
      long stored,
      long dropped,
      long quarantined,
      double jvmCpuPct,
      double influxCpuPct,
      long heapMaxMiB) {}

  private WriterResult writerPhase(LocalInfluxd influxd, Path tmp) throws Exception {
    Vertx vertx = Vertx.vertx();
    Codecs.register(vertx);
    InfluxConfig cfg = InfluxConfig.local(influxd.url(), "bench_writer");
    List<String> ids = new ArrayList<>();
    for (int r = 0; r < reactors; r++) {
      ids.add("r" + r);
    }
    TelemetryMetrics metrics = TelemetryMetrics.standalone();
    TelemetryService svc =
        TelemetryService.start(
                vertx,
                new TelemetryService.Config(
                    cfg, false, tmp.resolve("data"), ids, 1.3, TelemetryWriter.Options.defaults()),
                metrics)
            .await();
    TelemetryWriter w = svc.writer();
    System.out.printf(
        "(b) HepaLoop writer: %d reactors publishing SampleBatches of %d signals on the event bus for %d s ...%n",
        reactors, SIGNALS.length, seconds);
    long t0 = LineBuilder.epochNanos(Instant.now().minusSeconds(3600));
    long produced = 0;
    long heapMax = 0;
    long cpuJvm0 = ProcessCpu.selfNanos();
    long cpuInflux0 = ProcessCpu.ofPidNanos(influxd.pid());
    long start = System.nanoTime();
    long end = start + Duration.ofSeconds(seconds).toNanos();
    long nextReport = start + 10_000_000_000L;
    long step = 0;
    while (System.nanoTime() < end) {
      // back-pressure on the producer only: at most ~20 batches' worth of samples between producer
      // and InfluxDB
      // (bus included), so the figure is what the path sustains, not how fast the bus queue can
      // grow
      while (produced - w.delivered() > 200_000 && System.nanoTime() < end) {
        Thread.onSpinWait();
        Thread.sleep(1);
      }
      Instant t = Instant.ofEpochSecond(0, t0 + step * 1_000_000L);
      for (int r = 0; r < reactors; r++) {
        String id = ids.get(r);
        List<Sample> samples = new ArrayList<>(SIGNALS.length);
        for (String s : SIGNALS) {
          samples.add(new Sample(id, s, 37.0 + (step % 1000) * 0.001, "", t, Quality.GOOD));
        }
        vertx.eventBus().publish(Addresses.samples(id), new SampleBatch(id, samples));
        produced += SIGNALS.length;
      }
      step++;
      if (System.nanoTime() > nextReport) {
        heapMax =
            Math.max(heapMax, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        System.out.printf(
            "    %3.0f s: produced %,d, stored %,d, spool %,d points%n",
            (System.nanoTime() - start) / 1e9, produced, w.delivered(), w.spoolPendingPoints());
        nextReport += 10_000_000_000L;
      }
    }
    long producedFinal = produced;
    // wait until the bus delivered everything (OUR points come on top: flow, do_inlet, do_outlet
    // are fed)
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline && samplesReceived(metrics) < producedFinal) {
      Thread.sleep(10);
    }
    boolean flushed = w.flush(Duration.ofSeconds(120));
    double s = (System.nanoTime() - start) / 1e9;
    double jvmCpu = (ProcessCpu.selfNanos() - cpuJvm0) / 1e9 / s * 100;
    double influxCpu = (ProcessCpu.ofPidNanos(influxd.pid()) - cpuInflux0) / 1e9 / s * 100;
    heapMax = Math.max(heapMax, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    long delivered = w.delivered();
    long dropped = w.dropped();
    long quarantined = w.quarantined();
    svc.stop().await();
    vertx.close().await();
    InfluxHttp http = new InfluxHttp(cfg, Duration.ofSeconds(120));
    long stored = count(http, "SELECT count(quality) FROM sample");
    System.out.printf(
        "(b) HepaLoop writer: %,d samples (+%,d derived OUR points) delivered in %.1f s = %,.0f points/s (flushed: %s)%n",
        stored, delivered - stored, s, delivered / s, flushed);
    return new WriterResult(
        delivered / s,
        producedFinal,
        stored,
        dropped,
        quarantined,
        jvmCpu,
        influxCpu,
        heapMax >> 20);
  }

  /** Samples the telemetry verticle has taken from the bus (and submitted to the writer). */
  private static long samplesReceived(TelemetryMetrics metrics) {
    return (long)
        metrics.registry().find("hepaloop.samples").counters().stream()
            .mapToDouble(c -> c.count())
            .sum();
  }

  private static long count(InfluxHttp http, String q) {
    var v =
        http.query(q).path("results").path(0).path("series").path(0).path("values").path(0).path(1);
    return v.isMissingNode() ? 0 : v.asLong();
  }

  private static void deleteTree(Path p) {
    try (var s = Files.walk(p)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (Exception ignored) {
      // best effort
    }
  }
}
