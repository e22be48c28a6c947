package io.hepaloop.api;

import io.hepaloop.alarm.AlarmTransition;
import io.hepaloop.plantstate.AlarmHistoryEntry;
import io.hepaloop.plantstate.AlarmHistoryPage;
import io.hepaloop.plantstate.AlarmHistoryQuery;
import io.hepaloop.plantstate.AlarmJournal;
import io.hepaloop.users.Role;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * {@code GET /api/alarms/history} (viewer): the alarm journal's transitions, newest first, with who
 * acknowledged or shelved and their comment, filtered by reactor, alarm, run, state, priority and
 * time, a page at a time ({@code cursor} from the previous page's {@code nextCursor}). The journal
 * reads the database, so the query runs on a worker, never on the event loop.
 */
public final class AlarmHistoryRoutes {
  private static final Set<String> PARAMS =
      Set.of("reactor", "alarm", "state", "priority", "since", "until", "limit", "cursor", "runId");

  private final Vertx vertx;
  private final AlarmJournal journal;
  private final PlantAccess plant;

  private AlarmHistoryRoutes(Vertx vertx, AlarmJournal journal, PlantAccess plant) {
    this.vertx = vertx;
    this.journal = journal;
    this.plant = plant;
  }

  /** Adds the route to {@code router} behind {@code guard}. */
  public static void mount(
      Vertx vertx, Router router, ApiGuard guard, AlarmJournal journal, PlantAccess plant) {
    AlarmHistoryRoutes r = new AlarmHistoryRoutes(vertx, journal, plant);
    router.get("/api/alarms/history").handler(guard.require(Role.VIEWER)).handler(r::history);
  }

  private void history(RoutingContext rc) {
    AlarmHistoryQuery query = query(rc);
    if (query == null) {
      return;
    }
    vertx
        .executeBlocking(() -> journal.history(query), false)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                rc.fail(ar.cause());
                return;
              }
              PlantRoutes.json(rc, 200, json(ar.result()).encode());
            });
  }

  /** The query the parameters ask for; null when one is wrong (the 400 or 404 is sent). */
  private AlarmHistoryQuery query(RoutingContext rc) {
    for (String name : rc.queryParams().names()) {
      if (!PARAMS.contains(name)) {
        Problems.badField(rc, name, "is not a parameter of this route (allowed: " + PARAMS + ")");
        return null;
      }
    }
    String reactor = rc.queryParams().get("reactor");
    if (reactor != null && !plant.hasReactor(reactor)) {
      Problems.send(
          rc,
          404,
          "Unknown reactor",
          "no reactor '" + reactor + "' (reactors: " + plant.reactorIds() + ")",
          new Problems.FieldError("reactor", "no reactor '" + reactor + "'"));
      return null;
    }
    String field = "state";
    try {
      AlarmHistoryQuery q =
          AlarmHistoryQuery.all()
              .withReactor(reactor)
              .withAlarm(rc.queryParams().get("alarm"))
              .withRun(blankToNull(rc.queryParams().get("runId")))
              .withState(rc.queryParams().get("state"));
      field = "priority";
      q = q.withPriority(rc.queryParams().get("priority"));
      field = "since";
      Instant since = instant(rc.queryParams().get("since"));
      field = "until";
      Instant until = instant(rc.queryParams().get("until"));
      field = "since";
      q = q.between(since, until);
      field = "limit";
      String limit = rc.queryParams().get("limit");
      if (limit != null) {
        q = q.withLimit(Integer.parseInt(limit.strip()));
      }
      field = "cursor";
      return q.after(rc.queryParams().get("cursor"));
    } catch (NumberFormatException e) {
      Problems.badField(
          rc, field, "must be a whole number 1.." + AlarmHistoryQuery.MAX_LIMIT + ", got a text");
    } catch (DateTimeParseException e) {
      Problems.badField(
          rc,
          field,
          "must be an ISO-8601 instant such as 2026-12-02T04:00:00Z, got '"
              + e.getParsedString()
              + "'");
    } catch (IllegalArgumentException e) {
      Problems.badField(rc, field, e.getMessage());
    }
    return null;
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }

  private static Instant instant(String text) {
    return text == null || text.isBlank() ? null : Instant.parse(text.strip());
  }

  static JsonObject json(AlarmHistoryPage page) {
    JsonArray entries = new JsonArray();
    for (AlarmHistoryEntry e : page.entries()) {
      AlarmTransition t = e.transition();
      entries.add(
          new JsonObject()
              .put("id", e.id())
              .put("time", t.time().toString())
              .put("reactorId", t.reactorId())
              .put("alarmId", t.alarmId())
              .put("from", t.from().name())
              .put("to", t.to().name())
              .put("priority", e.priority() == null ? null : e.priority().name())
              .put("value", Double.isFinite(t.value()) ? t.value() : null)
              .put("limit", Double.isFinite(t.limit()) ? t.limit() : null)
              .put("user", t.actor() == null ? null : t.actor().name())
              .put("role", t.actor() == null ? null : t.actor().role().name())
              .put("comment", t.comment())
              .put("message", t.message())
              .put("runId", e.runId()));
    }
    return new JsonObject().put("entries", entries).put("nextCursor", page.nextCursor());
  }
}
