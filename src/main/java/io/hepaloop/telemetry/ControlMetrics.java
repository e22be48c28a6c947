package io.hepaloop.telemetry;

import io.hepaloop.control.LoopTiming;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What the control loops call to publish their timing: execution time and period jitter, as
 * histograms per reactor and loop. Cheap and non-blocking (Micrometer timers are lock-free), so it
 * is safe on an event loop. Prometheus: {@code
 * hepaloop_loop_execution_seconds_bucket{reactor,loop}}, {@code
 * hepaloop_loop_period_jitter_seconds_bucket{reactor,loop}}.
 *
 * <p>Usage in a loop: {@code long t0 = clock.nanoTime(); ... metrics.executed(r, l,
 * clock.nanoTime() - t0);} and at each execution {@code metrics.period(r, l, actualIntervalNanos,
 * nominalPeriodNanos)}.
 */
public final class ControlMetrics implements LoopTiming {
  private final MeterRegistry registry;
  private final Map<String, Timer> execution = new ConcurrentHashMap<>();
  private final Map<String, Timer> jitter = new ConcurrentHashMap<>();

  public ControlMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** One loop execution took {@code nanos}. */
  @Override
  public void executed(String reactorId, String loopId, long nanos) {
    execution
        .computeIfAbsent(
            reactorId + '/' + loopId,
            k ->
                Timer.builder("hepaloop.loop.execution")
                    .description("Time to execute one control loop cycle")
                    .tags("reactor", reactorId, "loop", loopId)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(1_000))
                    .maximumExpectedValue(Duration.ofMillis(100))
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * The interval since the previous execution was {@code actualNanos} where {@code nominalNanos}
   * was asked.
   */
  @Override
  public void period(String reactorId, String loopId, long actualNanos, long nominalNanos) {
    jitter
        .computeIfAbsent(
            reactorId + '/' + loopId,
            k ->
                Timer.builder("hepaloop.loop.period.jitter")
                    .description("|actual − nominal| interval between two executions of a loop")
                    .tags("reactor", reactorId, "loop", loopId)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(10_000))
                    .maximumExpectedValue(Duration.ofSeconds(5))
                    .register(registry))
        .record(Math.abs(actualNanos - nominalNanos), TimeUnit.NANOSECONDS);
  }
}
