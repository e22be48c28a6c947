package io.hepaloop.api;

import io.hepaloop.audit.AuditAction;
import io.hepaloop.audit.AuditRecord;
import io.hepaloop.users.LoginResult;
import io.hepaloop.users.PasswordRules;
import io.hepaloop.users.Sessions;
import io.hepaloop.users.User;
import io.hepaloop.users.UserException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * Logging in and out: {@code POST /api/login}, {@code POST /api/logout}, {@code GET /api/session}
 * (who am I, with the CSRF token) and {@code POST /api/password} (a user's own new password; the
 * only thing a user who must change theirs may do besides the other two).
 *
 * <p>A failed login says only "wrong user name or password", whatever the reason (unknown user,
 * wrong password, disabled), so nobody learns which names exist; a locked account answers 429 with
 * the end of the lockout, as the user must know when to try again.
 */
final class SessionRoutes {
  private final ApiSecurity security;
  private final SessionGuard guard;
  private final Blocking blocking;
  private final AuditRecorder audit;

  SessionRoutes(ApiSecurity security, SessionGuard guard, Blocking blocking, AuditRecorder audit) {
    this.security = security;
    this.guard = guard;
    this.blocking = blocking;
    this.audit = audit;
  }

  void mount(Router router) {
    router.post("/api/login").handler(this::login);
    router
        .post("/api/logout")
        .handler(guard.requireEvenBeforePasswordChange())
        .handler(this::logout);
    router.get("/api/session").handler(guard.requireEvenBeforePasswordChange()).handler(this::who);
    router
        .post("/api/password")
        .handler(guard.requireEvenBeforePasswordChange())
        .handler(this::password);
  }

  private record LoggedIn(LoginResult result, Sessions.Created session) {}

  private void login(RoutingContext rc) {
    JsonBody body = JsonBody.of(rc);
    if (body == null) {
      return;
    }
    String name = body.string("user", 64, true);
    String password = body.string("password", PasswordRules.MAX_PASSWORD_LENGTH, true);
    if (body.rejected(rc)) {
      return;
    }
    blocking
        .hashing(
            () -> {
              char[] secret = password.toCharArray();
              try {
                LoginResult r = security.users().verify(name, secret);
                return new LoggedIn(r, r.ok() ? security.sessions().create(r.user()) : null);
              } finally {
                Arrays.fill(secret, '\0');
              }
            })
        .onSuccess(
            done -> {
              LoginResult r = done.result();
              switch (r.outcome()) {
                case OK ->
                    AuditRecorder.answerOnceRecorded(
                        rc,
                        audit.record(
                            r.user().name(),
                            r.user().role().id(),
                            AuditAction.LOGIN,
                            null,
                            null,
                            r.user().mustChangePassword()
                                ? "session; must change password"
                                : "session",
                            null,
                            null),
                        () -> {
                          rc.response().addCookie(guard.cookie(done.session().id()));
                          json(rc, 200, session(r.user(), done.session().session()));
                        });
                case LOCKED -> {
                  Instant now = security.clock().now();
                  AuditRecorder.answerOnceRecorded(
                      rc,
                      loginFailed(name, "account locked until " + r.lockedUntil()),
                      () -> locked(rc, r, now));
                }
                default ->
                    AuditRecorder.answerOnceRecorded(
                        rc,
                        loginFailed(name, why(r.outcome())),
                        () ->
                            Problems.send(
                                rc,
                                401,
                                "Unauthorized",
                                "login failed: wrong user name or password"));
              }
            })
        .onFailure(rc::fail);
  }

  /** A failed login's record: the name typed (never the password) and why it failed. */
  private CompletableFuture<AuditRecord> loginFailed(String name, String why) {
    return audit.record(name, null, AuditAction.LOGIN_FAILED, null, null, null, why, null);
  }

  private static String why(LoginResult.Outcome outcome) {
    return switch (outcome) {
      case WRONG_PASSWORD -> "wrong password";
      case UNKNOWN_USER -> "unknown user";
      case DISABLED -> "user disabled";
      case LOCKED -> "account locked";
      case OK -> "ok";
    };
  }

  private static void locked(RoutingContext rc, LoginResult r, Instant now) {
    long seconds = Math.max(1, Duration.between(now, r.lockedUntil()).toSeconds());
    rc.response().putHeader("Retry-After", Long.toString(seconds));
    Problems.send(
        rc,
        429,
        "Too Many Requests",
        "account locked after repeated failed logins until "
            + r.lockedUntil()
            + "; try again then, or ask an admin to reset the password");
  }

  private void logout(RoutingContext rc) {
    Sessions.Session session = SessionGuard.session(rc);
    if (session == null) {
      Problems.send(
          rc,
          400,
          "Bad Request",
          "logout ends a cookie session; an API token is revoked with DELETE /api/tokens/{id}");
      return;
    }
    blocking
        .db(
            () -> {
              security.sessions().end(session.idHash());
              return null;
            })
        .onSuccess(
            v ->
                AuditRecorder.answerOnceRecorded(
                    rc,
                    audit.record(
                        ApiGuard.caller(rc), AuditAction.LOGOUT, null, null, null, null, null),
                    () -> {
                      rc.response().addCookie(SessionGuard.expired(guard.cookie()));
                      rc.response().setStatusCode(204).end();
                    }))
        .onFailure(rc::fail);
  }

  private void who(RoutingContext rc) {
    json(rc, 200, session(SessionGuard.user(rc), SessionGuard.session(rc)));
  }

  private void password(RoutingContext rc) {
    JsonBody body = JsonBody.of(rc);
    if (body == null) {
      return;
    }
    String current = body.string("currentPassword", PasswordRules.MAX_PASSWORD_LENGTH, true);
    String next = body.string("newPassword", PasswordRules.MAX_PASSWORD_LENGTH, true);
    if (body.rejected(rc)) {
      return;
    }
    User user = SessionGuard.user(rc);
    Sessions.Session session = SessionGuard.session(rc);
    if (current.equals(next)) {
      Problems.badField(rc, "newPassword", "must differ from the current password");
      return;
    }
    try {
      PasswordRules.checkPassword(user.name(), next.toCharArray());
    } catch (UserException e) {
      Problems.badField(rc, "newPassword", e.getMessage());
      return;
    }
    blocking
        .hashing(
            () -> {
              LoginResult check = security.users().verify(user.name(), current.toCharArray());
              if (check.ok()) {
                security
                    .users()
                    .setPassword(
                        user.name(),
                        next.toCharArray(),
                        false,
                        session == null ? null : session.idHash());
              }
              return check;
            })
        .onSuccess(
            check -> {
              ApiCaller caller = ApiGuard.caller(rc);
              switch (check.outcome()) {
                case OK ->
                    AuditRecorder.answerOnceRecorded(
                        rc,
                        audit.record(
                            caller,
                            AuditAction.PASSWORD_CHANGE,
                            user.name(),
                            null,
                            "changed by the user",
                            null,
                            null),
                        () -> rc.response().setStatusCode(204).end());
                case LOCKED -> {
                  Instant now = security.clock().now();
                  AuditRecorder.answerOnceRecorded(
                      rc,
                      audit.record(
                          caller,
                          AuditAction.PASSWORD_CHANGE,
                          user.name(),
                          null,
                          AuditRecorder.refused("new password"),
                          "account locked until " + check.lockedUntil(),
                          null),
                      () -> locked(rc, check, now));
                }
                default ->
                    AuditRecorder.answerOnceRecorded(
                        rc,
                        audit.record(
                            caller,
                            AuditAction.PASSWORD_CHANGE,
                            user.name(),
                            null,
                            AuditRecorder.refused("new password"),
                            "wrong current password",
                            null),
                        () ->
                            Problems.send(
                                rc,
                                403,
                                "Forbidden",
                                "currentPassword: wrong password",
                                new Problems.FieldError("currentPassword", "wrong password")));
              }
            })
        .onFailure(rc::fail);
  }

  /** What {@code GET /api/session} and a login answer. */
  private static JsonObject session(User user, Sessions.Session session) {
    JsonObject out =
        new JsonObject()
            .put("user", user.name())
            .put("displayName", user.displayName())
            .put("role", user.role().id())
            .put("mustChangePassword", user.mustChangePassword())
            .put("viaToken", session == null);
    if (session != null) {
      out.put("csrfToken", session.csrfToken()).put("expiresAt", session.expiresAt().toString());
    }
    return out;
  }

  static void json(RoutingContext rc, int status, Object body) {
    rc.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(io.vertx.core.json.Json.encode(body));
  }
}
