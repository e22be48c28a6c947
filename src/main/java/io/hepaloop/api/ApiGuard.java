package io.hepaloop.api;

import io.hepaloop.users.Role;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The one check that guards every REST route and the SSE stream: who is calling, and may they. A
 * route puts {@code guard.require(Role.OPERATOR)} before its handler; the guard authenticates the
 * caller (session cookie, or {@code Authorization: Bearer} API token), ends the request with 401
 * (not authenticated) or 403 (role too low, or a state-changing cookie request without its CSRF
 * token) as {@code application/problem+json}, and otherwise stores the {@link ApiCaller} in the
 * routing context and lets the request through.
 */
public interface ApiGuard {
  /** Routing-context key of the {@link ApiCaller} the guard let through. */
  String CALLER = "hepaloop.caller";

  /** Lets the request through when the caller is authenticated and has at least {@code minimum}. */
  Handler<RoutingContext> require(Role minimum);

  /** The caller a guard let through on this request (never null behind a guard). */
  static ApiCaller caller(RoutingContext rc) {
    return rc.get(CALLER);
  }
}
