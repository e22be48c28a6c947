package io.hepaloop.api;

import io.hepaloop.users.Role;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Test-only guard: the caller's role comes from the {@code X-Test-Role} header and the name from
 * {@code X-Test-User}; no header is 401, a role below the route's is 403. It lets route tests
 * exercise every role without sessions; the real guard authenticates.
 */
final class TestRoleGuard implements ApiGuard {
  static final String ROLE = "X-Test-Role";
  static final String USER = "X-Test-User";

  @Override
  public Handler<RoutingContext> require(Role minimum) {
    return rc -> {
      String role = rc.request().getHeader(ROLE);
      if (role == null) {
        Problems.send(rc, 401, "Not authenticated", "log in or send an API token");
        return;
      }
      Role r = Role.parse(role);
      if (!r.includes(minimum)) {
        Problems.send(rc, 403, "Forbidden", r.id() + " may not do this; it needs " + minimum.id());
        return;
      }
      String user = rc.request().getHeader(USER);
      rc.put(CALLER, new ApiCaller(user == null ? r.id() + "-user" : user, r, false));
      rc.next();
    };
  }
}
