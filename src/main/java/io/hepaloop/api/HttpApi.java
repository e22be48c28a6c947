package io.hepaloop.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * HepaLoop's HTTP server, the one door: the command API under {@code /api} (authenticated by the
 * {@link SessionGuard}), {@code GET /openapi.yaml} describing it, {@code GET /metrics}
 * (Prometheus), {@code GET /health}, and with the API the browser console at {@code /console/}
 * ({@link ConsoleRoutes}). Every error is answered as problem+json ({@link Problems}): bodies over
 * {@value #BODY_LIMIT_BYTES} bytes (413), malformed JSON (400), unknown routes (404), wrong methods
 * (405), failures (500).
 *
 * <p>{@code /metrics}, {@code /health} and {@code /openapi.yaml} are open: a Prometheus scraper has
 * no session, and none of them tells or changes anything about the plant that needs a role. They
 * are as reachable as the API is: loopback by default, and beyond it only with TLS or {@code
 * --insecure-http} ({@link ApiSecurity#checkBind}).
 *
 * <p>The scrape renders every meter, which can take milliseconds with many histograms, so it runs
 * on a worker thread, not the event loop. Other features add their routes to {@link #router()}
 * behind {@link #guard()} after start.
 */
public final class HttpApi extends VerticleBase {
  /** The largest request body the server reads: 64 KiB (a bulk acknowledge fits many times). */
  public static final int BODY_LIMIT_BYTES = 64 * 1024;

  private final PrometheusMeterRegistry registry;
  private final String host;
  private final int port;
  private final ApiSecurity security;
  private final String runId;
  private HttpServer server;
  private AuditRecorder audit = AuditRecorder.none();
  private Router router;
  private SessionGuard guard;
  private Blocking blocking;

  /** Only {@code /metrics}, {@code /health} and {@code /openapi.yaml}, on a loopback address. */
  public HttpApi(PrometheusMeterRegistry registry, String host, int port) {
    this(registry, host, port, null);
  }

  /**
   * @param port TCP port; 0 picks a free one (see {@link #actualPort()})
   * @param security users, sessions, tokens and TLS; null serves no {@code /api} routes
   * @throws IllegalArgumentException for plain HTTP beyond loopback not explicitly allowed
   */
  public HttpApi(PrometheusMeterRegistry registry, String host, int port, ApiSecurity security) {
    this(registry, host, port, security, null);
  }

  /**
   * @param runId the run the plant continues, added to every audit record; null outside a run
   */
  public HttpApi(
      PrometheusMeterRegistry registry, String host, int port, ApiSecurity security, String runId) {
    ApiSecurity.checkBind(
        host,
        security == null ? null : security.tls(),
        security != null && security.insecureHttp());
    this.registry = registry;
    this.host = host;
    this.port = port;
    this.security = security;
    this.runId = runId;
  }

  /**
   * The router (after start), so other features can add their routes; Vert.x Web takes routes added
   * while listening.
   */
  public Router router() {
    return router;
  }

  /** The guard for routes added to {@link #router()} (after start); null without security. */
  public ApiGuard guard() {
    return guard;
  }

  /**
   * How routes record what people do and check signatures (after start): the security's trail and
   * e-signature mode; records nothing without security.
   */
  public AuditRecorder audit() {
    return audit;
  }

  /** True when the server speaks HTTPS. */
  public boolean tls() {
    return security != null && security.tls() != null;
  }

  @Override
  public Future<?> start() {
    router = Router.router(vertx);
    router.route().failureHandler(rc -> ApiErrors.failure(rc, BODY_LIMIT_BYTES));
    for (int status : new int[] {400, 404, 405, 406, 413, 415}) {
      router.errorHandler(status, rc -> ApiErrors.status(rc, status));
    }
    router.errorHandler(500, rc -> ApiErrors.failure(rc, BODY_LIMIT_BYTES));
    router
        .route("/api/*")
        .handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES))
        .handler(
            rc -> {
              rc.response().putHeader("Cache-Control", "no-store");
              rc.next();
            });
    router.get("/metrics").handler(rc -> metrics(rc));
    router
        .get("/health")
        .handler(
            rc ->
                rc.response()
                    .putHeader("Content-Type", "application/json")
                    .end("{\"status\":\"UP\"}"));
    router
        .get("/openapi.yaml")
        .handler(
            rc ->
                vertx
                    .fileSystem()
                    .readFile("openapi.yaml")
                    .onSuccess(
                        spec ->
                            rc.response()
                                .putHeader("Content-Type", "application/yaml; charset=utf-8")
                                .end(spec))
                    .onFailure(rc::fail));
    if (security != null) {
      blocking = new Blocking(vertx);
      guard = new SessionGuard(vertx, security.sessions(), security.tokens(), tls());
      audit =
          new AuditRecorder(
              security.audit(),
              runId,
              new AuditSignatures(security.users(), blocking, security.clock(), security.esign()));
      new SessionRoutes(security, guard, blocking, audit).mount(router);
      new UserRoutes(security, guard, blocking, audit).mount(router);
      new TokenRoutes(security, guard, blocking, audit).mount(router);
      ConsoleRoutes.mount(router);
    }
    HttpServerOptions options = new HttpServerOptions();
    if (tls()) {
      options
          .setSsl(true)
          .setKeyCertOptions(
              new PfxOptions()
                  .setPath(security.tls().keyStore().toString())
                  .setPassword(security.tls().password()));
    }
    return vertx
        .createHttpServer(options)
        .requestHandler(router)
        .listen(port, host)
        .onSuccess(s -> server = s);
  }

  private void metrics(io.vertx.ext.web.RoutingContext rc) {
    vertx
        .executeBlocking(registry::scrape, false)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                rc.response()
                    .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(ar.result());
              } else {
                rc.fail(ar.cause());
              }
            });
  }

  @Override
  public Future<?> stop() {
    if (blocking != null) {
      blocking.close();
    }
    return Future.succeededFuture();
  }

  /** The port the server listens on (after start). */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }
}
