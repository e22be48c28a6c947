package io.hepaloop.api;

import io.hepaloop.audit.AuditAction;
import io.hepaloop.audit.AuditEntry;
import io.hepaloop.plantstate.RunEventRecord;
import io.hepaloop.plantstate.RunNoteRecord;
import io.hepaloop.plantstate.RunRecord;
import io.hepaloop.users.Role;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The runs (docs/runs.md, docs/api.md "Runs"):
 *
 * <pre>
 *   GET  /api/runs?reactorId=&amp;state=                   runs, newest first (viewer)
 *   POST /api/runs                                      create a run, IDLE (operator)
 *   GET  /api/runs/{runId}                              one run (viewer)
 *   POST /api/runs/{runId}/start|hold|restart|stop|abort   ISA-88 commands (operator; abort
 *                                                       e-signed in strict mode)
 *   POST /api/runs/{runId}/confirm                      answer a prompt (operator)
 *   GET  /api/runs/{runId}/events                       the run's event log (viewer)
 *   GET|POST /api/runs/{runId}/notes                    operator notes (viewer | operator)
 * </pre>
 *
 * A command the run's state does not allow is answered 409 naming the state; an invalid body 400
 * naming the field; an unknown run 404. Every human action, applied or refused (not malformed),
 * appends an audit record whose run id is the run's ({@link AuditRecorder#recordForRun}). In strict
 * mode a run is created only from a released recipe version.
 */
public final class RunRoutes {
  public static final String BASE = "/api/runs";
  static final String RUN = BASE + "/:runId";

  /** A run body is a few short fields. */
  static final long MAX_BODY_BYTES = 16 * 1024;

  /** Longest name-like field (scaffold, medium, operator ...). */
  static final int MAX_NAME = 200;

  /** The states a list may be filtered by. */
  static final List<String> STATES =
      List.of(
          "IDLE",
          "RUNNING",
          "HOLDING",
          "HELD",
          "RESTARTING",
          "STOPPING",
          "STOPPED",
          "ABORTING",
          "ABORTED",
          "COMPLETE");

  private static final Pattern RECIPE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Set<String> CREATE_FIELDS =
      Set.of(
          "reactorId",
          "recipe",
          "cellSource",
          "cellSourceDetail",
          "cellsSeeded",
          "scaffold",
          "medium",
          "operator",
          "reason");
  private static final Set<String> COMMAND_FIELDS = Set.of("reason", "signature");
  private static final Set<String> CONFIRM_FIELDS = Set.of("promptId", "reason", "signature");
  private static final Set<String> NOTE_FIELDS = Set.of("text", "notedAt");

  private final RunAccess runs;
  private final AuditRecorder audit;

  private RunRoutes(RunAccess runs, AuditRecorder audit) {
    this.runs = runs;
    this.audit = audit;
  }

  /**
   * Adds the run routes to {@code router}, behind {@code guard}, recording through {@code audit}.
   */
  public static void mount(Router router, ApiGuard guard, RunAccess runs, AuditRecorder audit) {
    RunRoutes r = new RunRoutes(runs, audit);
    Handler<RoutingContext> body = BodyLimit.of(MAX_BODY_BYTES);
    router.get(BASE).handler(guard.require(Role.VIEWER)).handler(r::list);
    router.post(BASE).handler(body).handler(guard.require(Role.OPERATOR)).handler(r::create);
    router.get(RUN).handler(guard.require(Role.VIEWER)).handler(r::get);
    for (String command : RunAccess.COMMANDS) {
      router
          .post(RUN + "/" + command)
          .handler(body)
          .handler(guard.require(Role.OPERATOR))
          .handler(rc -> r.command(rc, command));
    }
    router
        .post(RUN + "/confirm")
        .handler(body)
        .handler(guard.require(Role.OPERATOR))
        .handler(r::confirm);
    router.get(RUN + "/events").handler(guard.require(Role.VIEWER)).handler(r::events);
    router.get(RUN + "/notes").handler(guard.require(Role.VIEWER)).handler(r::notes);
    router
        .post(RUN + "/notes")
        .handler(body)
        .handler(guard.require(Role.OPERATOR))
        .handler(r::addNote);
  }

  // ------------------------------------------------------------------ reads

  private void list(RoutingContext rc) {
    String reactor = rc.queryParams().get("reactorId");
    String state = rc.queryParams().get("state");
    if (reactor != null && !runs.reactorIds().contains(reactor)) {
      Problems.badField(
          rc, "reactorId", "no reactor '" + reactor + "'; reactors: " + runs.reactorIds());
      return;
    }
    if (state != null) {
      state = state.strip().toUpperCase(Locale.ROOT);
      if (!STATES.contains(state)) {
        Problems.badField(rc, "state", "unknown state; states: " + STATES);
        return;
      }
    }
    ok(
        rc,
        runs.list(reactor, state),
        views -> {
          JsonArray list = new JsonArray();
          views.forEach(v -> list.add(toJson(v)));
          return new JsonObject().put("runs", list);
        });
  }

  private void get(RoutingContext rc) {
    ok(rc, runs.get(rc.pathParam("runId")), RunRoutes::toJson);
  }

  private void events(RoutingContext rc) {
    ok(rc, runs.events(rc.pathParam("runId")), RunRoutes::eventsJson);
  }

  private void notes(RoutingContext rc) {
    ok(rc, runs.notes(rc.pathParam("runId")), RunRoutes::notesJson);
  }

  private static JsonObject eventsJson(List<RunEventRecord> events) {
    JsonArray list = new JsonArray();
    for (RunEventRecord e : events) {
      list.add(
          new JsonObject()
              .put("seq", e.seq())
              .put("at", e.at().toString())
              .put("kind", e.kind())
              .put("phaseIndex", e.phaseIndex())
              .put("phaseId", e.phaseId())
              .put("state", e.state())
              .put("subject", e.subject())
              .put("message", e.message()));
    }
    return new JsonObject().put("events", list);
  }

  // ------------------------------------------------------------------ create

  private void create(RoutingContext rc) {
    JsonObject b = PlantInput.object(rc, CREATE_FIELDS);
    if (b == null) {
      return;
    }
    String reactor = PlantInput.string(rc, b, "reactorId");
    if (reactor == null) {
      return;
    }
    if (!runs.reactorIds().contains(reactor)) {
      Problems.badField(
          rc, "reactorId", "no reactor '" + reactor + "'; reactors: " + runs.reactorIds());
      return;
    }
    String recipe = PlantInput.string(rc, b, "recipe");
    if (recipe == null) {
      return;
    }
    if (!RECIPE_NAME.matcher(recipe).matches()) {
      Problems.badField(
          rc,
          "recipe",
          "'" + recipe + "' is not a recipe name (a file name in recipes/ without .yaml)");
      return;
    }
    String cellSource = PlantInput.string(rc, b, "cellSource");
    if (cellSource == null) {
      return;
    }
    if (!RunAccess.CELL_SOURCES.contains(cellSource)) {
      Problems.badField(
          rc,
          "cellSource",
          "unknown cell source '" + cellSource + "'; one of " + RunAccess.CELL_SOURCES);
      return;
    }
    Double cells = PlantInput.number(rc, b, "cellsSeeded");
    if (cells == null) {
      return;
    }
    if (!(cells > 0)) {
      Problems.badField(rc, "cellsSeeded", "must be a number of cells > 0, got " + cells);
      return;
    }
    String scaffold = name(rc, b, "scaffold", true);
    String medium = scaffold == null ? null : name(rc, b, "medium", true);
    if (medium == null) {
      return;
    }
    String[] detail = new String[1];
    String[] operator = new String[1];
    String[] reason = new String[1];
    if (!optional(rc, b, "cellSourceDetail", MAX_NAME, detail)
        || !optional(rc, b, "operator", MAX_NAME, operator)
        || !optional(rc, b, "reason", AuditEntry.MAX_TEXT, reason)) {
      return;
    }
    ApiCaller caller = ApiGuard.caller(rc);
    boolean strict = audit.signatures().mode() == AuditSignatures.Mode.STRICT;
    RunAccess.NewRun n =
        new RunAccess.NewRun(
            reactor, recipe, cellSource, detail[0], cells, scaffold, medium, operator[0]);
    runs.create(n, caller.userName(), strict)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                RunRecord r = ar.result().record();
                // answered once the record is committed: a run the client saw created is in
                // the trail even if the process dies the next instant
                AuditRecorder.answerOnceRecorded(
                    rc,
                    List.of(
                        audit.recordForRun(
                            caller,
                            r.runId(),
                            AuditAction.RUN_CREATE,
                            null,
                            describe(r),
                            reason[0],
                            null)),
                    () -> {
                      rc.response().putHeader("Location", BASE + "/" + r.runId());
                      json(rc, 201, toJson(ar.result()));
                    });
                return;
              }
              if (ar.cause() instanceof RunAccess.RunRefused e
                  && (e.status() == 409 || e.status() == 422 || e.status() == 404)) {
                AuditRecorder.thenAnswer(
                    List.of(
                        audit.record(
                            caller,
                            AuditAction.RUN_CREATE,
                            reactor,
                            null,
                            AuditRecorder.refused("run of recipe " + recipe + " on " + reactor),
                            AuditRecorder.because(e.getMessage(), reason[0]),
                            null)),
                    () -> {
                      if (e.status() == 404) {
                        Problems.badField(rc, "recipe", e.getMessage());
                      } else {
                        fail(rc, e);
                      }
                    });
                return;
              }
              fail(rc, ar.cause());
            });
  }

  /** The new value of a run's creation record. */
  static String describe(RunRecord r) {
    return "run "
        + r.runId()
        + " on "
        + r.reactorId()
        + ": recipe "
        + r.recipeName()
        + " "
        + r.recipeVersion()
        + " (sha256 "
        + r.recipeSha256()
        + "); cells "
        + r.cellSource()
        + (r.cellSourceDetail() == null ? "" : " (" + r.cellSourceDetail() + ")")
        + " "
        + r.cellsSeeded()
        + " seeded; scaffold "
        + r.scaffold()
        + "; medium "
        + r.medium()
        + "; operator "
        + r.operator();
  }

  // ------------------------------------------------------------------ commands

  private static AuditAction action(String command) {
    return switch (command) {
      case "start" -> AuditAction.RUN_START;
      case "hold" -> AuditAction.RUN_HOLD;
      case "restart" -> AuditAction.RUN_RESTART;
      case "stop" -> AuditAction.RUN_STOP;
      case "abort" -> AuditAction.RUN_ABORT;
      default -> AuditAction.PROMPT_ANSWER;
    };
  }

  private void command(RoutingContext rc, String command) {
    JsonObject b = optionalObject(rc, COMMAND_FIELDS);
    Why why = b == null ? null : why(rc, b);
    if (why == null) {
      return;
    }
    String runId = rc.pathParam("runId");
    signed(
        rc,
        runId,
        action(command),
        command,
        why,
        () -> runs.command(runId, command, ApiGuard.caller(rc).userName()));
  }

  private void confirm(RoutingContext rc) {
    JsonObject b = PlantInput.object(rc, CONFIRM_FIELDS);
    if (b == null) {
      return;
    }
    String prompt = PlantInput.string(rc, b, "promptId");
    if (prompt == null) {
      return;
    }
    Why why = why(rc, b);
    if (why == null) {
      return;
    }
    String runId = rc.pathParam("runId");
    signed(
        rc,
        runId,
        AuditAction.PROMPT_ANSWER,
        "confirm " + prompt,
        why,
        () -> runs.confirm(runId, prompt, ApiGuard.caller(rc).userName()));
  }

  /** A command's reason and electronic signature, each optional in the body. */
  private record Why(String reason, AuditSignatures.Given signature) {}

  /** The body's reason and signature; null after a 400 naming the field that is wrong. */
  private static Why why(RoutingContext rc, JsonObject b) {
    String[] reason = new String[1];
    AuditSignatures.Given[] signature = new AuditSignatures.Given[1];
    if (!optional(rc, b, "reason", AuditEntry.MAX_TEXT, reason)
        || !AuditSignatures.read(rc, b, signature)) {
      return null;
    }
    return new Why(reason[0], signature[0]);
  }

  /**
   * Checks the signature (required for a critical action in strict mode), applies the command,
   * answers 200 or 409, and records what happened.
   */
  private void signed(
      RoutingContext rc,
      String runId,
      AuditAction action,
      String what,
      Why why,
      java.util.function.Supplier<io.vertx.core.Future<RunAccess.Outcome>> apply) {
    String reason = why.reason();
    AuditSignatures.Given given = why.signature();
    ApiCaller caller = ApiGuard.caller(rc);
    audit
        .signatures()
        .check(caller, action, given)
        .onComplete(
            checked -> {
              if (checked.failed()) {
                fail(rc, checked.cause());
                return;
              }
              AuditSignatures.Outcome signed = checked.result();
              if (!signed.ok()) {
                AuditRecorder.thenAnswer(
                    List.of(
                        audit.recordForRun(
                            caller,
                            runId,
                            AuditAction.SIGNATURE_REFUSED,
                            null,
                            AuditRecorder.refused(action.id() + " " + what),
                            AuditRecorder.because(signed.detail(), reason),
                            null)),
                    () -> AuditSignatures.answer(rc, signed));
                return;
              }
              apply
                  .get()
                  .onComplete(
                      ar -> {
                        if (ar.failed()) {
                          fail(rc, ar.cause());
                          return;
                        }
                        RunAccess.Outcome o = ar.result();
                        if (o.accepted()) {
                          AuditRecorder.answerOnceRecorded(
                              rc,
                              List.of(
                                  audit.recordForRun(
                                      caller,
                                      runId,
                                      action,
                                      o.stateBefore(),
                                      action == AuditAction.PROMPT_ANSWER
                                          ? what.substring("confirm ".length()) + " answered"
                                          : o.run().state(),
                                      reason,
                                      signed.signature())),
                              () ->
                                  json(
                                      rc,
                                      200,
                                      new JsonObject()
                                          .put("accepted", true)
                                          .put("message", o.message())
                                          .put("signed", signed.signature() != null)
                                          .put("run", toJson(o.run()))));
                        } else {
                          AuditRecorder.thenAnswer(
                              List.of(
                                  audit.recordForRun(
                                      caller,
                                      runId,
                                      action,
                                      o.stateBefore(),
                                      AuditRecorder.refused(what),
                                      AuditRecorder.because(o.message(), reason),
                                      signed.signature())),
                              () -> Problems.send(rc, 409, "Run command refused", o.message()));
                        }
                      });
            });
  }

  // ------------------------------------------------------------------ notes

  private void addNote(RoutingContext rc) {
    JsonObject b = PlantInput.object(rc, NOTE_FIELDS);
    if (b == null) {
      return;
    }
    String text = PlantInput.string(rc, b, "text");
    if (text == null) {
      return;
    }
    if (text.length() > RunNoteRecord.MAX_TEXT) {
      Problems.badField(
          rc,
          "text",
          "is " + text.length() + " characters long; at most " + RunNoteRecord.MAX_TEXT);
      return;
    }
    String[] at = new String[1];
    if (!PlantInput.optionalString(rc, b, "notedAt", at)) {
      return;
    }
    Instant notedAt = null;
    if (at[0] != null) {
      try {
        notedAt = Instant.parse(at[0]);
      } catch (DateTimeParseException e) {
        Problems.badField(
            rc, "notedAt", "must be an ISO-8601 UTC time like 2026-01-01T08:00:00Z, got " + at[0]);
        return;
      }
    }
    String runId = rc.pathParam("runId");
    ApiCaller caller = ApiGuard.caller(rc);
    runs.addNote(runId, notedAt, caller.userName(), text)
        .compose(note -> runs.notes(runId).map(all -> new Object[] {note, all}))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                fail(rc, ar.cause());
                return;
              }
              RunNoteRecord note = (RunNoteRecord) ar.result()[0];
              @SuppressWarnings("unchecked")
              List<RunNoteRecord> all = (List<RunNoteRecord>) ar.result()[1];
              AuditRecorder.answerOnceRecorded(
                  rc,
                  List.of(
                      audit.recordForRun(
                          caller,
                          runId,
                          AuditAction.OPERATOR_NOTE,
                          null,
                          "note " + note.noteId() + " at " + note.notedAt() + ": " + text,
                          null,
                          null)),
                  () -> json(rc, 201, notesJson(all)));
            });
  }

  private static JsonObject notesJson(List<RunNoteRecord> notes) {
    JsonArray list = new JsonArray();
    for (RunNoteRecord n : notes) {
      list.add(
          new JsonObject()
              .put("noteId", n.noteId())
              .put("notedAt", n.notedAt().toString())
              .put("writtenAt", n.writtenAt().toString())
              .put("user", n.user())
              .put("text", n.text()));
    }
    return new JsonObject().put("notes", list);
  }

  // ------------------------------------------------------------------ helpers

  /** The Run JSON of the OpenAPI document. */
  static JsonObject toJson(RunAccess.RunView v) {
    RunRecord r = v.record();
    JsonArray phases = new JsonArray();
    for (RunAccess.PhaseTime p : v.phases()) {
      phases.add(
          new JsonObject()
              .put("index", p.index())
              .put("id", p.id())
              .put("name", p.name())
              .put("startedAt", text(p.startedAt()))
              .put("endedAt", text(p.endedAt())));
    }
    JsonArray prompts = new JsonArray();
    for (RunAccess.Prompt p : v.openPrompts()) {
      prompts.add(new JsonObject().put("id", p.id()).put("question", p.question()));
    }
    return new JsonObject()
        .put("runId", r.runId())
        .put("reactorId", r.reactorId())
        .put(
            "recipe",
            new JsonObject()
                .put("name", r.recipeName())
                .put("version", r.recipeVersion())
                .put("sha256", r.recipeSha256()))
        .put("cellSource", r.cellSource())
        .put("cellSourceDetail", r.cellSourceDetail())
        .put("cellsSeeded", r.cellsSeeded())
        .put("scaffold", r.scaffold())
        .put("medium", r.medium())
        .put("operator", r.operator())
        .put("createdBy", r.createdBy())
        .put("createdAt", text(r.createdAt()))
        .put("startedAt", text(r.startedAt()))
        .put("endedAt", text(r.endedAt()))
        .put("state", v.state())
        .put("phaseIndex", v.phaseIndex())
        .put("phaseId", v.phaseId())
        .put("phaseElapsedS", v.phaseElapsedS())
        .put("phases", phases)
        .put("openPrompts", prompts)
        .put("allowedCommands", new JsonArray(v.allowedCommands()));
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }

  /** A body that may be empty (no reason, no signature): {} then; null after a 400. */
  private static JsonObject optionalObject(RoutingContext rc, Set<String> allowed) {
    String text = rc.body() == null ? null : rc.body().asString();
    if (text == null || text.isBlank()) {
      return new JsonObject();
    }
    return PlantInput.object(rc, allowed);
  }

  private static String name(RoutingContext rc, JsonObject b, String field, boolean required) {
    String v = PlantInput.string(rc, b, field);
    if (v == null) {
      return null;
    }
    if (v.length() > MAX_NAME) {
      Problems.badField(rc, field, "is " + v.length() + " characters long; at most " + MAX_NAME);
      return null;
    }
    return v.strip();
  }

  private static boolean optional(
      RoutingContext rc, JsonObject b, String field, int max, String[] out) {
    if (!PlantInput.optionalString(rc, b, field, out)) {
      return false;
    }
    if (out[0] != null && out[0].length() > max) {
      Problems.badField(rc, field, "is " + out[0].length() + " characters long; at most " + max);
      return false;
    }
    return true;
  }

  /** Answers a read: 200 with {@code body} of the result, or the failure as a problem. */
  private static <T> void ok(
      RoutingContext rc, Future<T> read, Function<? super T, JsonObject> body) {
    read.onComplete(
        ar -> {
          if (ar.failed()) {
            fail(rc, ar.cause());
          } else {
            json(rc, 200, body.apply(ar.result()));
          }
        });
  }

  private static void fail(RoutingContext rc, Throwable cause) {
    if (cause instanceof RunAccess.RunRefused e) {
      Problems.send(rc, e.status(), e.title(), e.getMessage());
    } else {
      Problems.send(rc, 500, "Run request failed", String.valueOf(cause.getMessage()));
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
}
