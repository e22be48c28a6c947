package io.hepaloop.telemetry;

import io.hepaloop.device.LinkState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Micrometer meters of the telemetry path and the device links. Prometheus names (after
 * Micrometer's conversion): {@code hepaloop_telemetry_write_latency_seconds}, {@code
 * hepaloop_telemetry_batch_points}, {@code hepaloop_telemetry_writes_failed_total}, {@code
 * hepaloop_telemetry_points_written_total}, {@code hepaloop_telemetry_points_quarantined_total},
 * {@code hepaloop_telemetry_points_dropped_total} (must stay 0), {@code
 * hepaloop_telemetry_spool_points}, {@code hepaloop_telemetry_spool_bytes}, {@code
 * hepaloop_telemetry_restarts_total{thread}}, {@code
 * hepaloop_telemetry_spool_quarantined_bytes_total}, {@code
 * hepaloop_telemetry_spool_quarantined_points_total}, {@code
 * hepaloop_telemetry_spool_quarantined_records_total}, {@code
 * hepaloop_telemetry_spool_torn_points_total}, {@code
 * hepaloop_telemetry_spool_cursor_repairs_total}, {@code
 * hepaloop_telemetry_spool_ignored_files_total}, {@code
 * hepaloop_telemetry_spool_quarantine_deleted_files_total}, {@code
 * hepaloop_telemetry_spool_quarantine_deleted_bytes_total}, {@code
 * hepaloop_telemetry_spool_quarantine_files}, {@code hepaloop_telemetry_spool_quarantine_bytes},
 * {@code hepaloop_samples_total{reactor}}, {@code hepaloop_link_reconnects_total{reactor}}, {@code
 * hepaloop_link_state{reactor}}, {@code hepaloop_telemetry_influxd_restarts_total}.
 */
public final class TelemetryMetrics {
  private final MeterRegistry registry;
  private final Timer writeLatency;
  private final DistributionSummary batchPoints;
  private final Counter pointsWritten;
  private final Counter pointsQuarantined;
  private final Counter pointsDropped;
  private final Counter timestampCollisions;
  private final Counter duplicateSamples;
  private final Counter influxdRestarts;
  private final Map<String, Counter> failedWrites = new ConcurrentHashMap<>();
  private final Map<String, Counter> restarts = new ConcurrentHashMap<>();
  private final Map<String, Counter> samples = new ConcurrentHashMap<>();
  private final Map<String, Counter> reconnects = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> linkStates = new ConcurrentHashMap<>();

  public TelemetryMetrics(MeterRegistry registry) {
    this.registry = registry;
    writeLatency =
        Timer.builder("hepaloop.telemetry.write.latency")
            .description("Time of one InfluxDB write request (one batch)")
            .publishPercentileHistogram()
            .register(registry);
    batchPoints =
        DistributionSummary.builder("hepaloop.telemetry.batch.points")
            .description("Points per batch delivered to InfluxDB")
            .publishPercentileHistogram()
            .register(registry);
    pointsWritten =
        Counter.builder("hepaloop.telemetry.points.written")
            .description("Points InfluxDB accepted")
            .register(registry);
    pointsQuarantined =
        Counter.builder("hepaloop.telemetry.points.quarantined")
            .description("Points InfluxDB refused as bad data (4xx), kept in quarantine.lp")
            .register(registry);
    pointsDropped =
        Counter.builder("hepaloop.telemetry.points.dropped")
            .description(
                "Points lost because the spool and the memory queue were full; must stay 0")
            .register(registry);
    timestampCollisions =
        Counter.builder("hepaloop.telemetry.timestamp.collisions")
            .description(
                "Samples with the same device time as the previous sample of the signal; stored 1 ns later")
            .register(registry);
    duplicateSamples =
        Counter.builder("hepaloop.telemetry.duplicate.samples")
            .description(
                "Exact repeats of a signal's previous sample (e.g. after a resubscription), not stored twice")
            .register(registry);
    influxdRestarts =
        Counter.builder("hepaloop.telemetry.influxd.restarts")
            .description("Restarts of the private influxd after it died while HepaLoop ran")
            .register(registry);
    // registered at 0, so an alert on the restart rate sees the series before the first failure
    restartCounter("batcher");
    restartCounter("sender");
  }

  /** The private influxd died and was started again. */
  public void influxdRestarted() {
    influxdRestarts.increment();
  }

  public double influxdRestarts() {
    return influxdRestarts.count();
  }

  /** A sample had the same device time as the previous one of its signal (kept, moved by 1 ns). */
  public void timestampCollision() {
    timestampCollisions.increment();
  }

  /** An exact repeat of the previous sample of a signal (same time, value, quality) was skipped. */
  public void duplicateSample() {
    duplicateSamples.increment();
  }

  public double duplicateSamples() {
    return duplicateSamples.count();
  }

  public double timestampCollisions() {
    return timestampCollisions.count();
  }

  /** Meters on a private registry (benchmarks, tests). */
  public static TelemetryMetrics standalone() {
    return new TelemetryMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void writeLatency(long nanos) {
    writeLatency.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void delivered(int points) {
    batchPoints.record(points);
    pointsWritten.increment(points);
  }

  public void quarantined(int points) {
    pointsQuarantined.increment(points);
  }

  public void dropped(int points) {
    pointsDropped.increment(points);
  }

  public double droppedTotal() {
    return pointsDropped.count();
  }

  /**
   * @param reason {@code unreachable}, {@code server_error}, {@code bad_data}, {@code auth}, ...
   */
  public void failedWrite(String reason) {
    failedWrites
        .computeIfAbsent(
            reason,
            r ->
                Counter.builder("hepaloop.telemetry.writes.failed")
                    .description(
                        "InfluxDB write requests that failed (retried from the spool unless bad_data)")
                    .tag("reason", r)
                    .register(registry))
        .increment();
  }

  public void spoolGauges(
      Supplier<Number> points, Supplier<Number> bytes, Supplier<Number> fillRatio) {
    Gauge.builder("hepaloop.telemetry.spool.points", points)
        .description("Points in the spool not yet in InfluxDB")
        .register(registry);
    Gauge.builder("hepaloop.telemetry.spool.bytes", bytes)
        .description("Bytes in the spool not yet in InfluxDB")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("hepaloop.telemetry.spool.fill.ratio", fillRatio)
        .description("Spool bytes / bound; an event is raised near 1")
        .register(registry);
  }

  /**
   * The batcher or the sender failed and was resumed ({@code
   * hepaloop_telemetry_restarts_total{thread}}).
   */
  public void restart(String thread) {
    restartCounter(thread).increment();
  }

  private Counter restartCounter(String thread) {
    return restarts.computeIfAbsent(
        thread,
        t ->
            Counter.builder("hepaloop.telemetry.restarts")
                .description(
                    "Times a telemetry thread (batcher, sender) failed and was resumed after a backoff")
                .tag("thread", t)
                .register(registry));
  }

  public double restarts(String thread) {
    Counter c = restarts.get(thread);
    return c == null ? 0 : c.count();
  }

  /**
   * What spool recovery found: damage copied to quarantine, a torn final record cut, cursor
   * repairs, stray files.
   */
  public void spoolRecovery(Spool spool) {
    FunctionCounter.builder(
            "hepaloop.telemetry.spool.quarantined.bytes", spool, Spool::quarantinedBytes)
        .description("Damaged spool bytes copied to spool/quarantine/ and skipped")
        .baseUnit("bytes")
        .register(registry);
    FunctionCounter.builder(
            "hepaloop.telemetry.spool.quarantined.points", spool, Spool::quarantinedPoints)
        .description("Points held by damaged spool records (in spool/quarantine/, not delivered)")
        .register(registry);
    FunctionCounter.builder(
            "hepaloop.telemetry.spool.quarantined.records", spool, Spool::quarantinedRecords)
        .description("Damaged spool records (batches) copied to spool/quarantine/")
        .register(registry);
    FunctionCounter.builder("hepaloop.telemetry.spool.torn.points", spool, Spool::tornPoints)
        .description(
            "Points of a torn final record (interrupted write, never acknowledged) cut at start-up")
        .register(registry);
    FunctionCounter.builder("hepaloop.telemetry.spool.cursor.repairs", spool, Spool::cursorRepairs)
        .description("Times the spool cursor disagreed with the segments and was moved back")
        .register(registry);
    FunctionCounter.builder("hepaloop.telemetry.spool.ignored.files", spool, Spool::ignoredFiles)
        .description("Files in the spool directory that are not segments, left alone")
        .register(registry);
    FunctionCounter.builder(
            "hepaloop.telemetry.spool.quarantine.deleted.files",
            spool,
            Spool::quarantineDeletedFiles)
        .description(
            "Oldest spool/quarantine/ copies deleted to keep the quarantine within its size and age bounds")
        .register(registry);
    FunctionCounter.builder(
            "hepaloop.telemetry.spool.quarantine.deleted.bytes",
            spool,
            Spool::quarantineDeletedBytes)
        .description("Bytes of the spool/quarantine/ copies deleted by the retention")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("hepaloop.telemetry.spool.quarantine.files", spool, Spool::quarantineFiles)
        .description("Copies of damaged spool bytes in spool/quarantine/ now")
        .register(registry);
    Gauge.builder("hepaloop.telemetry.spool.quarantine.bytes", spool, Spool::quarantineBytes)
        .description("Bytes in spool/quarantine/ now (kept within the retention's size cap)")
        .baseUnit("bytes")
        .register(registry);
  }

  public void samples(String reactorId, int n) {
    samples
        .computeIfAbsent(
            reactorId,
            r ->
                Counter.builder("hepaloop.samples")
                    .description("Samples received from the device link (rate() gives samples/s)")
                    .tag("reactor", r)
                    .register(registry))
        .increment(n);
  }

  /**
   * Link state gauge (0 connecting, 1 connected, 2 disconnected, 3 stopped) and reconnect counter.
   */
  public void linkState(LinkState s) {
    AtomicInteger g =
        linkStates.computeIfAbsent(
            s.reactorId(),
            r -> {
              AtomicInteger a = new AtomicInteger(LinkState.State.CONNECTING.ordinal());
              Gauge.builder("hepaloop.link.state", a, AtomicInteger::get)
                  .description(
                      "Device link state: 0 connecting, 1 connected, 2 disconnected, 3 stopped")
                  .tag("reactor", r)
                  .register(registry);
              return a;
            });
    int previous = g.getAndSet(s.state().ordinal());
    Counter c =
        reconnects.computeIfAbsent(
            s.reactorId(),
            r ->
                Counter.builder("hepaloop.link.reconnects")
                    .description("Device link re-connections after a loss")
                    .tag("reactor", r)
                    .register(registry));
    if (s.state() == LinkState.State.CONNECTED
        && previous == LinkState.State.DISCONNECTED.ordinal()) {
      c.increment();
    }
  }
}
