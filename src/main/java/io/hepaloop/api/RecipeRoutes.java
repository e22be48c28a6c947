package io.hepaloop.api;

import io.hepaloop.audit.AuditAction;
import io.hepaloop.audit.AuditRecord;
import io.hepaloop.audit.Signature;
import io.hepaloop.users.Role;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The plant's recipes: {@code GET /api/recipes} (viewer) lists every recipe file with its version,
 * content hash, phases, problems and release; {@code POST /api/recipes/{name}/release} (engineer)
 * releases the file's current version with an electronic signature, always (strict or research
 * mode): a release is what lets a version run a culture for weeks, so whoever approves it signs. A
 * wrong password is refused and recorded ({@link AuditAction#SIGNATURE_REFUSED}); releasing a
 * version already released is 409 and recorded as refused. Files and the database are read on a
 * worker, never on the event loop.
 */
public final class RecipeRoutes {
  static final String PATH = "/api/recipes";
  static final long MAX_BODY_BYTES = 16 * 1024;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final Vertx vertx;
  private final RecipeAccess recipes;
  private final AuditRecorder audit;

  private RecipeRoutes(Vertx vertx, RecipeAccess recipes, AuditRecorder audit) {
    this.vertx = vertx;
    this.recipes = recipes;
    this.audit = audit;
  }

  /** Adds the routes to {@code router} behind {@code guard}; releases are recorded by audit. */
  public static void mount(
      Vertx vertx, Router router, ApiGuard guard, RecipeAccess recipes, AuditRecorder audit) {
    RecipeRoutes r = new RecipeRoutes(vertx, recipes, audit);
    router.get(PATH).handler(guard.require(Role.VIEWER)).handler(r::list);
    router
        .post(PATH + "/:name/release")
        .handler(BodyLimit.of(MAX_BODY_BYTES))
        .handler(guard.require(Role.ENGINEER))
        .handler(r::release);
  }

  private void list(RoutingContext rc) {
    vertx
        .executeBlocking(recipes::list, false)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                rc.fail(ar.cause());
                return;
              }
              JsonArray out = new JsonArray();
              ar.result().forEach(i -> out.add(json(i)));
              PlantRoutes.json(rc, 200, new JsonObject().put("recipes", out).encode());
            });
  }

  private void release(RoutingContext rc) {
    String name = rc.pathParam("name");
    if (name == null || !NAME.matcher(name).matches()) {
      Problems.badField(
          rc, "name", "must be a recipe file name without .yaml (letters, digits, . _ -)");
      return;
    }
    JsonObject body = PlantInput.object(rc, Set.of("reason", "signature"));
    if (body == null) {
      return;
    }
    String[] reason = new String[1];
    if (!PlantInput.optionalString(rc, body, "reason", reason)) {
      return;
    }
    if (reason[0] != null && reason[0].length() > AuditedCommands.MAX_COMMENT) {
      Problems.badField(
          rc,
          "reason",
          "is " + reason[0].length() + " characters long; at most " + AuditedCommands.MAX_COMMENT);
      return;
    }
    AuditSignatures.Given[] given = new AuditSignatures.Given[1];
    if (!AuditSignatures.read(rc, body, given)) {
      return;
    }
    ApiCaller caller = ApiGuard.caller(rc);
    String target = "recipe/" + name;
    if (given[0] == null) {
      String detail =
          "releasing a recipe always needs an electronic signature (signature: {password,"
              + " meaning}); nothing was released";
      AuditRecorder.answerOnceRecorded(
          rc,
          audit.record(
              caller,
              AuditAction.SIGNATURE_REFUSED,
              target,
              null,
              AuditRecorder.refused(AuditAction.RECIPE_RELEASE.id() + " " + name),
              AuditRecorder.because(detail, reason[0]),
              null),
          () ->
              AuditSignatures.answer(
                  rc, AuditSignatures.Outcome.refused("Signature required", detail)));
      return;
    }
    Context context = vertx.getOrCreateContext();
    vertx
        .executeBlocking(() -> recipes.find(name), false)
        .onComplete(
            found -> {
              if (found.failed()) {
                rc.fail(found.cause());
                return;
              }
              RecipeAccess.RecipeInfo info = found.result();
              if (info == null) {
                Problems.send(
                    rc,
                    404,
                    "Unknown recipe",
                    "no recipe file '" + name + ".yaml' in the plant's recipes directory",
                    new Problems.FieldError("name", "no recipe '" + name + "'"));
                return;
              }
              if (!info.valid()) {
                Problems.send(
                    rc,
                    422,
                    "Recipe not valid",
                    "recipe "
                        + name
                        + " has "
                        + info.problems().size()
                        + " problem(s) and cannot be released: "
                        + String.join("; ", info.problems()),
                    new Problems.FieldError("name", "recipe '" + name + "' is not valid"));
                return;
              }
              String asked = describe(info);
              if (info.released() != null) {
                refuseReleased(rc, caller, target, asked, reason[0], alreadyReleased(info));
                return;
              }
              audit
                  .signatures()
                  .check(caller, AuditAction.RECIPE_RELEASE, given[0])
                  .onComplete(
                      checked -> {
                        if (checked.failed()) {
                          rc.fail(checked.cause());
                          return;
                        }
                        AuditSignatures.Outcome signed = checked.result();
                        if (!signed.ok()) {
                          AuditRecorder.answerOnceRecorded(
                              rc,
                              audit.record(
                                  caller,
                                  AuditAction.SIGNATURE_REFUSED,
                                  target,
                                  null,
                                  AuditRecorder.refused(
                                      AuditAction.RECIPE_RELEASE.id() + " " + asked),
                                  AuditRecorder.because(signed.detail(), reason[0]),
                                  null),
                              () -> AuditSignatures.answer(rc, signed));
                          return;
                        }
                        releaseSigned(
                            rc, context, caller, name, info, signed.signature(), reason[0]);
                      });
            });
  }

  /** Records the signed release, then the release row linked to that record. */
  private void releaseSigned(
      RoutingContext rc,
      Context context,
      ApiCaller caller,
      String name,
      RecipeAccess.RecipeInfo info,
      Signature signature,
      String reason) {
    String target = "recipe/" + name;
    String asked = describe(info);
    Future<AuditRecord> recorded =
        Future.fromCompletionStage(
            audit.record(
                caller, AuditAction.RECIPE_RELEASE, target, null, asked, reason, signature),
            context);
    recorded
        .transform(ar -> Future.succeededFuture(ar.succeeded() ? ar.result() : null))
        .compose(
            record ->
                vertx.executeBlocking(
                    () ->
                        recipes.release(
                            name,
                            info.sha256(),
                            signature.printedName(),
                            signature.signedAt() == null ? Instant.now() : signature.signedAt(),
                            signature.meaning(),
                            record == null ? null : record.sequence()),
                    false))
        .onComplete(
            done -> {
              if (done.succeeded()) {
                RecipeAccess.RecipeInfo after =
                    new RecipeAccess.RecipeInfo(
                        info.name(),
                        info.sha256(),
                        info.version(),
                        info.description(),
                        info.profile(),
                        info.phases(),
                        info.problems(),
                        done.result());
                PlantRoutes.json(rc, 200, json(after).encode());
              } else if (done.cause() instanceof RecipeAccess.AlreadyReleasedException e) {
                refuseReleased(rc, caller, target, asked, reason, e.getMessage());
              } else if (done.cause() instanceof IllegalStateException e) {
                Problems.send(rc, 409, "Recipe not released", e.getMessage());
              } else {
                rc.fail(done.cause());
              }
            });
  }

  private void refuseReleased(
      RoutingContext rc,
      ApiCaller caller,
      String target,
      String asked,
      String reason,
      String detail) {
    AuditRecorder.answerOnceRecorded(
        rc,
        audit.record(
            caller,
            AuditAction.RECIPE_RELEASE,
            target,
            null,
            AuditRecorder.refused(asked),
            AuditRecorder.because(detail, reason),
            null),
        () -> Problems.send(rc, 409, "Already released", detail + "; nothing was changed"));
  }

  private static String alreadyReleased(RecipeAccess.RecipeInfo info) {
    RecipeAccess.Released r = info.released();
    return "recipe "
        + info.name()
        + " "
        + info.version()
        + " (sha256 "
        + info.sha256()
        + ") was released by "
        + r.releasedBy()
        + " at "
        + r.releasedAt();
  }

  /** What a release record names: recipe, version and hash. */
  static String describe(RecipeAccess.RecipeInfo info) {
    return info.name() + " " + info.version() + " sha256 " + info.sha256();
  }

  static JsonObject json(RecipeAccess.RecipeInfo i) {
    JsonArray phases = new JsonArray();
    i.phases()
        .forEach(
            p ->
                phases.add(
                    new JsonObject()
                        .put("id", p.id())
                        .put("description", p.description())
                        .put("transition", p.transition())));
    RecipeAccess.Released r = i.released();
    return new JsonObject()
        .put("name", i.name())
        .put("version", i.version())
        .put("sha256", i.sha256())
        .put("description", i.description())
        .put("profile", i.profile())
        .put("valid", i.valid())
        .put("problems", new JsonArray(i.problems()))
        .put("phases", phases)
        .put("released", r != null)
        .put("releasedBy", r == null ? null : r.releasedBy())
        .put("releasedAt", r == null || r.releasedAt() == null ? null : r.releasedAt().toString())
        .put("meaning", r == null ? null : r.meaning())
        .put("auditSeq", r == null ? null : r.auditSeq());
  }
}
