package io.hepaloop.api;

import io.hepaloop.audit.AuditAction;
import io.hepaloop.lab.Analyte;
import io.hepaloop.lab.LabCorrection;
import io.hepaloop.lab.LabEntry;
import io.hepaloop.lab.LabInputException;
import io.hepaloop.lab.LabNotFoundException;
import io.hepaloop.lab.LabSample;
import io.hepaloop.lab.LabSamples;
import io.hepaloop.users.Role;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lab results of runs (docs/lab-samples.md):
 *
 * <pre>
 *   GET  /api/lab/analytes                                   the analytes and their units (viewer)
 *   GET  /api/runs/{runId}/samples[?allRevisions=true]       latest revision of each (viewer)
 *   POST /api/runs/{runId}/samples                           enter a result (operator)   201
 *   POST /api/runs/{runId}/samples/{sampleId}/corrections    correct it, with a reason   201
 * </pre>
 *
 * Operators and above enter and correct (a correction keeps the old value and is audited with its
 * reason, so who changed what stays visible); every role reads. Unknown run or sample: 404; a bad
 * field (unit of the wrong kind, time outside the run, malformed number): 400 naming the field.
 * Every entry and correction, and every refused one, appends an audit record with the run's id. The
 * database work runs on a worker.
 */
public final class LabRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(LabRoutes.class);

  public static final String ANALYTES = "/api/lab/analytes";
  public static final String SAMPLES = "/api/runs/:runId/samples";
  public static final String CORRECTIONS = SAMPLES + "/:sampleId/corrections";

  private final Vertx vertx;
  private final LabSamples lab;
  private final AuditRecorder audit;

  private LabRoutes(Vertx vertx, LabSamples lab, AuditRecorder audit) {
    this.vertx = vertx;
    this.lab = lab;
    this.audit = audit;
  }

  /** Adds the routes to {@code router}; entries and corrections are recorded by {@code audit}. */
  public static void mount(
      Vertx vertx, Router router, ApiGuard guard, LabSamples lab, AuditRecorder audit) {
    LabRoutes r = new LabRoutes(vertx, lab, audit);
    router.get(ANALYTES).handler(guard.require(Role.VIEWER)).handler(r::analytes);
    router.get(SAMPLES).handler(guard.require(Role.VIEWER)).handler(r::list);
    router.post(SAMPLES).handler(guard.require(Role.OPERATOR)).handler(r::enter);
    router.post(CORRECTIONS).handler(guard.require(Role.OPERATOR)).handler(r::correct);
  }

  private void analytes(RoutingContext rc) {
    JsonArray list = new JsonArray();
    for (Analyte a : lab.analytes().all()) {
      list.add(
          new JsonObject()
              .put("id", a.id())
              .put("name", a.name())
              .put("unit", a.unit())
              .put("molarMassGPerMol", a.molarMassGPerMol()));
    }
    json(rc, 200, new JsonObject().put("analytes", list));
  }

  private void list(RoutingContext rc) {
    String runId = rc.pathParam("runId");
    String all = rc.queryParams().get("allRevisions");
    if (all != null && !all.equals("true") && !all.equals("false")) {
      Problems.badField(rc, "allRevisions", "must be true or false, got '" + all + "'");
      return;
    }
    boolean every = "true".equals(all);
    blocking(() -> every ? lab.allRevisions(runId) : lab.latest(runId))
        .onSuccess(
            samples -> {
              JsonArray out = new JsonArray();
              samples.forEach(s -> out.add(toJson(s)));
              json(rc, 200, new JsonObject().put("samples", out));
            })
        .onFailure(e -> fail(rc, e));
  }

  private void enter(RoutingContext rc) {
    String runId = rc.pathParam("runId");
    LabJson body = LabJson.of(rc);
    if (body == null) {
      return;
    }
    LabEntry entry = body.entry();
    if (body.rejected(rc)) {
      return;
    }
    ApiCaller caller = ApiGuard.caller(rc);
    String target = "run/" + runId + "/sample";
    blocking(() -> lab.enter(runId, entry, caller.userName()))
        .onSuccess(
            rec -> {
              LabSample s = rec.sample();
              AuditRecorder.answerOnceRecorded(
                  rc,
                  audit.recordInRun(
                      caller,
                      runId,
                      AuditAction.LAB_ENTRY,
                      target + "/" + s.sampleId(),
                      null,
                      s.describe(),
                      null),
                  () -> {
                    rc.response().putHeader("Location", rc.request().path() + "/" + s.sampleId());
                    json(rc, 201, toJson(s));
                  });
            })
        .onFailure(
            e -> {
              if (e instanceof LabInputException bad) {
                AuditRecorder.answerOnceRecorded(
                    rc,
                    audit.recordInRun(
                        caller,
                        runId,
                        AuditAction.LAB_ENTRY,
                        target,
                        null,
                        AuditRecorder.refused(body.asked()),
                        bad.field() + ": " + bad.getMessage()),
                    () -> fail(rc, e));
                return;
              }
              fail(rc, e);
            });
  }

  private void correct(RoutingContext rc) {
    String runId = rc.pathParam("runId");
    String sampleId = rc.pathParam("sampleId");
    LabJson body = LabJson.of(rc);
    if (body == null) {
      return;
    }
    LabCorrection fix = body.correction();
    if (body.rejected(rc)) {
      return;
    }
    ApiCaller caller = ApiGuard.caller(rc);
    String target = "run/" + runId + "/sample/" + sampleId;
    blocking(() -> lab.correct(runId, sampleId, fix, caller.userName()))
        .onSuccess(
            rec ->
                AuditRecorder.answerOnceRecorded(
                    rc,
                    audit.recordInRun(
                        caller,
                        runId,
                        AuditAction.LAB_CORRECTION,
                        target,
                        rec.previous().describe(),
                        rec.sample().describe(),
                        rec.sample().reason()),
                    () -> json(rc, 201, toJson(rec.sample()))))
        .onFailure(
            e -> {
              if (e instanceof LabInputException bad) {
                AuditRecorder.answerOnceRecorded(
                    rc,
                    audit.recordInRun(
                        caller,
                        runId,
                        AuditAction.LAB_CORRECTION,
                        target,
                        null,
                        AuditRecorder.refused(body.asked()),
                        AuditRecorder.because(bad.field() + ": " + bad.getMessage(), fix.reason())),
                    () -> fail(rc, e));
                return;
              }
              fail(rc, e);
            });
  }

  private <T> Future<T> blocking(Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }

  private static void fail(RoutingContext rc, Throwable e) {
    if (e instanceof LabInputException bad) {
      Problems.badField(rc, bad.field(), bad.getMessage());
    } else if (e instanceof LabNotFoundException) {
      Problems.send(rc, 404, "Not found", e.getMessage());
    } else {
      LOG.error("lab request {} {} failed", rc.request().method(), rc.request().path(), e);
      Problems.send(rc, 500, "Lab request failed", String.valueOf(e.getMessage()));
    }
  }

  private static void json(RoutingContext rc, int status, JsonObject body) {
    if (rc.response().ended()) {
      return;
    }
    rc.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(body.encode());
  }

  /** The JSON shape of a sample revision; the OpenAPI document's LabSample. */
  static JsonObject toJson(LabSample s) {
    return new JsonObject()
        .put("sampleId", s.sampleId())
        .put("revision", s.revision())
        .put("runId", s.runId())
        .put("reactorId", s.reactorId())
        .put("analyte", s.analyte())
        .put("value", s.value())
        .put("unit", s.unit())
        .put("valueCanonical", s.valueCanonical())
        .put("canonicalUnit", s.canonicalUnit())
        .put("belowDetectionLimit", s.belowDetectionLimit())
        .put("detectionLimit", s.detectionLimit())
        .put("method", s.method())
        .put("sampledAt", s.sampledAt().toString())
        .put("measuredAt", s.measuredAt().toString())
        .put("enteredAt", s.enteredAt().toString())
        .put("enteredBy", s.enteredBy())
        .put("reason", s.reason())
        .put("revisions", s.revisions());
  }
}
