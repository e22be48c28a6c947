package io.hepaloop.cli;

import io.hepaloop.bench.AlarmBench;
import io.hepaloop.bench.AlarmLedger;
import io.hepaloop.bench.BenchAlarm;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hepaloop bench alarms}: N simulated reactors and the whole controller side in one process
 * ({@link AlarmBench}); sensor spikes at the simulator cross alarm limits over and over, and a
 * client of the SSE stream measures how long each activation takes from the device timestamp of the
 * crossing sample to its {@code alarm} event. Prints activations, misses and duplicates, latency
 * percentiles, the stream's event rate, CPU and heap, and as the baseline the same crossing
 * samples' latency to the event bus (what the link alone costs).
 *
 * <p>Exit status 1 when a crossing had no activation, or an activation no crossing: the alarm
 * system lost or invented one. The latency goal is printed as met or not. A stream the server drops
 * (the client fell behind) is resumed with {@code Last-Event-ID}, as a client would, and counted.
 */
@Command(
    name = "alarms",
    mixinStandardHelpOptions = true,
    description =
        "N simulated reactors with the whole controller side and the SSE stream in one process:"
            + " alarm latency from device timestamp to the stream, misses, events/s, CPU, heap.")
public final class BenchAlarmsCommand implements Callable<Integer> {
  /** The goal: p99 from the crossing's device timestamp to the SSE event. */
  static final double GOAL_P99_MS = 250;

  static final int GOAL_REACTORS = 64;

  @Option(
      names = "--reactors",
      defaultValue = "64",
      description = "Simulated reactors (default ${DEFAULT-VALUE}).")
  int reactors;

  @Option(
      names = "--seconds",
      defaultValue = "30",
      description = "Measured time in seconds (default ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--warmup",
      defaultValue = "5",
      description = "Seconds of crossings before measuring (default ${DEFAULT-VALUE}).")
  int warmupSeconds;

  @Option(
      names = "--period-ms",
      defaultValue = "2000",
      description =
          "Each reactor's bench alarms are crossed once per period, staggered across reactors"
              + " (default ${DEFAULT-VALUE}).")
  long periodMs;

  @Option(
      names = "--spike-ms",
      defaultValue = "1000",
      description =
          "How long each crossing lasts, at most half the period (default ${DEFAULT-VALUE}).")
  long spikeMs;

  /**
   * By default all reactors sit on one simulator endpoint (a gateway; the plant shares one OPC UA
   * session): 64 Milo servers in the same process would cost more CPU than the controller side
   * being measured.
   */
  @Option(
      names = "--server-per-reactor",
      description =
          "A simulator server and an OPC UA session per reactor (default: one shared endpoint and"
              + " session, as with bench link --shared-endpoint).")
  boolean serverPerReactor;

  @Mixin ProfileOption profileOption;

  @Option(
      names = "--verbose",
      description = "Keep the INFO lines of the simulator, links, loops and telemetry.")
  boolean verbose;

  PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    if (reactors < 1 || seconds < 1 || warmupSeconds < 0) {
      System.err.println(
          "hepaloop bench alarms: --reactors and --seconds must be >= 1, --warmup >= 0");
      return 2;
    }
    if (!verbose) {
      // Every spike is an INFO line at the simulator; 64 reactors' start-up lines would bury the
      // figures. Warnings still show, but not Milo's stack traces of sessions closing at shutdown.
      for (String name :
          List.of(
              "io.hepaloop.device",
              "io.hepaloop.sim",
              "io.hepaloop.control",
              "io.hepaloop.app",
              "io.hepaloop.telemetry")) {
        if (org.slf4j.LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger l) {
          l.setLevel(ch.qos.logback.classic.Level.WARN);
        }
      }
      if (org.slf4j.LoggerFactory.getLogger("org.eclipse.milo")
          instanceof ch.qos.logback.classic.Logger l) {
        l.setLevel(ch.qos.logback.classic.Level.ERROR);
      }
    }
    AlarmBench.Options options;
    Path work = Files.createTempDirectory("hepaloop-bench-alarms");
    try {
      try {
        options =
            new AlarmBench.Options(
                profileOption.path(),
                reactors,
                !serverPerReactor,
                Duration.ofSeconds(warmupSeconds),
                Duration.ofSeconds(seconds),
                Duration.ofMillis(periodMs),
                Duration.ofMillis(spikeMs),
                work,
                out::println);
      } catch (IllegalArgumentException e) {
        System.err.println("hepaloop bench alarms: " + e.getMessage());
        return 2;
      }
      AlarmBench.Result r = AlarmBench.run(options);
      print(r, warmupSeconds, out);
      return r.missed() == 0 && r.duplicates() == 0 ? 0 : 1;
    } finally {
      deleteTree(work);
    }
  }

  /** The figures of one run. */
  static void print(AlarmBench.Result r, int warmupSeconds, PrintStream out) {
    LatencySamples total = new LatencySamples();
    LatencySamples link = new LatencySamples();
    LatencySamples alarmPath = new LatencySamples();
    for (AlarmLedger.Pair p : r.pairs()) {
      total.add(p.source(), p.onStream());
      link.add(p.source(), p.onBus());
      alarmPath.add(p.onBus(), p.onStream());
    }
    int cores = Runtime.getRuntime().availableProcessors();
    out.printf(
        "bench alarms: %d reactors (%s), controller side and SSE client in one JVM, %.0f s measured"
            + " after %d s warm-up%n",
        r.reactors(),
        r.sharedEndpoint()
            ? "one shared simulator endpoint and OPC UA session"
            : "a simulator server and an OPC UA session per reactor",
        r.measuredS(),
        warmupSeconds);
    out.printf(
        "  bench alarms        : %s, on-delay 0, crossed by sensor spikes at the simulator%n",
        String.join(
            ", ",
            BenchAlarm.DEFAULT.stream()
                .map(a -> a.id() + " (" + a.kind() + " " + a.signal() + " " + a.limit() + ")")
                .toList()));
    out.printf(
        "  activations         : %,d measured (%,d crossings in the window); whole run %,d"
            + " crossings, %,d activations%n",
        r.pairs().size(), r.crossingsMeasured(), r.crossingsTotal(), r.activationsTotal());
    out.printf(
        "  misses / duplicates : %d crossings without activation, %d activations without"
            + " crossing%s%s%n",
        r.missed(),
        r.duplicates(),
        r.missed() == 0 && r.duplicates() == 0 ? " (none missed)" : " (ALARMS LOST OR INVENTED)",
        r.streamReconnects() == 0
            ? ""
            : "; the server dropped the client "
                + r.streamReconnects()
                + " times (fell behind), it resumed with Last-Event-ID");
    out.printf("  latency source→SSE  : %s%n", percentiles(total));
    out.printf("  baseline source→bus : %s (the link alone, same samples)%n", percentiles(link));
    out.printf(
        "  alarm path bus→SSE  : %s (engine, stream, HTTP, client)%n", percentiles(alarmPath));
    double s = r.measuredS();
    out.printf(
        "  stream              : %,.0f events/s (%s), alarm activations %,.1f /s, other alarms"
            + " activated (whole run): %d%n",
        r.framesTotal() / s,
        String.join(
            ", ",
            new java.util.TreeMap<>(r.framesInWindow())
                .entrySet().stream()
                    .map(e -> String.format("%s %,.1f/s", e.getKey(), e.getValue() / s))
                    .toList()),
        r.pairs().size() / s,
        r.otherActivations());
    out.printf(
        "  process CPU         : %.0f %% of one core (%.0f %% of %d cores)%n",
        r.cpuPctOfOneCore(), r.cpuPctOfOneCore() / cores, cores);
    out.printf(
        "  heap used           : %,d MB at the end, %,d MB after the last GC (max %,d MB)%n",
        r.heapUsedBytes() >> 20, r.heapAfterGcBytes() >> 20, r.heapMaxBytes() >> 20);
    double p99 = total.percentileMs(99);
    boolean met = r.pairs().size() > 0 && p99 < GOAL_P99_MS;
    out.printf(
        "  goal                : p99 < %.0f ms at %d reactors: %s (p99 %.1f ms at %d reactors)%n",
        GOAL_P99_MS,
        GOAL_REACTORS,
        met ? (r.reactors() >= GOAL_REACTORS ? "met" : "met at this size") : "NOT met",
        p99,
        r.reactors());
  }

  private static String percentiles(LatencySamples l) {
    return String.format(
        "p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms",
        l.percentileMs(50), l.percentileMs(95), l.percentileMs(99), l.percentileMs(100));
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // a temp file left behind is no failure of the bench
                }
              });
    } catch (IOException e) {
      // as above
    }
  }
}
