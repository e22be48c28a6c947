package io.hepaloop.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.device.LinkState;
import io.hepaloop.telemetry.ControlMetrics;
import io.hepaloop.telemetry.TelemetryMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {
  PrometheusMeterRegistry registry;
  Vertx vertx;
  HttpApi api;

  @BeforeEach
  void start() {
    registry = Metrics.prometheus();
    vertx = Metrics.vertx(registry);
    api = new HttpApi(registry, "127.0.0.1", 0);
    vertx.deployVerticle(api).await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private String scrape() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + api.actualPort() + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
    return r.body();
  }

  @Test
  void metricsExposesVertxJvmAndHepaLoopMetersInPrometheusFormat() throws Exception {
    TelemetryMetrics t = new TelemetryMetrics(registry);
    ControlMetrics c = new ControlMetrics(registry);
    t.samples("r1", 8);
    t.linkState(new LinkState("r1", LinkState.State.CONNECTED, Instant.now(), ""));
    t.linkState(new LinkState("r1", LinkState.State.DISCONNECTED, Instant.now(), "timeout"));
    t.linkState(new LinkState("r1", LinkState.State.CONNECTED, Instant.now(), ""));
    t.writeLatency(3_000_000);
    t.delivered(5000);
    t.restart("sender");
    c.executed("r1", "temperature", 40_000);
    c.period("r1", "temperature", 1_002_000_000L, 1_000_000_000L);
    scrape(); // one request so that Vert.x's HTTP server meters exist
    String body = scrape();
    assertThat(body)
        .contains("vertx_http_server_requests_total")
        .contains("jvm_memory_used_bytes")
        .contains("hepaloop_samples_total{reactor=\"r1\"} 8.0")
        .contains("hepaloop_link_reconnects_total{reactor=\"r1\"} 1.0")
        .contains("hepaloop_link_state{reactor=\"r1\"} 1.0")
        .contains("hepaloop_telemetry_points_dropped_total 0.0")
        .contains("hepaloop_telemetry_points_written_total 5000.0")
        .contains("hepaloop_telemetry_write_latency_seconds_bucket")
        .contains("hepaloop_telemetry_batch_points_bucket")
        .contains("hepaloop_telemetry_restarts_total{thread=\"sender\"} 1.0")
        .contains("hepaloop_telemetry_restarts_total{thread=\"batcher\"} 0.0")
        .contains("hepaloop_loop_execution_seconds_bucket{loop=\"temperature\",reactor=\"r1\"")
        .contains(
            "hepaloop_loop_period_jitter_seconds_count{loop=\"temperature\",reactor=\"r1\"} 1");
  }
}
