package io.hepaloop.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

/**
 * HepaLoop's HTTP server. For now: {@code GET /metrics} (Prometheus text format) and {@code GET
 * /health}. The scrape renders every meter, which can take milliseconds with many histograms, so it
 * runs on a worker thread, not the event loop.
 */
public final class HttpApi extends VerticleBase {
  private final PrometheusMeterRegistry registry;
  private final String host;
  private final int port;
  private HttpServer server;

  /**
   * @param port TCP port; 0 picks a free one (see {@link #actualPort()})
   */
  public HttpApi(PrometheusMeterRegistry registry, String host, int port) {
    this.registry = registry;
    this.host = host;
    this.port = port;
  }

  /**
   * The router (after start), so other features can add their routes; Vert.x Web takes routes added
   * while listening.
   */
  public Router router() {
    return router;
  }

  private Router router;

  @Override
  public Future<?> start() {
    router = Router.router(vertx);
    router
        .get("/metrics")
        .handler(
            rc ->
                vertx
                    .executeBlocking(registry::scrape, false)
                    .onComplete(
                        ar -> {
                          if (ar.succeeded()) {
                            rc.response()
                                .putHeader(
                                    "Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                                .end(ar.result());
                          } else {
                            rc.fail(ar.cause());
                          }
                        }));
    router
        .get("/health")
        .handler(
            rc ->
                rc.response()
                    .putHeader("Content-Type", "application/json")
                    .end("{\"status\":\"UP\"}"));
    return vertx
        .createHttpServer()
        .requestHandler(router)
        .listen(port, host)
        .onSuccess(s -> server = s);
  }

  /** The port the server listens on (after start). */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }
}
