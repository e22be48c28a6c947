package io.hepaloop.api;

import static io.hepaloop.audit.AuditAction.ACKNOWLEDGE;
import static io.hepaloop.audit.AuditAction.ALARM_RESET;
import static io.hepaloop.audit.AuditAction.OUT_OF_SERVICE;
import static io.hepaloop.audit.AuditAction.RETURN_TO_SERVICE;
import static io.hepaloop.audit.AuditAction.SHELVE;
import static io.hepaloop.audit.AuditAction.UNSHELVE;

import io.hepaloop.alarm.AlarmPriority;
import io.hepaloop.alarm.AlarmState;
import io.hepaloop.audit.AuditAction;
import io.hepaloop.users.Role;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * REST routes for alarms: list with filters and alarm-system health (viewer); acknowledge, shelve,
 * unshelve and reset (operator); out of service and return to service (engineer). An action body
 * names one or more alarms and a comment: {@code {"alarms":[{"reactorId":"r1","alarmId":"t-hi"}],
 * "comment":"..."}}. The whole body is checked before anything is applied, and the alarm service
 * checks the whole set again, so a request is applied to every alarm it names or to none.
 */
public final class AlarmRoutes {
  /** Most alarms one action may name (a flood of 64 reactors' alarms fits). */
  public static final int MAX_ALARMS_PER_ACTION = 1000;

  /**
   * The body limit of the alarm actions: the API-wide one ({@link HttpApi#BODY_LIMIT_BYTES}, 64
   * KiB), which {@link HttpApi} applies to every {@code /api/*} body before any route; the alarm
   * routes have none of their own (a larger one would never be reached, as the 128 KiB here once
   * was). Each alarm named costs 30 bytes of JSON plus its two ids, so {@link
   * #MAX_ALARMS_PER_ACTION} alarms fit when their reactor and alarm ids average up to 35 characters
   * together; a longer list is refused whole with 413, nothing applied.
   */
  public static final long BODY_LIMIT_BYTES = HttpApi.BODY_LIMIT_BYTES;

  private final AlarmAccess alarms;
  private final PlantAccess plant;
  private final AuditAlarmActions audit;

  private AlarmRoutes(AlarmAccess alarms, PlantAccess plant, AuditRecorder audit) {
    this.alarms = alarms;
    this.plant = plant;
    this.audit = new AuditAlarmActions(alarms, audit);
  }

  /** The routes without audit records (route tests). */
  public static void mount(Router router, ApiGuard guard, AlarmAccess alarms, PlantAccess plant) {
    mount(router, guard, alarms, plant, AuditRecorder.none());
  }

  /**
   * Adds the alarm routes to {@code router}, each behind {@code guard}; {@code audit} records each
   * action once per alarm ({@link AuditAlarmActions}).
   *
   * @param plant for the reactor ids a filter or an alarm may name (404 for others)
   */
  public static void mount(
      Router router, ApiGuard guard, AlarmAccess alarms, PlantAccess plant, AuditRecorder audit) {
    AlarmRoutes r = new AlarmRoutes(alarms, plant, audit);
    Handler<RoutingContext> body = BodyLimit.of(BODY_LIMIT_BYTES);
    router.get("/api/alarms").handler(guard.require(Role.VIEWER)).handler(r::list);
    router.get("/api/alarm-health").handler(guard.require(Role.VIEWER)).handler(r::health);
    action(router, body, guard, ACKNOWLEDGE, Role.OPERATOR, r, false, r::acknowledge);
    action(router, body, guard, SHELVE, Role.OPERATOR, r, true, r::shelve);
    action(router, body, guard, UNSHELVE, Role.OPERATOR, r, false, r::unshelve);
    action(router, body, guard, OUT_OF_SERVICE, Role.ENGINEER, r, false, r::outOfService);
    action(router, body, guard, RETURN_TO_SERVICE, Role.ENGINEER, r, false, r::returnToService);
    action(router, body, guard, ALARM_RESET, Role.OPERATOR, r, false, r::reset);
  }

  /** The path of an action's route. */
  private static String path(AuditAction action) {
    return switch (action) {
      case ACKNOWLEDGE -> "acknowledge";
      case SHELVE -> "shelve";
      case UNSHELVE -> "unshelve";
      case OUT_OF_SERVICE -> "out-of-service";
      case RETURN_TO_SERVICE -> "return-to-service";
      case ALARM_RESET -> "reset";
      default -> throw new IllegalArgumentException("no alarm route for " + action);
    };
  }

  /** One checked action request. */
  record Request(
      List<AlarmAccess.AlarmRef> alarms, String comment, Duration duration, ApiCaller caller) {}

  private static void action(
      Router router,
      Handler<RoutingContext> body,
      ApiGuard guard,
      AuditAction action,
      Role role,
      AlarmRoutes r,
      boolean withDuration,
      Function<Request, Future<AlarmAccess.ActionResult>> act) {
    router
        .post("/api/alarms/" + path(action))
        .handler(body)
        .handler(guard.require(role))
        .handler(
            rc -> {
              Request req = r.read(rc, withDuration);
              if (req == null) {
                return;
              }
              r.audit.run(
                  rc,
                  req,
                  action,
                  () -> act.apply(req),
                  ar -> answer(rc, ar.failed() ? null : ar.result(), ar));
            });
  }

  private Future<AlarmAccess.ActionResult> acknowledge(Request q) {
    return alarms.acknowledge(q.alarms(), user(q), q.caller().role(), q.comment());
  }

  private Future<AlarmAccess.ActionResult> shelve(Request q) {
    return alarms.shelve(q.alarms(), q.duration(), user(q), q.caller().role(), q.comment());
  }

  private Future<AlarmAccess.ActionResult> unshelve(Request q) {
    return alarms.unshelve(q.alarms(), user(q), q.caller().role(), q.comment());
  }

  private Future<AlarmAccess.ActionResult> outOfService(Request q) {
    return alarms.removeFromService(q.alarms(), user(q), q.caller().role(), q.comment());
  }

  private Future<AlarmAccess.ActionResult> returnToService(Request q) {
    return alarms.returnToService(q.alarms(), user(q), q.caller().role(), q.comment());
  }

  private Future<AlarmAccess.ActionResult> reset(Request q) {
    return alarms.reset(q.alarms().get(0), user(q), q.caller().role(), q.comment());
  }

  private static String user(Request q) {
    return q.caller().userName();
  }

  /** Reads and checks an action body; null when wrong (the problem is sent). */
  private Request read(RoutingContext rc, boolean withDuration) {
    Set<String> fields =
        withDuration ? Set.of("alarms", "comment", "durationS") : Set.of("alarms", "comment");
    JsonObject body = PlantInput.object(rc, fields);
    if (body == null) {
      return null;
    }
    Object list = body.getValue("alarms");
    if (!(list instanceof JsonArray array) || array.isEmpty()) {
      Problems.badField(
          rc,
          "alarms",
          list == null
              ? "is required: a list of {reactorId, alarmId}"
              : "must be a non-empty list of {reactorId, alarmId}, got " + PlantInput.kind(list));
      return null;
    }
    if (array.size() > MAX_ALARMS_PER_ACTION) {
      Problems.badField(
          rc, "alarms", "names " + array.size() + " alarms; at most " + MAX_ALARMS_PER_ACTION);
      return null;
    }
    boolean reset = rc.request().path().endsWith("/reset");
    if (reset && array.size() != 1) {
      Problems.badField(
          rc,
          "alarms",
          "a reset names exactly one alarm (only the engine can tell, as it tries, whether a"
              + " condition is gone)");
      return null;
    }
    List<AlarmAccess.AlarmRef> refs = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String field = "alarms[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject o)) {
        Problems.badField(
            rc,
            field,
            "must be an object {reactorId, alarmId}, got " + PlantInput.kind(array.getValue(i)));
        return null;
      }
      for (String f : o.fieldNames()) {
        if (!f.equals("reactorId") && !f.equals("alarmId")) {
          Problems.badField(rc, field + "." + f, "unknown field; allowed: alarmId, reactorId");
          return null;
        }
      }
      String reactorId = PlantInput.string(rc, o, "reactorId");
      if (reactorId == null) {
        return null;
      }
      String alarmId = PlantInput.string(rc, o, "alarmId");
      if (alarmId == null) {
        return null;
      }
      if (!plant.hasReactor(reactorId)) {
        Problems.send(
            rc,
            404,
            "Unknown reactor",
            field + ": no reactor '" + reactorId + "' (reactors: " + plant.reactorIds() + ")",
            new Problems.FieldError(field + ".reactorId", "no reactor '" + reactorId + "'"));
        return null;
      }
      AlarmAccess.AlarmRef ref = new AlarmAccess.AlarmRef(reactorId, alarmId);
      int first = refs.indexOf(ref);
      if (first >= 0) {
        Problems.badField(rc, field, "repeats alarms[" + first + "] (" + ref + ")");
        return null;
      }
      refs.add(ref);
    }
    String comment = PlantInput.string(rc, body, "comment");
    if (comment == null) {
      return null;
    }
    Duration duration = null;
    if (withDuration) {
      Double s = PlantInput.number(rc, body, "durationS");
      if (s == null) {
        return null;
      }
      if (!(s > 0) || s > Duration.ofDays(365).toSeconds()) {
        Problems.badField(rc, "durationS", "must be a positive number of seconds, got " + s);
        return null;
      }
      duration = Duration.ofMillis(Math.round(s * 1000));
    }
    return new Request(refs, comment, duration, ApiGuard.caller(rc));
  }

  private static void answer(
      RoutingContext rc, AlarmAccess.ActionResult r, io.vertx.core.AsyncResult<?> ar) {
    if (r == null) {
      rc.fail(ar.cause());
      return;
    }
    if (r.ok()) {
      JsonArray applied = new JsonArray();
      r.applied()
          .forEach(
              a ->
                  applied.add(
                      new JsonObject()
                          .put("reactorId", a.reactorId())
                          .put("alarmId", a.alarmId())));
      PlantRoutes.json(rc, 200, new JsonObject().put("applied", applied).encode());
      return;
    }
    int status =
        switch (r.refusal()) {
          case NOT_FOUND -> 404;
          case FORBIDDEN -> 403;
          case INVALID -> 400;
          case CONFLICT -> 409;
        };
    String title =
        switch (r.refusal()) {
          case NOT_FOUND -> "Unknown alarm";
          case FORBIDDEN -> "Forbidden";
          case INVALID -> "Invalid request";
          case CONFLICT -> "Alarm state does not allow it";
        };
    if (r.alarm() != null) {
      Problems.send(
          rc,
          status,
          title,
          r.reason(),
          new Problems.FieldError("alarms", r.alarm() + ": " + r.reason()));
    } else {
      Problems.send(rc, status, title, r.reason());
    }
  }

  private void list(RoutingContext rc) {
    String reactor = rc.queryParams().get("reactor");
    if (reactor != null && !plant.hasReactor(reactor)) {
      Problems.send(
          rc,
          404,
          "Unknown reactor",
          "no reactor '" + reactor + "' (reactors: " + plant.reactorIds() + ")",
          new Problems.FieldError("reactor", "no reactor '" + reactor + "'"));
      return;
    }
    AlarmState state;
    AlarmPriority priority;
    try {
      state = parse(AlarmState.class, rc.queryParams().get("state"));
    } catch (IllegalArgumentException e) {
      Problems.badField(rc, "state", e.getMessage());
      return;
    }
    try {
      priority = parse(AlarmPriority.class, rc.queryParams().get("priority"));
    } catch (IllegalArgumentException e) {
      Problems.badField(rc, "priority", e.getMessage());
      return;
    }
    alarms
        .list(new AlarmAccess.Filter(reactor, state, priority))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                rc.fail(ar.cause());
                return;
              }
              JsonArray out = new JsonArray();
              ar.result()
                  .forEach(
                      a -> out.add(PlantJson.alarm(a).put("runId", plant.runIdOf(a.reactorId()))));
              PlantRoutes.json(rc, 200, out.encode());
            });
  }

  private void health(RoutingContext rc) {
    alarms
        .health()
        .onComplete(
            ar -> {
              if (ar.failed()) {
                rc.fail(ar.cause());
                return;
              }
              JsonArray reactors = new JsonArray();
              ar.result().reactors().forEach(f -> reactors.add(PlantJson.health(f)));
              PlantRoutes.json(
                  rc,
                  200,
                  new JsonObject()
                      .put("plant", PlantJson.health(ar.result().plant()))
                      .put("reactors", reactors)
                      .encode());
            });
  }

  /** An enum constant by name (any case), null for null; the error lists the allowed values. */
  static <E extends Enum<E>> E parse(Class<E> type, String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(text.trim())) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        "'"
            + text
            + "' is not one of "
            + Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT))
                .toList());
  }
}
