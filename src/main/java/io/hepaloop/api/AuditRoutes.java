package io.hepaloop.api;

import io.hepaloop.audit.AuditAction;
import io.hepaloop.audit.AuditExport;
import io.hepaloop.audit.AuditQuery;
import io.hepaloop.audit.AuditSearch;
import io.hepaloop.audit.AuditTrail;
import io.hepaloop.audit.AuditVerification;
import io.hepaloop.audit.AuditVerifier;
import io.hepaloop.audit.Finding;
import io.hepaloop.users.Role;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The audit trail for the audit viewer (engineer and admin; docs/api.md "Audit"): {@code GET
 * /api/audit} pages through the records with filters, {@code GET /api/audit/verify} recomputes the
 * chain and checks the anchors as {@code hepaloop audit verify} does, {@code GET
 * /api/audit/export.csv} writes the CSV of {@code hepaloop audit export}.
 *
 * <p>Why engineer and up: the trail shows every user's logins, refusals and values across the
 * plant; an operator answers for their own actions and a viewer for none, so neither reads the
 * whole trail (a 21 CFR Part 11 review is a supervisor's task).
 *
 * <p>Every route reads the database (and verify reads all of it), so each runs on a worker, through
 * a read-only connection that neither blocks nor sees half of what the trail writes. A server
 * without a trail answers 503.
 */
public final class AuditRoutes {
  private static final Set<String> PARAMS =
      Set.of("from", "to", "user", "action", "runId", "target", "limit", "beforeSeq");
  private static final Set<String> EXPORT_PARAMS = Set.of("from", "to");

  private final Blocking blocking;
  private final Path dataDir;

  private AuditRoutes(Blocking blocking, Path dataDir) {
    this.blocking = blocking;
    this.dataDir = dataDir;
  }

  /**
   * Adds the audit routes to {@code http}'s router behind {@code guard}, over the data directory of
   * {@code http}'s audit trail.
   */
  public static void mount(HttpApi http, ApiGuard guard) {
    AuditTrail trail = http.audit().trail();
    AuditRoutes r =
        new AuditRoutes(
            http.blocking(),
            trail == null ? null : trail.anchorFile().toAbsolutePath().getParent());
    Router router = http.router();
    router.get("/api/audit").handler(guard.require(Role.ENGINEER)).handler(r::list);
    router.get("/api/audit/verify").handler(guard.require(Role.ENGINEER)).handler(r::verify);
    router.get("/api/audit/export.csv").handler(guard.require(Role.ENGINEER)).handler(r::export);
  }

  private boolean kept(RoutingContext rc) {
    if (dataDir == null || blocking == null) {
      Problems.send(
          rc,
          503,
          "No audit trail",
          "this server keeps no audit trail (it was started without a data directory's database)");
      return false;
    }
    return true;
  }

  private void list(RoutingContext rc) {
    if (!kept(rc) || !onlyKnown(rc, PARAMS)) {
      return;
    }
    AuditQuery query = query(rc);
    if (query == null) {
      return;
    }
    answer(
        rc,
        () -> AuditSearch.find(dataDir, query),
        page -> {
          JsonArray records = new JsonArray();
          page.rows().forEach(row -> records.add(json(row)));
          return new JsonObject()
              .put("records", records)
              .put("nextBeforeSeq", page.nextBeforeSeq());
        });
  }

  private void verify(RoutingContext rc) {
    if (!kept(rc) || !onlyKnown(rc, Set.of())) {
      return;
    }
    answer(rc, () -> AuditVerifier.verify(dataDir), AuditRoutes::json);
  }

  private void export(RoutingContext rc) {
    if (!kept(rc) || !onlyKnown(rc, EXPORT_PARAMS)) {
      return;
    }
    Instant from;
    Instant to;
    try {
      from = instant(rc, "from");
      to = instant(rc, "to");
    } catch (DateTimeParseException e) {
      return; // answered
    }
    if (from != null && to != null && !from.isBefore(to)) {
      Problems.badField(rc, "from", from + " must be before to " + to);
      return;
    }
    // Through a file: a long trail is tens of MB, written at disk speed, sent with backpressure.
    Future<Path> written =
        blocking.db(
            () -> {
              Path file = Files.createTempFile("hepaloop-audit-", ".csv");
              try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                AuditExport.writeCsv(dataDir, from, to, out);
              } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(file);
                throw e;
              }
              return file;
            });
    written.onComplete(
        ar -> {
          if (ar.failed()) {
            rc.fail(ar.cause());
            return;
          }
          Path file = ar.result();
          rc.response()
              .putHeader("Content-Type", "text/csv; charset=utf-8")
              .putHeader(
                  "Content-Disposition",
                  "attachment; filename=\"hepaloop-audit-"
                      + Instant.now().toString().replace(":", "").replaceAll("\\..*", "")
                      + ".csv\"")
              .sendFile(file.toString())
              .onComplete(
                  sent ->
                      blocking.db(
                          () -> {
                            Files.deleteIfExists(file);
                            return null;
                          }));
        });
  }

  private <T> void answer(
      RoutingContext rc, Callable<T> work, java.util.function.Function<T, JsonObject> json) {
    blocking
        .db(work)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                rc.fail(ar.cause());
                return;
              }
              PlantRoutes.json(rc, 200, json.apply(ar.result()).encode());
            });
  }

  private static boolean onlyKnown(RoutingContext rc, Set<String> allowed) {
    for (String name : rc.queryParams().names()) {
      if (!allowed.contains(name)) {
        Problems.badField(
            rc,
            name,
            "is not a parameter of this route"
                + (allowed.isEmpty() ? " (it takes none)" : " (allowed: " + allowed + ")"));
        return false;
      }
    }
    return true;
  }

  /** The query the parameters ask for; null when one is wrong (the 400 is sent). */
  private static AuditQuery query(RoutingContext rc) {
    Instant from;
    Instant to;
    try {
      from = instant(rc, "from");
      to = instant(rc, "to");
    } catch (DateTimeParseException e) {
      return null;
    }
    AuditAction action = null;
    String actionText = rc.queryParams().get("action");
    if (actionText != null && !actionText.isBlank()) {
      try {
        action = AuditAction.parse(actionText);
      } catch (IllegalArgumentException e) {
        Problems.badField(rc, "action", e.getMessage());
        return null;
      }
    }
    Integer limit = whole(rc, "limit");
    if (rc.response().ended()) {
      return null;
    }
    Long beforeSeq = null;
    String beforeText = rc.queryParams().get("beforeSeq");
    if (beforeText != null && !beforeText.isBlank()) {
      try {
        beforeSeq = Long.parseLong(beforeText.strip());
      } catch (NumberFormatException e) {
        Problems.badField(
            rc,
            "beforeSeq",
            "must be a sequence number (a page's nextBeforeSeq), got '" + beforeText + "'");
        return null;
      }
    }
    String field = "limit";
    try {
      if (from != null && to != null && !from.isBefore(to)) {
        field = "from";
      } else if (beforeSeq != null && beforeSeq < 1) {
        field = "beforeSeq";
      }
      return new AuditQuery(
          from,
          to,
          rc.queryParams().get("user"),
          action,
          rc.queryParams().get("runId"),
          rc.queryParams().get("target"),
          limit == null ? AuditQuery.DEFAULT_LIMIT : limit,
          beforeSeq);
    } catch (IllegalArgumentException e) {
      Problems.badField(rc, field, e.getMessage());
      return null;
    }
  }

  /** A whole-number parameter; null when absent, or when wrong (the 400 is sent). */
  private static Integer whole(RoutingContext rc, String name) {
    String text = rc.queryParams().get(name);
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      Problems.badField(
          rc, name, "must be a whole number 1.." + AuditQuery.MAX_LIMIT + ", got '" + text + "'");
      return null;
    }
  }

  /** An instant parameter; null when absent; throws (the 400 sent) when it is not one. */
  private static Instant instant(RoutingContext rc, String name) {
    String text = rc.queryParams().get(name);
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(text.strip());
    } catch (DateTimeParseException e) {
      Problems.badField(
          rc, name, "must be an ISO-8601 instant such as 2026-12-02T04:00:00Z, got '" + text + "'");
      throw e;
    }
  }

  static JsonObject json(AuditSearch.Row r) {
    return new JsonObject()
        .put("sequence", r.sequence())
        .put("recordedAt", r.recordedAt())
        .put("user", r.user())
        .put("role", r.role())
        .put("action", r.action())
        .put("target", r.target())
        .put("oldValue", r.oldValue())
        .put("newValue", r.newValue())
        .put("reason", r.reason())
        .put("runId", r.runId())
        .put("signedBy", r.signedBy())
        .put("signatureMeaning", r.signatureMeaning())
        .put("signedAt", r.signedAt())
        .put("previousHash", r.previousHash())
        .put("hash", r.hash());
  }

  static JsonObject json(AuditVerification v) {
    JsonArray findings = new JsonArray();
    for (Finding f : v.findings()) {
      findings.add(
          new JsonObject()
              .put("kind", f.kind().name())
              .put("sequence", f.sequence())
              .put("message", f.message()));
    }
    return new JsonObject()
        .put("intact", v.intact())
        .put("records", v.records())
        .put("lastSequence", v.lastSequence())
        .put("anchors", v.anchors())
        .put("lastAnchoredSequence", v.lastAnchoredSequence())
        .put("unanchored", v.unanchored())
        .put("findings", findings)
        .put("verifiedAt", Instant.now().toString())
        .put("tookMs", v.took().toMillis());
  }
}
