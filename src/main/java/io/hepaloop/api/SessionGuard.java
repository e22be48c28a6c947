package io.hepaloop.api;

import io.hepaloop.users.ApiTokens;
import io.hepaloop.users.Role;
import io.hepaloop.users.Sessions;
import io.hepaloop.users.User;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.Callable;

/**
 * The {@link ApiGuard} of HepaLoop: authenticates by API token ({@code Authorization: Bearer
 * hlt_...}) or session cookie ({@value #COOKIE}), checks the CSRF header ({@value #CSRF_HEADER}) on
 * state-changing cookie requests, keeps a user who must change their password to the routes that
 * let them do so, and checks the role. Every refusal is problem+json naming why: 401 when nobody is
 * authenticated (no credentials, unknown, expired or revoked, user disabled), 403 when somebody is
 * but may not (CSRF, password change pending, role too low).
 *
 * <p>Why a CSRF token on top of {@code SameSite=Strict}: browsers without SameSite support, and
 * sibling sub-domains that count as "same site", can still forge a cookie request; a token only
 * this origin's script can read closes both. Bearer requests need none: a browser never adds the
 * header by itself.
 *
 * <p>The lookups run on a worker (the database); the user is read on each request, so a role change
 * or a disable takes effect at the next request.
 */
public final class SessionGuard implements ApiGuard {
  /** The session cookie's name. */
  public static final String COOKIE = "hepaloop_session";

  /** The header that carries the session's CSRF token. */
  public static final String CSRF_HEADER = "X-CSRF-Token";

  /** Routing-context key of the {@link User} let through (as stored at this request). */
  static final String USER = "hepaloop.user";

  /** Routing-context key of the {@link Sessions.Session} of a cookie request. */
  static final String SESSION = "hepaloop.session";

  private final Vertx vertx;
  private final Sessions sessions;
  private final ApiTokens tokens;
  private final boolean secureCookie;

  public SessionGuard(Vertx vertx, Sessions sessions, ApiTokens tokens, boolean secureCookie) {
    this.vertx = vertx;
    this.sessions = sessions;
    this.tokens = tokens;
    this.secureCookie = secureCookie;
  }

  @Override
  public Handler<RoutingContext> require(Role minimum) {
    return rc -> check(rc, minimum, false);
  }

  /**
   * Any authenticated caller, even one who must change their password first: for the routes that
   * let them do that ({@code /api/session}, {@code /api/password}, {@code /api/logout}).
   */
  public Handler<RoutingContext> requireEvenBeforePasswordChange() {
    return rc -> check(rc, Role.VIEWER, true);
  }

  /** The user the guard let through on this request. */
  static User user(RoutingContext rc) {
    return rc.get(USER);
  }

  /** The session of a cookie request the guard let through; null for a token request. */
  static Sessions.Session session(RoutingContext rc) {
    return rc.get(SESSION);
  }

  private void check(RoutingContext rc, Role minimum, boolean beforePasswordChange) {
    String authorization = rc.request().getHeader("Authorization");
    if (authorization != null) {
      if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        unauthenticated(rc, "the Authorization header must be 'Bearer <API token>'");
        return;
      }
      String secret = authorization.substring(7).strip();
      blocking(() -> tokens.find(secret))
          .onSuccess(
              found -> {
                if (found.refusal() != null) {
                  unauthenticated(rc, tokenRefusal(found.refusal()));
                } else {
                  admit(rc, found.user(), null, minimum, beforePasswordChange);
                }
              })
          .onFailure(rc::fail);
      return;
    }
    Cookie cookie = rc.request().getCookie(COOKIE);
    if (cookie == null) {
      unauthenticated(
          rc,
          "not logged in: log in with POST /api/login, or send 'Authorization: Bearer <API"
              + " token>'");
      return;
    }
    blocking(() -> sessions.find(cookie.getValue()))
        .onSuccess(
            found -> {
              if (found.refusal() != null) {
                rc.response().addCookie(expired(cookie()));
                unauthenticated(rc, sessionRefusal(found.refusal()));
                return;
              }
              Sessions.Session session = found.session();
              if (changesState(rc.request().method())
                  && !session.csrfMatches(rc.request().getHeader(CSRF_HEADER))) {
                Problems.send(
                    rc,
                    403,
                    "Forbidden",
                    (rc.request().getHeader(CSRF_HEADER) == null ? "missing " : "wrong ")
                        + CSRF_HEADER
                        + " header: a state-changing request made with the session cookie must"
                        + " send the session's CSRF token (from POST /api/login or GET"
                        + " /api/session)");
                return;
              }
              admit(rc, session.user(), session, minimum, beforePasswordChange);
            })
        .onFailure(rc::fail);
  }

  private void admit(
      RoutingContext rc,
      User user,
      Sessions.Session session,
      Role minimum,
      boolean beforePasswordChange) {
    if (user.mustChangePassword() && !beforePasswordChange) {
      Problems.send(
          rc,
          403,
          "Forbidden",
          "user '"
              + user.name()
              + "' must change their password first (POST /api/password); until then only"
              + " /api/session, /api/password and /api/logout answer");
      return;
    }
    if (!user.role().includes(minimum)) {
      Problems.send(
          rc,
          403,
          "Forbidden",
          "needs role "
              + minimum.id()
              + " or higher; user '"
              + user.name()
              + "' has role "
              + user.role().id());
      return;
    }
    rc.put(CALLER, new ApiCaller(user.name(), user.role(), session == null));
    rc.put(USER, user);
    if (session != null) {
      rc.put(SESSION, session);
    }
    rc.next();
  }

  private static boolean changesState(HttpMethod method) {
    return !(method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS);
  }

  private static String tokenRefusal(ApiTokens.Refusal refusal) {
    return switch (refusal) {
      case UNKNOWN -> "unknown API token";
      case EXPIRED -> "the API token has expired";
      case REVOKED -> "the API token was revoked";
      case USER_DISABLED -> "the API token's user is disabled";
    };
  }

  private static String sessionRefusal(Sessions.Refusal refusal) {
    return switch (refusal) {
      case UNKNOWN ->
          "unknown session (logged out, or the server's database was replaced);" + " log in again";
      case EXPIRED -> "the session has expired; log in again";
      case USER_DISABLED -> "the session's user is disabled";
    };
  }

  private static void unauthenticated(RoutingContext rc, String detail) {
    rc.response().putHeader("WWW-Authenticate", "Bearer realm=\"hepaloop\"");
    Problems.send(rc, 401, "Unauthorized", detail);
  }

  /** A fresh session cookie for {@code id}: HttpOnly, SameSite=Strict, Secure under TLS. */
  Cookie cookie(String id) {
    return Cookie.cookie(COOKIE, id)
        .setPath("/")
        .setHttpOnly(true)
        .setSameSite(CookieSameSite.STRICT)
        .setSecure(secureCookie);
  }

  /** The cookie that makes the browser forget the session. */
  Cookie cookie() {
    return cookie("");
  }

  static Cookie expired(Cookie c) {
    return c.setMaxAge(0);
  }

  private <T> Future<T> blocking(Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }
}
