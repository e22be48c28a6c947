package io.hepaloop.api;

import io.hepaloop.bench.PlantHarness;
import io.hepaloop.control.ReactorControl;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.sim.model.ReactorParameters;
import io.hepaloop.users.Role;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Path;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * The auto-tune routes on a loopback HTTP server, in front of the plant-in-the-loop harness (the
 * production ReactorControl on a ManualClock) as reactor "bench", behind a fake guard that knows
 * two bearer tokens: {@code eng-token} (anna, engineer) and {@code viewer-token} (victor, viewer).
 * The harness advances only when the test says ({@link #run}).
 */
public final class AutotuneTestServer implements AutoCloseable {
  public static final String ENGINEER_TOKEN = "eng-token";
  public static final String VIEWER_TOKEN = "viewer-token";

  private static final Map<String, ApiCaller> TOKENS =
      Map.of(
          ENGINEER_TOKEN, new ApiCaller("anna", Role.ENGINEER, true),
          VIEWER_TOKEN, new ApiCaller("victor", Role.VIEWER, true));

  private final Vertx vertx = Vertx.vertx();
  private final PlantHarness harness;
  private final HttpServer server;

  public AutotuneTestServer() {
    DeviceProfile profile =
        ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));
    harness =
        new PlantHarness(
            profile, ReactorParameters.defaults(), PlantHarness.Strategy.HEPALOOP, true, 1);
    harness.run(1800);
    Router router = Router.router(vertx);
    // as in HttpApi: every /api/* body is read first, up to the API-wide limit
    router
        .route("/api/*")
        .handler(BodyHandler.create(false).setBodyLimit(HttpApi.BODY_LIMIT_BYTES));
    AutotuneRoutes.mount(router, TestGuard::require, new HarnessAccess());
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public synchronized void run(double seconds) {
    harness.run(seconds);
  }

  public synchronized <T> T with(Function<PlantHarness, T> f) {
    return f.apply(harness);
  }

  @Override
  public void close() {
    vertx.close().await();
  }

  /** Bearer token to caller; 401 without a known token, 403 below the role. */
  static final class TestGuard {
    static Handler<RoutingContext> require(Role minimum) {
      return rc -> {
        String h = rc.request().getHeader("Authorization");
        ApiCaller c = h != null && h.startsWith("Bearer ") ? TOKENS.get(h.substring(7)) : null;
        if (c == null) {
          Problems.send(rc, 401, "Not authenticated", "a valid API token is required");
        } else if (!c.role().includes(minimum)) {
          Problems.send(rc, 403, "Forbidden", "needs role " + minimum.id());
        } else {
          rc.put(ApiGuard.CALLER, c);
          rc.next();
        }
      };
    }
  }

  /** The harness's ReactorControl, one call at a time with the test's own stepping. */
  final class HarnessAccess extends ControlAutotuneAccess {
    @Override
    protected <T> Future<T> on(String reactorId, String loopId, Function<ReactorControl, T> f) {
      synchronized (AutotuneTestServer.this) {
        if (!PlantHarness.REACTOR.equals(reactorId)) {
          return Future.failedFuture(
              new NoSuchElementException("no reactor '" + reactorId + "' (reactors: bench)"));
        }
        if (harness.control().loop(loopId) == null) {
          return Future.failedFuture(
              new NoSuchElementException("reactor bench has no loop '" + loopId + "'"));
        }
        return Future.succeededFuture(f.apply(harness.control()));
      }
    }
  }
}
