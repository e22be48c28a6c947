package io.hepaloop.api;

import io.hepaloop.audit.AuditAction;
import io.hepaloop.audit.AuditRecord;
import io.hepaloop.control.AutotuneDefaults;
import io.hepaloop.control.AutotuneProgress;
import io.hepaloop.control.CommandResult;
import io.hepaloop.control.PidTuning;
import io.hepaloop.control.RelayAutoTuner;
import io.hepaloop.users.Role;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Auto-tune of a loop on the running controller, for engineers (reading its progress is open to any
 * role):
 *
 * <pre>
 *   POST /api/reactors/{reactorId}/loops/{loopId}/autotune          start (body: optional
 *        amplitude, hysteresis, maxDeviation, pi)                     202 + progress
 *   GET  /api/reactors/{reactorId}/loops/{loopId}/autotune          progress
 *   POST /api/reactors/{reactorId}/loops/{loopId}/autotune/accept   apply the proposal (bumpless)
 *   POST /api/reactors/{reactorId}/loops/{loopId}/autotune/reject   discard it
 *   POST /api/reactors/{reactorId}/loops/{loopId}/autotune/abort    stop a running test
 * </pre>
 *
 * Unknown reactor or loop: 404; an action its state does not allow (a test already running, no
 * proposal to accept): 409; invalid body: 400 naming the field. Every error is problem+json. The
 * caller the guard let through is the actor of the event each action writes; each action is
 * answered only once its audit record is committed (500 when it could not be written).
 */
public final class AutotuneRoutes {
  /** The path of a loop's auto-tune. */
  public static final String PATH = "/api/reactors/:reactorId/loops/:loopId/autotune";

  /** A start body is a handful of numbers. */
  static final long MAX_BODY_BYTES = 4096;

  private static final Set<String> START_FIELDS =
      Set.of("amplitude", "hysteresis", "maxDeviation", "pi");

  private final ApiGuard guard;
  private final AutotuneAccess access;
  private final AuditRecorder audit;

  private AutotuneRoutes(ApiGuard guard, AutotuneAccess access, AuditRecorder audit) {
    this.guard = guard;
    this.access = access;
    this.audit = audit;
  }

  /** Adds the routes to {@code router}, recording nothing. */
  public static void mount(Router router, ApiGuard guard, AutotuneAccess access) {
    mount(router, guard, access, AuditRecorder.none());
  }

  /**
   * Adds the routes to {@code router}; every start, accept, reject and abort, applied or refused by
   * the controller, is recorded by {@code audit}.
   */
  public static void mount(
      Router router, ApiGuard guard, AutotuneAccess access, AuditRecorder audit) {
    AutotuneRoutes r = new AutotuneRoutes(guard, access, audit);
    router.route(PATH + "*").failureHandler(AutotuneRoutes::failure);
    router
        .post(PATH)
        .handler(BodyLimit.of(MAX_BODY_BYTES))
        .handler(guard.require(Role.ENGINEER))
        .handler(r::start);
    router.get(PATH).handler(guard.require(Role.VIEWER)).handler(r::progress);
    r.action(router, "accept", access::accept);
    r.action(router, "reject", access::reject);
    r.action(router, "abort", access::abort);
  }

  @FunctionalInterface
  private interface Action {
    Future<CommandResult> apply(String reactorId, String loopId, String actor);
  }

  private void action(Router router, String name, Action action) {
    router
        .post(PATH + "/" + name)
        .handler(guard.require(Role.ENGINEER))
        .handler(
            rc -> {
              String reactor = rc.pathParam("reactorId");
              String loop = rc.pathParam("loopId");
              reply(rc, name, action.apply(reactor, loop, actor(rc)), 200);
            });
  }

  private void start(RoutingContext rc) {
    String reactor = rc.pathParam("reactorId");
    String loop = rc.pathParam("loopId");
    String body = rc.body() == null ? null : rc.body().asString();
    // an unknown reactor or loop is a 404 whatever the body says
    access
        .progress(reactor, loop)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                fail(rc, ar.cause());
                return;
              }
              RelayAutoTuner.Config config;
              try {
                config = startConfig(loop, body);
              } catch (FieldException e) {
                Problems.badField(rc, e.field, e.getMessage());
                return;
              }
              reply(rc, "start", access.start(reactor, loop, config, actor(rc)), 202);
            });
  }

  /** The relay settings of a start body (empty: the loop's defaults). */
  static RelayAutoTuner.Config startConfig(String loopId, String body) {
    JsonObject json;
    if (body == null || body.isBlank()) {
      json = new JsonObject();
    } else {
      try {
        json = new JsonObject(body);
      } catch (DecodeException | ClassCastException e) {
        throw new FieldException("body", "not a JSON object: " + e.getMessage());
      }
    }
    for (String f : json.fieldNames()) {
      if (!START_FIELDS.contains(f)) {
        throw new FieldException(
            f, "unknown field; allowed: amplitude, hysteresis, maxDeviation, pi");
      }
    }
    Double amplitude = number(json, "amplitude", true);
    Double hysteresis = number(json, "hysteresis", false);
    Double maxDeviation = number(json, "maxDeviation", true);
    Object pi = json.getValue("pi");
    if (pi != null && !(pi instanceof Boolean)) {
      throw new FieldException("pi", "must be true or false, got " + pi);
    }
    if (hysteresis != null && maxDeviation != null && !(maxDeviation > hysteresis)) {
      throw new FieldException("maxDeviation", "must be above the hysteresis " + hysteresis);
    }
    try {
      return AutotuneDefaults.merge(loopId, amplitude, hysteresis, maxDeviation, (Boolean) pi);
    } catch (IllegalArgumentException e) {
      String msg = e.getMessage();
      String field =
          msg.startsWith("hysteresis")
              ? "hysteresis"
              : msg.startsWith("maxDeviation") ? "maxDeviation" : "amplitude";
      throw new FieldException(field, msg);
    }
  }

  private static Double number(JsonObject json, String field, boolean positive) {
    Object v = json.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n)) {
      throw new FieldException(field, "must be a number, got " + json.getValue(field));
    }
    double d = n.doubleValue();
    if (!Double.isFinite(d) || (positive ? !(d > 0) : !(d >= 0))) {
      throw new FieldException(
          field, "must be a finite number " + (positive ? "> 0" : ">= 0") + ", got " + d);
    }
    return d;
  }

  private void progress(RoutingContext rc) {
    String reactor = rc.pathParam("reactorId");
    String loop = rc.pathParam("loopId");
    access
        .progress(reactor, loop)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                fail(rc, ar.cause());
              } else if (ar.result() == null) {
                Problems.send(
                    rc,
                    404,
                    "No auto-tune",
                    "loop " + loop + " of reactor " + reactor + " has had no auto-tune");
              } else {
                json(rc, 200, toJson(ar.result()));
              }
            });
  }

  /** Answers an action: the progress after it, or 409 with the controller's reason. */
  private void reply(RoutingContext rc, String name, Future<CommandResult> result, int status) {
    String reactor = rc.pathParam("reactorId");
    String loop = rc.pathParam("loopId");
    result
        .compose(r -> access.progress(reactor, loop).map(p -> new Object[] {r, p}))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                fail(rc, ar.cause());
                return;
              }
              CommandResult r = (CommandResult) ar.result()[0];
              AutotuneProgress p = (AutotuneProgress) ar.result()[1];
              ApiCaller caller = ApiGuard.caller(rc);
              CompletableFuture<AuditRecord> written =
                  caller == null
                      ? CompletableFuture.completedFuture(null)
                      : audit.record(
                          caller,
                          AuditAction.AUTOTUNE,
                          reactor + "/" + loop,
                          null,
                          (r.accepted() ? "" : AuditRecorder.REFUSED) + name,
                          r.message(),
                          null);
              AuditRecorder.answerOnceRecorded(rc, written, () -> answer(rc, r, p, status));
            });
  }

  private static void answer(RoutingContext rc, CommandResult r, AutotuneProgress p, int status) {
    if (!r.accepted()) {
      Problems.send(rc, 409, "Auto-tune action refused", r.message());
      return;
    }
    JsonObject body = new JsonObject().put("message", r.message());
    body.put("autotune", p == null ? null : toJson(p));
    if (status == 202) {
      rc.response().putHeader("Location", rc.request().path());
    }
    json(rc, status, body);
  }

  private static void fail(RoutingContext rc, Throwable cause) {
    if (cause instanceof NoSuchElementException) {
      Problems.send(rc, 404, "Not found", cause.getMessage());
    } else {
      Problems.send(rc, 500, "Auto-tune failed", String.valueOf(cause.getMessage()));
    }
  }

  /** Errors raised before a handler answered (body too large, a handler that threw). */
  private static void failure(RoutingContext rc) {
    int status = rc.statusCode() > 0 ? rc.statusCode() : 500;
    String detail =
        status == 413
            ? "request body larger than " + MAX_BODY_BYTES + " bytes"
            : rc.failure() == null ? "request failed" : String.valueOf(rc.failure().getMessage());
    Problems.send(rc, status, status == 413 ? "Body too large" : "Request failed", detail);
  }

  private static String actor(RoutingContext rc) {
    ApiCaller c = ApiGuard.caller(rc);
    return c == null ? "unknown" : c.userName();
  }

  private static void json(RoutingContext rc, int status, JsonObject body) {
    rc.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }

  /** The JSON shape of {@link AutotuneProgress} (NaN as null); the OpenAPI document's Autotune. */
  static JsonObject toJson(AutotuneProgress p) {
    RelayAutoTuner.Config c = p.config();
    JsonObject j =
        new JsonObject()
            .put("reactorId", p.reactorId())
            .put("loopId", p.loopId())
            .put("phase", p.phase().name().toLowerCase(Locale.ROOT))
            .put("reason", p.reason())
            .put("startedBy", p.startedBy())
            .put("startedAt", p.startedAt().toString())
            .put("elapsedS", num(p.elapsedS()))
            .put("cyclesSeen", p.cyclesSeen())
            .put("cyclesNeeded", p.cyclesNeeded())
            .put("amplitudeSoFar", num(p.amplitudeSoFar()))
            .put("periodSoFarS", num(p.periodSoFarS()))
            .put("setpoint", num(p.setpoint()))
            .put("relayBias", num(p.relayBias()))
            .put(
                "relay",
                new JsonObject()
                    .put("amplitude", c.amplitude())
                    .put("hysteresis", c.hysteresis())
                    .put("maxDeviation", c.maxDeviation())
                    .put("cycles", c.cycles())
                    .put("timeoutS", c.timeoutS())
                    .put("derivative", c.derivative()))
            .put("pvQuantum", num(p.pvQuantum()))
            .put("currentTuning", tuning(p.currentTuning()))
            .put("decidedBy", p.decidedBy());
    RelayAutoTuner.Result r = p.result();
    j.put(
        "proposal",
        r == null
            ? null
            : new JsonObject()
                .put("rule", r.rule())
                .put("ultimateGain", num(r.ultimateGain()))
                .put("ultimatePeriodS", num(r.ultimatePeriodS()))
                .put("pvAmplitude", num(r.pvAmplitude()))
                .put("tuning", tuning(r.proposal()))
                .put("shaping", r.shaping()));
    return j;
  }

  static JsonObject tuning(PidTuning t) {
    return t == null
        ? null
        : new JsonObject()
            .put("gain", t.gain())
            .put("integralTimeS", t.integralTimeS())
            .put("derivativeTimeS", t.derivativeTimeS())
            .put("derivativeFilterN", t.derivativeFilterN())
            .put("setpointWeightP", t.setpointWeightP())
            .put("setpointWeightD", t.setpointWeightD())
            .put("trackingTimeS", t.trackingTimeS())
            .put("outputRateLimitPerS", t.outputRateLimitPerS());
  }

  private static Double num(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /** An invalid field of the start body. */
  static final class FieldException extends IllegalArgumentException {
    final String field;

    FieldException(String field, String problem) {
      super(problem);
      this.field = field;
    }
  }
}
