package io.hepaloop.api;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The browser console: static files from the class path's {@code webroot} at {@code /console/},
 * uPlot from its WebJar at {@code /console/vendor/uplot/}, and {@code /} redirecting to the
 * console. The files themselves are open (they hold no plant data); everything they show comes from
 * {@code /api} behind the session guard, with the same cookie and CSRF header as any client.
 *
 * <p>Headers: a Content-Security-Policy that allows scripts, styles and connections from this
 * origin only (no inline script or style attribute, no frames, no other hosts), so an injected
 * string cannot run as code. Caching: the console's own files are not content-hashed (no build
 * step), so the browser must revalidate them on each load ({@code no-cache}, answered 304 from
 * {@code Last-Modified}) and an upgraded server is seen at once; the vendored library's path is
 * fixed per WebJar version, so it may be kept a day.
 */
final class ConsoleRoutes {
  /** Where the console is served. */
  static final String BASE = "/console/";

  /** The uPlot WebJar's files inside its jar. */
  static final String UPLOT_RESOURCES = "META-INF/resources/webjars/uplot/1.6.30/dist";

  /** Only this origin, nothing inline; uPlot styles its elements through the CSSOM, allowed. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self';"
          + " form-action 'self'; frame-ancestors 'none'";

  /** Seconds a browser may keep the vendored library without asking again. */
  static final long VENDOR_MAX_AGE_S = 86_400;

  private ConsoleRoutes() {}

  static void mount(Router router) {
    router.get("/").handler(rc -> redirect(rc, BASE));
    // Vert.x lets "/console" match "/console/" too: only the bare path is redirected.
    router
        .get("/console")
        .handler(
            rc -> {
              if (rc.request().path().equals("/console")) {
                redirect(rc, BASE);
              } else {
                rc.next();
              }
            });
    router
        .get(BASE + "vendor/uplot/*")
        .handler(rc -> headers(rc, "public, max-age=" + VENDOR_MAX_AGE_S))
        .handler(
            StaticHandler.create(UPLOT_RESOURCES)
                .setCachingEnabled(true)
                .setMaxAgeSeconds(VENDOR_MAX_AGE_S)
                .setDirectoryListing(false));
    router
        .get(BASE + "*")
        .handler(rc -> headers(rc, "no-cache"))
        .handler(
            StaticHandler.create("webroot")
                .setCachingEnabled(true)
                .setDirectoryListing(false)
                .setIndexPage("index.html"));
  }

  private static void redirect(RoutingContext rc, String to) {
    rc.response().setStatusCode(302).putHeader("Location", to).end();
  }

  /**
   * Security headers on every console answer, and the Cache-Control set as the headers go out (the
   * static handler writes its own, which this replaces).
   */
  private static void headers(RoutingContext rc, String cacheControl) {
    rc.response()
        .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Frame-Options", "DENY");
    rc.addHeadersEndHandler(
        v -> {
          if (rc.response().getStatusCode() < 400) {
            rc.response().headers().set("Cache-Control", cacheControl);
          }
        });
    rc.next();
  }
}
