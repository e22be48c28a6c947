package io.hepaloop.api;

import io.hepaloop.report.ReportFormat;
import io.hepaloop.report.RunReports;
import io.hepaloop.report.UnknownRunException;
import io.hepaloop.users.Role;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * {@code GET /api/runs/{runId}/report?format=md|html|csv} (viewer): the run report as Markdown, one
 * self-contained HTML file, or the wide CSV export. Gathering reads the database and InfluxDB, so
 * it and the rendering run on a worker, never on the event loop. The HTML report carries no script;
 * a Content-Security-Policy that allows none makes sure of it.
 */
public final class ReportRoutes {
  private static final Set<String> PARAMS = Set.of("format");

  /** Inline styles and nothing else: no script, no request to anywhere. */
  static final String HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'";

  private final Vertx vertx;
  private final RunReports reports;

  private ReportRoutes(Vertx vertx, RunReports reports) {
    this.vertx = vertx;
    this.reports = reports;
  }

  /** Adds the route to {@code router} behind {@code guard}. */
  public static void mount(Vertx vertx, Router router, ApiGuard guard, RunReports reports) {
    ReportRoutes r = new ReportRoutes(vertx, reports);
    router.get("/api/runs/:runId/report").handler(guard.require(Role.VIEWER)).handler(r::report);
  }

  private void report(RoutingContext rc) {
    for (String name : rc.queryParams().names()) {
      if (!PARAMS.contains(name)) {
        Problems.badField(rc, name, "is not a parameter of this route (allowed: " + PARAMS + ")");
        return;
      }
    }
    String runId = rc.pathParam("runId");
    String formatName = rc.queryParams().get("format");
    ReportFormat format;
    try {
      format = formatName == null ? ReportFormat.md : ReportFormat.parse(formatName);
    } catch (IllegalArgumentException e) {
      Problems.badField(rc, "format", e.getMessage());
      return;
    }
    vertx
        .executeBlocking(() -> format.render(reports.gather(runId, format.needsWideTable())), false)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                if (ar.cause() instanceof UnknownRunException u) {
                  Problems.send(
                      rc,
                      404,
                      "Unknown run",
                      "no run '" + u.runId() + "'",
                      new Problems.FieldError("runId", "no run '" + u.runId() + "'"));
                } else {
                  rc.fail(ar.cause());
                }
                return;
              }
              var response =
                  rc.response()
                      .setStatusCode(200)
                      .putHeader("Content-Type", format.contentType())
                      .putHeader("X-Content-Type-Options", "nosniff")
                      .putHeader(
                          "Content-Disposition",
                          (format == ReportFormat.csv ? "attachment" : "inline")
                              + "; filename=\""
                              + format.fileName(runId)
                              + "\"");
              if (format == ReportFormat.html) {
                response.putHeader("Content-Security-Policy", HTML_POLICY);
              }
              response.end(ar.result());
            });
  }
}
