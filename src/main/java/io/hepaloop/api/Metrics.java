package io.hepaloop.api;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

/**
 * One Prometheus registry for the process: Vert.x's own metrics (event bus, HTTP server, pools via
 * vertx-micrometer-metrics), JVM and CPU, and HepaLoop's (telemetry, links, loops). Create the
 * Vertx with {@link #vertx} so Vert.x reports into the same registry that {@code /metrics} scrapes.
 */
public final class Metrics {
  private Metrics() {}

  /** A Prometheus registry with JVM memory, GC, threads and CPU meters bound. */
  @SuppressWarnings("resource")
  public static PrometheusMeterRegistry prometheus() {
    PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(r);
    new JvmGcMetrics().bindTo(r);
    new JvmThreadMetrics().bindTo(r);
    new ProcessorMetrics().bindTo(r);
    return r;
  }

  /** Vert.x options with Micrometer metrics enabled. */
  public static VertxOptions vertxOptions() {
    return new VertxOptions()
        .setMetricsOptions(
            new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(false));
  }

  /** A Vertx whose own metrics go to {@code registry}. */
  public static Vertx vertx(PrometheusMeterRegistry registry) {
    return Vertx.builder()
        .with(vertxOptions())
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
  }
}
