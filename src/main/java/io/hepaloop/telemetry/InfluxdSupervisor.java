package io.hepaloop.telemetry;

import io.hepaloop.bus.HepaEvent;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a private influxd back when it dies while HepaLoop runs: after 1 s, then 2, 4 … 30 s while
 * restarts fail or influxd keeps dying within a minute of its start. Meanwhile the writer keeps
 * every point in the spool and replays it once writes succeed again, so a crash of influxd loses
 * nothing.
 *
 * <p>Each crash raises a {@code telemetry} warning event, each successful restart an info event and
 * one count of {@code hepaloop_telemetry_influxd_restarts_total}. Everything runs on one thread of
 * its own ({@code influxd-supervisor}): a restart blocks for up to 30 s waiting for {@code /ping},
 * which no event loop may do, and one thread orders crash notices and restarts without locks.
 */
final class InfluxdSupervisor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InfluxdSupervisor.class);
  static final long FIRST_DELAY_MS = 1_000;
  static final long MAX_DELAY_MS = 30_000;

  /** A run this long counts as healthy: the next crash starts the backoff again at 1 s. */
  static final long STABLE_AFTER_MS = 60_000;

  private final LocalInfluxd influxd;
  private final TelemetryMetrics metrics;
  private final Consumer<HepaEvent> events;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "influxd-supervisor");
            t.setDaemon(true);
            return t;
          });
  private volatile boolean closed;
  // confined to the supervisor thread:
  private long upSinceNanos = System.nanoTime();
  private long downSinceNanos;
  private long delayMs;
  private boolean restarting;
  private int failedRestarts;

  private InfluxdSupervisor(
      LocalInfluxd influxd, TelemetryMetrics metrics, Consumer<HepaEvent> events) {
    this.influxd = influxd;
    this.metrics = metrics;
    this.events = events;
  }

  /** Watches {@code influxd} (started) until {@link #close()}. */
  static InfluxdSupervisor watch(
      LocalInfluxd influxd, TelemetryMetrics metrics, Consumer<HepaEvent> events) {
    InfluxdSupervisor s = new InfluxdSupervisor(influxd, metrics, events);
    influxd.onUnexpectedExit((pid, code) -> s.submit(() -> s.crashed(pid, code)));
    if (!influxd.isRunning()) {
      s.submit(() -> s.crashed(-1, -1)); // died before the listener was in place
    }
    return s;
  }

  /**
   * The wait before the next restart: 1 s after a healthy run ({@code uptimeMs} ≥ 60 s) or the
   * first crash, else twice the previous wait, at most 30 s.
   */
  static long nextDelayMs(long previousDelayMs, long uptimeMs) {
    if (previousDelayMs <= 0 || uptimeMs >= STABLE_AFTER_MS) {
      return FIRST_DELAY_MS;
    }
    return Math.min(MAX_DELAY_MS, previousDelayMs * 2);
  }

  private void submit(Runnable r) {
    if (!closed) {
      try {
        thread.execute(r);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closed meanwhile
      }
    }
  }

  private void crashed(long pid, int exitCode) {
    if (closed || restarting) {
      return; // a restart in progress handles its own failure
    }
    long now = System.nanoTime();
    downSinceNanos = now;
    delayMs = nextDelayMs(delayMs, TimeUnit.NANOSECONDS.toMillis(now - upSinceNanos));
    String msg =
        String.format(
            Locale.ROOT,
            "The private InfluxDB (influxd pid %d) exited with code %d after %.1f s; "
                + "restarting it in %.0f s. Telemetry is held in the spool meanwhile.",
            pid,
            exitCode,
            (now - upSinceNanos) / 1e9,
            delayMs / 1e3);
    LOG.warn(msg);
    events.accept(new HepaEvent(Instant.now(), null, "telemetry", "influxd", "warning", msg));
    restarting = true;
    thread.schedule(this::restart, delayMs, TimeUnit.MILLISECONDS);
  }

  private void restart() {
    if (closed) {
      return;
    }
    try {
      boolean restarted = influxd.restartIfWanted();
      restarting = false;
      failedRestarts = 0;
      if (!restarted) {
        return; // stopped on purpose meanwhile, or already running
      }
      upSinceNanos = System.nanoTime();
      metrics.influxdRestarted();
      String msg =
          String.format(
              Locale.ROOT,
              "The private InfluxDB runs again (influxd pid %d, %s) after %.1f s; "
                  + "the spool replays what was written meanwhile.",
              influxd.pid(),
              influxd.url(),
              (upSinceNanos - downSinceNanos) / 1e9);
      LOG.info(msg);
      events.accept(new HepaEvent(Instant.now(), null, "telemetry", "influxd", "info", msg));
    } catch (RuntimeException e) {
      if (closed) {
        return;
      }
      failedRestarts++;
      delayMs = nextDelayMs(delayMs, 0);
      String msg =
          "Restarting the private InfluxDB failed ("
              + firstLine(e.getMessage())
              + "); next try in "
              + delayMs / 1000
              + " s.";
      LOG.warn(msg);
      if (failedRestarts == 1) { // one event per outage, not one every 30 s
        events.accept(new HepaEvent(Instant.now(), null, "telemetry", "influxd", "critical", msg));
      }
      thread.schedule(this::restart, delayMs, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * The exception's first line, at most 300 characters: an event is one sentence, influxd's log is
   * in influxd.log.
   */
  private static String firstLine(String s) {
    String line = s == null ? "no message" : s.lines().findFirst().orElse("");
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }

  /**
   * No more restarts; waits for a restart in progress to give up. Stop the influxd itself after
   * this.
   */
  @Override
  public void close() {
    closed = true;
    influxd.onUnexpectedExit(null);
    thread.shutdownNow();
    try {
      if (!thread.awaitTermination(15, TimeUnit.SECONDS)) {
        LOG.warn("influxd supervisor did not stop within 15 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
