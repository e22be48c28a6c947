package io.hepaloop.api;

import io.hepaloop.audit.AuditAction;
import io.hepaloop.users.ApiTokens;
import io.hepaloop.users.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;

/**
 * A user's own API tokens: {@code GET /api/tokens}, {@code POST /api/tokens} (the secret is in this
 * one answer only), {@code DELETE /api/tokens/{id}}. Tokens are created from a logged-in session,
 * not with another token: a leaked token must not be able to mint itself successors. A creation or
 * revocation is answered only once its audit record is committed.
 */
final class TokenRoutes {
  /** The longest expiry a token may be given: ten years (no expiry at all is allowed too). */
  static final long MAX_EXPIRY_DAYS = 3650;

  private final ApiSecurity security;
  private final ApiGuard guard;
  private final Blocking blocking;
  private final AuditRecorder audit;

  TokenRoutes(ApiSecurity security, ApiGuard guard, Blocking blocking, AuditRecorder audit) {
    this.security = security;
    this.guard = guard;
    this.blocking = blocking;
    this.audit = audit;
  }

  void mount(Router router) {
    router.get("/api/tokens").handler(guard.require(Role.VIEWER)).handler(this::list);
    router.post("/api/tokens").handler(guard.require(Role.VIEWER)).handler(this::create);
    router.delete("/api/tokens/:id").handler(guard.require(Role.VIEWER)).handler(this::revoke);
  }

  private void list(RoutingContext rc) {
    String user = ApiGuard.caller(rc).userName();
    blocking
        .db(() -> security.tokens().list(user))
        .onSuccess(
            tokens -> {
              JsonArray out = new JsonArray();
              tokens.forEach(t -> out.add(json(t)));
              SessionRoutes.json(rc, 200, out);
            })
        .onFailure(rc::fail);
  }

  private void create(RoutingContext rc) {
    if (ApiGuard.caller(rc).viaToken()) {
      Problems.send(
          rc,
          403,
          "Forbidden",
          "API tokens are created from a logged-in session (POST /api/login), not with a token");
      return;
    }
    JsonBody body = JsonBody.of(rc);
    if (body == null) {
      return;
    }
    String label = body.string("name", ApiTokens.MAX_LABEL_LENGTH, true);
    Long days = body.integer("expiresInDays", 1, MAX_EXPIRY_DAYS);
    if (label != null && label.isBlank()) {
      body.problem("name", "must not be blank");
    }
    if (body.rejected(rc)) {
      return;
    }
    String user = ApiGuard.caller(rc).userName();
    Instant now = security.clock().now();
    Instant expiresAt = days == null ? null : now.plus(Duration.ofDays(days));
    blocking
        .db(() -> security.tokens().create(user, label, expiresAt))
        .onSuccess(
            created ->
                AuditRecorder.answerOnceRecorded(
                    rc,
                    audit.record(
                        ApiGuard.caller(rc),
                        AuditAction.TOKEN_CREATE,
                        user + "/token/" + created.token().id(),
                        null,
                        "'"
                            + created.token().label()
                            + "' expires "
                            + (expiresAt == null ? "never" : expiresAt.toString()),
                        null,
                        null),
                    () -> {
                      rc.response().putHeader("Location", "/api/tokens/" + created.token().id());
                      SessionRoutes.json(
                          rc, 201, json(created.token()).put("token", created.secret()));
                    }))
        .onFailure(rc::fail);
  }

  private void revoke(RoutingContext rc) {
    long id;
    try {
      id = Long.parseLong(rc.pathParam("id"));
    } catch (NumberFormatException e) {
      Problems.badField(rc, "id", "expected a token id (a whole number)");
      return;
    }
    String user = ApiGuard.caller(rc).userName();
    blocking
        .db(() -> security.tokens().revoke(user, id))
        .onSuccess(
            revoked -> {
              if (revoked) {
                AuditRecorder.answerOnceRecorded(
                    rc,
                    audit.record(
                        ApiGuard.caller(rc),
                        AuditAction.TOKEN_REVOKE,
                        user + "/token/" + id,
                        "live",
                        "revoked",
                        null,
                        null),
                    () -> rc.response().setStatusCode(204).end());
              } else {
                Problems.send(
                    rc,
                    404,
                    "Not Found",
                    "you have no live API token " + id + " (GET /api/tokens lists yours)");
              }
            })
        .onFailure(rc::fail);
  }

  static JsonObject json(ApiTokens.Token t) {
    return new JsonObject()
        .put("id", t.id())
        .put("name", t.label())
        .put("createdAt", t.createdAt().toString())
        .put("expiresAt", t.expiresAt() == null ? null : t.expiresAt().toString())
        .put("lastUsedAt", t.lastUsedAt() == null ? null : t.lastUsedAt().toString())
        .put("revokedAt", t.revokedAt() == null ? null : t.revokedAt().toString());
  }
}
