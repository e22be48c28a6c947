package io.hepaloop.telemetry;

import io.hepaloop.device.LinkState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
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
 * Micrometer meters of the telemetry path and the device links. Prometheus names (after Micrometer's
 * conversion): {@code hepaloop_telemetry_write_latency_seconds}, {@code hepaloop_telemetry_batch_points},
 * {@code hepaloop_telemetry_writes_failed_total}, {@code hepaloop_telemetry_points_written_total},
 * {@code hepaloop_telemetry_points_quarantined_total}, {@code hepaloop_telemetry_points_dropped_total}
 * (must stay 0), {@code hepaloop_telemetry_spool_points}, {@code hepaloop_telemetry_spool_bytes},
 * {@code hepaloop_samples_total{reactor}}, {@code hepaloop_link_reconnects_total{reactor}},
 * {@code hepaloop_link_state{reactor}}, {@code hepaloop_telemetry_influxd_restarts_total}.
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
  private final Map<String, Counter> samples = new ConcurrentHashMap<>();
  private final Map<String, Counter> reconnects = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> linkStates = new ConcurrentHashMap<>();

  public TelemetryMetrics(MeterRegistry registry) {
    this.registry = registry;
    writeLatency = Timer.builder("hepaloop.telemetry.write.latency")
        .description("Time of one InfluxDB write request (one batch)")
        .publishPercentileHistogram()
        .register(registry);
    batchPoints = DistributionSummary.builder("hepaloop.telemetry.batch.points")
        .description("Points per batch delivered to InfluxDB")
        .publishPercentileHistogram()
        .register(registry);
    pointsWritten = Counter.builder("hepaloop.telemetry.points.written").description("Points InfluxDB accepted").register(registry);
    pointsQuarantined = Counter.builder("hepaloop.telemetry.points.quarantined")
        .description("Points InfluxDB refused as bad data (4xx), kept in quarantine.lp")
        .register(registry);
    pointsDropped = Counter.builder("hepaloop.telemetry.points.dropped")
        .description("Points lost because the spool and the memory queue were full; must stay 0")
        .register(registry);
    timestampCollisions = Counter.builder("hepaloop.telemetry.timestamp.collisions")
        .description("Samples with the same device time as the previous sample of the signal; stored 1 ns later")
        .register(registry);
    duplicateSamples = Counter.builder("hepaloop.telemetry.duplicate.samples")
        .description("Exact repeats of a signal's previous sample (e.g. after a resubscription), not stored twice")
        .register(registry);
    influxdRestarts = Counter.builder("hepaloop.telemetry.influxd.restarts")
        .description("Restarts of the private influxd after it died while HepaLoop ran")
        .register(registry);
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

  /** @param reason {@code unreachable}, {@code server_error}, {@code bad_data}, {@code auth}, ... */
  public void failedWrite(String reason) {
    failedWrites.computeIfAbsent(reason, r -> Counter.builder("hepaloop.telemetry.writes.failed")
        .description("InfluxDB write requests that failed (retried from the spool unless bad_data)")
        .tag("reason", r)
        .register(registry)).increment();
  }

  public void spoolGauges(Supplier<Number> points, Supplier<Number> bytes, Supplier<Number> fillRatio) {
    Gauge.builder("hepaloop.telemetry.spool.points", points).description("Points in the spool not yet in InfluxDB").register(registry);
    Gauge.builder("hepaloop.telemetry.spool.bytes", bytes).description("Bytes in the spool not yet in InfluxDB").baseUnit("bytes").register(registry);
    Gauge.builder("hepaloop.telemetry.spool.fill.ratio", fillRatio).description("Spool bytes / bound; an event is raised near 1").register(registry);
  }

  public void samples(String reactorId, int n) {
    samples.computeIfAbsent(reactorId, r -> Counter.builder("hepaloop.samples")
        .description("Samples received from the device link (rate() gives samples/s)")
        .tag("reactor", r)
        .register(registry)).increment(n);
  }

  /** Link state gauge (0 connecting, 1 connected, 2 disconnected, 3 stopped) and reconnect counter. */
  public void linkState(LinkState s) {
    AtomicInteger g = linkStates.computeIfAbsent(s.reactorId(), r -> {
      AtomicInteger a = new AtomicInteger(LinkState.State.CONNECTING.ordinal());
      Gauge.builder("hepaloop.link.state", a, AtomicInteger::get)
          .description("Device link state: 0 connecting, 1 connected, 2 disconnected, 3 stopped")
          .tag("reactor", r)
          .register(registry);
      return a;
    });
    int previous = g.getAndSet(s.state().ordinal());
    Counter c = reconnects.computeIfAbsent(s.reactorId(), r -> Counter.builder("hepaloop.link.reconnects")
        .description("Device link re-connections after a loss")
        .tag("reactor", r)
        .register(registry));
    if (s.state() == LinkState.State.CONNECTED && previous == LinkState.State.DISCONNECTED.ordinal()) {
      c.increment();
    }
  }
}
