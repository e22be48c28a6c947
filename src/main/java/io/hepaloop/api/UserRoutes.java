package io.hepaloop.api;

import io.hepaloop.audit.AuditAction;
import io.hepaloop.audit.AuditRecord;
import io.hepaloop.users.PasswordRules;
import io.hepaloop.users.Role;
import io.hepaloop.users.User;
import io.hepaloop.users.UserException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletableFuture;

/**
 * User administration, for the admin role: list, add, change role, disable, enable again, reset
 * password. A reset password must be changed at the next login and ends the user's sessions; the
 * last enabled admin can be neither disabled nor demoted (409), so somebody can always manage
 * users. Each change is answered only once its audit record is committed ({@link
 * AuditRecorder#answerOnceRecorded}).
 */
final class UserRoutes {
  private final ApiSecurity security;
  private final ApiGuard guard;
  private final Blocking blocking;
  private final AuditRecorder audit;

  UserRoutes(ApiSecurity security, ApiGuard guard, Blocking blocking, AuditRecorder audit) {
    this.security = security;
    this.guard = guard;
    this.blocking = blocking;
    this.audit = audit;
  }

  void mount(Router router) {
    router.get("/api/users").handler(guard.require(Role.ADMIN)).handler(this::list);
    router.post("/api/users").handler(guard.require(Role.ADMIN)).handler(this::add);
    router.put("/api/users/:name/role").handler(guard.require(Role.ADMIN)).handler(this::role);
    router
        .post("/api/users/:name/disable")
        .handler(guard.require(Role.ADMIN))
        .handler(this::disable);
    router.post("/api/users/:name/enable").handler(guard.require(Role.ADMIN)).handler(this::enable);
    router
        .post("/api/users/:name/password")
        .handler(guard.require(Role.ADMIN))
        .handler(this::resetPassword);
  }

  private void list(RoutingContext rc) {
    blocking
        .db(() -> security.users().list())
        .onSuccess(
            users -> {
              JsonArray out = new JsonArray();
              users.forEach(u -> out.add(json(u)));
              SessionRoutes.json(rc, 200, out);
            })
        .onFailure(rc::fail);
  }

  private void add(RoutingContext rc) {
    JsonBody body = JsonBody.of(rc);
    if (body == null) {
      return;
    }
    String name = body.string("name", 32, true);
    String displayName = body.string("displayName", 128, false);
    Role role = role(body);
    String password = body.string("password", PasswordRules.MAX_PASSWORD_LENGTH, true);
    boolean mustChange = body.bool("mustChangePassword", true);
    if (name != null) {
      try {
        PasswordRules.checkName(name);
      } catch (UserException e) {
        body.problem("name", e.getMessage());
      }
      if (password != null) {
        try {
          PasswordRules.checkPassword(name, password.toCharArray());
        } catch (UserException e) {
          body.problem("password", e.getMessage());
        }
      }
    }
    if (body.rejected(rc)) {
      return;
    }
    blocking
        .hashing(
            () -> security.users().add(name, displayName, role, password.toCharArray(), mustChange))
        .onSuccess(
            u ->
                AuditRecorder.answerOnceRecorded(
                    rc,
                    record(rc, AuditAction.USER, name, null, describe(u)),
                    () -> {
                      rc.response().putHeader("Location", "/api/users/" + u.name());
                      SessionRoutes.json(rc, 201, json(u));
                    }))
        .onFailure(e -> refused(rc, e, AuditAction.USER, name, null, "add role=" + role.id()));
  }

  private void role(RoutingContext rc) {
    JsonBody body = JsonBody.of(rc);
    if (body == null) {
      return;
    }
    Role role = role(body);
    if (body.rejected(rc)) {
      return;
    }
    String name = rc.pathParam("name");
    String[] before = new String[1];
    blocking
        .db(
            () -> {
              before[0] = "role=" + security.users().get(name).role().id();
              return security.users().setRole(name, role);
            })
        .onSuccess(
            u ->
                AuditRecorder.answerOnceRecorded(
                    rc,
                    record(rc, AuditAction.USER, name, before[0], "role=" + u.role().id()),
                    () -> SessionRoutes.json(rc, 200, json(u))))
        .onFailure(e -> refused(rc, e, AuditAction.USER, name, before[0], "role=" + role.id()));
  }

  private void disable(RoutingContext rc) {
    setEnabled(rc, false);
  }

  /** A disabled user may log in again; a lockout ends and the failure count starts again. */
  private void enable(RoutingContext rc) {
    setEnabled(rc, true);
  }

  private void setEnabled(RoutingContext rc, boolean enabled) {
    String name = rc.pathParam("name");
    String after = enabled ? "enabled" : "disabled";
    String[] before = new String[1];
    blocking
        .db(
            () -> {
              before[0] = security.users().get(name).disabled() ? "disabled" : "enabled";
              if (enabled) {
                security.users().enable(name);
              } else {
                security.users().disable(name);
              }
              return security.users().get(name);
            })
        .onSuccess(
            u ->
                AuditRecorder.answerOnceRecorded(
                    rc,
                    record(rc, AuditAction.USER, name, before[0], after),
                    () -> SessionRoutes.json(rc, 200, json(u))))
        .onFailure(e -> refused(rc, e, AuditAction.USER, name, before[0], after));
  }

  private void resetPassword(RoutingContext rc) {
    JsonBody body = JsonBody.of(rc);
    if (body == null) {
      return;
    }
    String password = body.string("password", PasswordRules.MAX_PASSWORD_LENGTH, true);
    if (body.rejected(rc)) {
      return;
    }
    String name = rc.pathParam("name");
    try {
      PasswordRules.checkPassword(name, password.toCharArray());
    } catch (UserException e) {
      Problems.badField(rc, "password", e.getMessage());
      return;
    }
    blocking
        .hashing(
            () -> {
              security.users().setPassword(name, password.toCharArray(), true, null);
              return null;
            })
        .onSuccess(
            v ->
                AuditRecorder.answerOnceRecorded(
                    rc,
                    record(
                        rc,
                        AuditAction.PASSWORD_CHANGE,
                        name,
                        null,
                        "reset by an admin; must be changed at the next login"),
                    () -> rc.response().setStatusCode(204).end()))
        .onFailure(rc::fail);
  }

  private CompletableFuture<AuditRecord> record(
      RoutingContext rc, AuditAction action, String target, String oldValue, String newValue) {
    return audit.record(ApiGuard.caller(rc), action, target, oldValue, newValue, null, null);
  }

  /**
   * Fails the request with {@code e}; a conflict with what is stored (name taken, the last admin)
   * is a refusal of an authorised admin and is answered once recorded. Bad input and unknown users
   * are not recorded.
   */
  private void refused(
      RoutingContext rc,
      Throwable e,
      AuditAction action,
      String target,
      String oldValue,
      String requested) {
    if (e instanceof UserException u && u.kind() == UserException.Kind.CONFLICT) {
      AuditRecorder.answerOnceRecorded(
          rc,
          audit.record(
              ApiGuard.caller(rc),
              action,
              target,
              oldValue,
              AuditRecorder.refused(requested),
              u.getMessage(),
              null),
          () -> rc.fail(e));
      return;
    }
    rc.fail(e);
  }

  /** A user as its audit record shows it; never the password. */
  private static String describe(User u) {
    return "added: role="
        + u.role().id()
        + ", displayName="
        + u.displayName()
        + ", mustChangePassword="
        + u.mustChangePassword();
  }

  private static Role role(JsonBody body) {
    String id = body.string("role", 16, true);
    if (id == null) {
      return null;
    }
    try {
      return Role.parse(id);
    } catch (UserException e) {
      body.problem("role", e.getMessage());
      return null;
    }
  }

  static JsonObject json(User u) {
    return new JsonObject()
        .put("name", u.name())
        .put("displayName", u.displayName())
        .put("role", u.role().id())
        .put("disabled", u.disabled())
        .put("mustChangePassword", u.mustChangePassword())
        .put("lockedUntil", u.lockedUntil() == null ? null : u.lockedUntil().toString())
        .put("createdAt", u.createdAt().toString())
        .put("updatedAt", u.updatedAt().toString());
  }
}
