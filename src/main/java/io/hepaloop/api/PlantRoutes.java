package io.hepaloop.api;

import io.hepaloop.audit.AuditAction;
import io.hepaloop.control.ControlCommand;
import io.hepaloop.control.LoopMode;
import io.hepaloop.control.PidTuning;
import io.hepaloop.profile.Range;
import io.hepaloop.users.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * REST routes for reactors and their loops: read state, live values and link (viewer); set
 * setpoints within the loop's limits, modes and manual output (operator); tuning and interlock
 * reset (engineer). Every input is checked here before the command goes to the controller, which
 * checks it again: a setpoint outside the loop's {@code setpointLimits} is refused with 422 naming
 * the value and the limits, never clamped.
 *
 * <p>Every command of an authorised caller is recorded in the audit trail once it is applied or
 * refused ({@link AuditedCommands}): the value before, read from the controller's state, and the
 * value set. A body may carry a {@code comment} (the reason recorded) and a {@code signature}
 * ({@link AuditSignatures}), which critical actions (tuning, interlock reset) need in strict mode.
 */
public final class PlantRoutes {
  /** Largest body a plant route reads; a command is a few fields. */
  public static final long BODY_LIMIT_BYTES = 16 * 1024;

  static final String R = "/api/reactors/:reactorId";
  static final String LOOP = R + "/loops/:loopId";

  private static final Set<String> TUNING_FIELDS =
      Set.of(
          "controller",
          "gain",
          "integralTimeS",
          "derivativeTimeS",
          "setpointWeightP",
          "setpointWeightD",
          "derivativeFilterN",
          "trackingTimeS",
          "outputRateLimitPerS",
          "comment",
          "signature");

  /** Fields of a tuning body that are no tuning parameter. */
  private static final Set<String> NOT_PARAMETERS = Set.of("controller", "comment", "signature");

  private final PlantAccess plant;
  private final AuditedCommands commands;

  private PlantRoutes(PlantAccess plant, AuditRecorder audit) {
    this.plant = plant;
    this.commands = new AuditedCommands(plant, audit);
  }

  /** The routes without audit records, signatures optional (route tests). */
  public static void mount(Router router, ApiGuard guard, PlantAccess plant) {
    mount(router, guard, plant, AuditRecorder.none());
  }

  /**
   * Adds the reactor and loop routes to {@code router}, each behind {@code guard}; every command is
   * recorded by {@code audit}, which also checks the electronic signatures of critical ones.
   */
  public static void mount(Router router, ApiGuard guard, PlantAccess plant, AuditRecorder audit) {
    PlantRoutes r = new PlantRoutes(plant, audit);
    io.vertx.core.Handler<RoutingContext> body = BodyLimit.of(BODY_LIMIT_BYTES);
    router.get("/api/reactors").handler(guard.require(Role.VIEWER)).handler(r::listReactors);
    router.get(R).handler(guard.require(Role.VIEWER)).handler(r::reactor);
    router.get(R + "/loops").handler(guard.require(Role.VIEWER)).handler(r::loops);
    router.get(LOOP).handler(guard.require(Role.VIEWER)).handler(r::loop);
    router
        .put(LOOP + "/setpoint")
        .handler(body)
        .handler(guard.require(Role.OPERATOR))
        .handler(r::setpoint);
    router
        .put(LOOP + "/cascade-setpoint")
        .handler(body)
        .handler(guard.require(Role.OPERATOR))
        .handler(r::cascadeSetpoint);
    router.put(LOOP + "/mode").handler(body).handler(guard.require(Role.OPERATOR)).handler(r::mode);
    router
        .put(LOOP + "/manual-output")
        .handler(body)
        .handler(guard.require(Role.OPERATOR))
        .handler(r::manualOutput);
    router
        .put(LOOP + "/tuning")
        .handler(body)
        .handler(guard.require(Role.ENGINEER))
        .handler(r::tuning);
    router
        .post(R + "/interlocks/:interlockId/reset")
        .handler(body)
        .handler(guard.require(Role.ENGINEER))
        .handler(r::resetInterlock);
  }

  // ---- reads ----

  private void listReactors(RoutingContext rc) {
    JsonArray out = new JsonArray();
    for (String id : plant.reactorIds()) {
      JsonArray loops = new JsonArray();
      plant.loops(id).forEach(l -> loops.add(l.loopId()));
      out.add(
          new JsonObject()
              .put("reactorId", id)
              .put("displayName", plant.displayName(id))
              .put("link", PlantJson.link(plant.linkState(id)))
              .put("loops", loops));
    }
    json(rc, 200, out.encode());
  }

  private void reactor(RoutingContext rc) {
    String id = reactorOr404(rc);
    if (id == null) {
      return;
    }
    plant
        .controlState(id)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                rc.fail(ar.cause());
                return;
              }
              PlantAccess.ControlState state = ar.result();
              JsonArray loops = new JsonArray();
              for (PlantAccess.LoopLimits l : plant.loops(id)) {
                loops.add(loopJson(id, l, settingsOf(state, l.loopId())));
              }
              JsonArray interlocks = new JsonArray();
              for (PlantAccess.InterlockState il : state.interlocks()) {
                interlocks.add(
                    new JsonObject()
                        .put("interlockId", il.interlockId())
                        .put("latched", il.latched())
                        .put("tripped", il.tripped())
                        .put("cause", il.cause()));
              }
              json(
                  rc,
                  200,
                  new JsonObject()
                      .put("reactorId", id)
                      .put("displayName", plant.displayName(id))
                      .put("link", PlantJson.link(plant.linkState(id)))
                      .put("values", PlantJson.samples(plant.liveValues(id)))
                      .put("loops", loops)
                      .put("interlocks", interlocks)
                      .encode());
            });
  }

  private void loops(RoutingContext rc) {
    String id = reactorOr404(rc);
    if (id == null) {
      return;
    }
    withState(
        rc,
        id,
        state -> {
          JsonArray loops = new JsonArray();
          for (PlantAccess.LoopLimits l : plant.loops(id)) {
            loops.add(loopJson(id, l, settingsOf(state, l.loopId())));
          }
          json(rc, 200, loops.encode());
        });
  }

  private void loop(RoutingContext rc) {
    PlantAccess.LoopLimits l = loopOr404(rc);
    if (l == null) {
      return;
    }
    String id = rc.pathParam("reactorId");
    withState(
        rc, id, state -> json(rc, 200, loopJson(id, l, settingsOf(state, l.loopId())).encode()));
  }

  private JsonObject loopJson(
      String reactorId, PlantAccess.LoopLimits l, PlantAccess.LoopSettings s) {
    JsonObject o =
        new JsonObject()
            .put("loopId", l.loopId())
            .put("pv", l.pv())
            .put("pvUnit", l.pvUnit())
            .put("setpointLimits", PlantJson.range(l.setpointLimits()))
            .put("output", l.output())
            .put("outputUnit", l.outputUnit())
            .put("outputRange", PlantJson.range(l.outputRange()))
            .put("controllers", new JsonArray(List.copyOf(l.controllers())));
    if (l.cascadeSetpointLimits() != null) {
      o.put(
          "cascade",
          new JsonObject()
              .put("pv", l.cascadePv())
              .put("pvUnit", l.cascadePvUnit())
              .put("setpointLimits", PlantJson.range(l.cascadeSetpointLimits())));
    }
    if (s != null) {
      o.put(
          "settings",
          new JsonObject()
              .put("mode", s.mode())
              .put("setpoint", PlantJson.num(s.setpoint()))
              .put("cascadeSetpoint", PlantJson.num(s.cascadeSetpoint()))
              .put("manualOutput", PlantJson.num(s.manualOutput()))
              .put("autotuneRunning", s.autotuneRunning())
              .put("tuning", PlantJson.tunings(s.tuning())));
    }
    o.put("snapshot", PlantJson.snapshot(plant.latestSnapshot(reactorId, l.loopId())));
    return o;
  }

  private static PlantAccess.LoopSettings settingsOf(PlantAccess.ControlState s, String loopId) {
    for (PlantAccess.LoopSettings l : s.loops()) {
      if (l.loopId().equals(loopId)) {
        return l;
      }
    }
    return null;
  }

  // ---- commands ----

  private void setpoint(RoutingContext rc) {
    PlantAccess.LoopLimits l = loopOr404(rc);
    JsonObject body = l == null ? null : PlantInput.object(rc, fields("setpoint"));
    Double sp = body == null ? null : PlantInput.number(rc, body, "setpoint");
    AuditedCommands.Extras x = sp == null ? null : AuditedCommands.extras(rc, body);
    if (x == null) {
      return;
    }
    limited(
        rc,
        l,
        x,
        new Limited(
            AuditAction.SETPOINT,
            l.loopId(),
            PlantAccess.LoopSettings::setpoint,
            "setpoint",
            sp,
            l.setpointLimits(),
            l.pvUnit()),
        () -> new ControlCommand.SetSetpoint(l.loopId(), sp, user(rc)));
  }

  private void cascadeSetpoint(RoutingContext rc) {
    PlantAccess.LoopLimits l = loopOr404(rc);
    JsonObject body = l == null ? null : PlantInput.object(rc, fields("setpoint"));
    if (body == null) {
      return;
    }
    if (l.cascadeSetpointLimits() == null) {
      Problems.send(
          rc,
          422,
          "Loop has no cascade",
          "loop " + l.loopId() + " has no cascade controller, so it has no cascade setpoint",
          new Problems.FieldError("setpoint", "loop " + l.loopId() + " has no cascade"));
      return;
    }
    Double sp = PlantInput.number(rc, body, "setpoint");
    AuditedCommands.Extras x = sp == null ? null : AuditedCommands.extras(rc, body);
    if (x == null) {
      return;
    }
    limited(
        rc,
        l,
        x,
        new Limited(
            AuditAction.CASCADE_SETPOINT,
            l.loopId() + "/cascade",
            PlantAccess.LoopSettings::cascadeSetpoint,
            "setpoint",
            sp,
            l.cascadeSetpointLimits(),
            l.cascadePvUnit()),
        () -> new ControlCommand.SetCascadeSetpoint(l.loopId(), sp, user(rc)));
  }

  private void mode(RoutingContext rc) {
    PlantAccess.LoopLimits l = loopOr404(rc);
    JsonObject body = l == null ? null : PlantInput.object(rc, fields("mode"));
    String text = body == null ? null : PlantInput.string(rc, body, "mode");
    if (text == null) {
      return;
    }
    LoopMode mode;
    try {
      mode = LoopMode.parse(text);
    } catch (IllegalArgumentException e) {
      Problems.badField(rc, "mode", e.getMessage());
      return;
    }
    if (mode == LoopMode.CASCADE && l.cascadeSetpointLimits() == null) {
      Problems.send(
          rc,
          422,
          "Mode not available",
          "loop " + l.loopId() + " has no cascade; modes allowed: OFF, MANUAL, AUTO",
          new Problems.FieldError("mode", "CASCADE needs a cascade; allowed: OFF, MANUAL, AUTO"));
      return;
    }
    AuditedCommands.Extras x = AuditedCommands.extras(rc, body);
    if (x == null) {
      return;
    }
    withSettings(
        rc,
        l,
        s -> {
          AuditedCommands.Change c =
              change(rc, AuditAction.MODE, l.loopId(), s == null ? null : s.mode(), mode.name(), x);
          commands.execute(
              rc, c, x.signature(), new ControlCommand.SetMode(l.loopId(), mode, user(rc)));
        });
  }

  private void manualOutput(RoutingContext rc) {
    PlantAccess.LoopLimits l = loopOr404(rc);
    JsonObject body = l == null ? null : PlantInput.object(rc, fields("output"));
    Double out = body == null ? null : PlantInput.number(rc, body, "output");
    AuditedCommands.Extras x = out == null ? null : AuditedCommands.extras(rc, body);
    if (x == null) {
      return;
    }
    limited(
        rc,
        l,
        x,
        new Limited(
            AuditAction.MANUAL_OUTPUT,
            l.loopId(),
            PlantAccess.LoopSettings::manualOutput,
            "output",
            out,
            l.outputRange(),
            l.outputUnit()),
        () -> new ControlCommand.SetManualOutput(l.loopId(), out, user(rc)));
  }

  /**
   * A number a loop command sets: what the audit record calls it ({@code action} on {@code
   * target}), how to read its value before from the loop's settings, the body field it came in, the
   * value asked for and the limits it must lie within, in {@code unit}.
   */
  private record Limited(
      AuditAction action,
      String target,
      ToDoubleFunction<PlantAccess.LoopSettings> before,
      String field,
      double value,
      Range limits,
      String unit) {}

  /**
   * Applies a number command: records the value before (read from the controller) and the one asked
   * for, refuses it with 422 outside its limits (never clamped), else executes {@code command}.
   */
  private void limited(
      RoutingContext rc,
      PlantAccess.LoopLimits l,
      AuditedCommands.Extras x,
      Limited n,
      Supplier<ControlCommand> command) {
    withSettings(
        rc,
        l,
        s -> {
          AuditedCommands.Change c =
              change(
                  rc,
                  n.action(),
                  n.target(),
                  s == null ? null : value(n.before().applyAsDouble(s), n.unit()),
                  value(n.value(), n.unit()),
                  x);
          if (within(rc, c, n.field(), n.value(), n.limits(), n.unit(), l.loopId())) {
            commands.execute(rc, c, x.signature(), command.get());
          }
        });
  }

  private void tuning(RoutingContext rc) {
    PlantAccess.LoopLimits l = loopOr404(rc);
    JsonObject body = l == null ? null : PlantInput.object(rc, TUNING_FIELDS);
    if (body == null) {
      return;
    }
    String[] controller = new String[1];
    if (!PlantInput.optionalString(rc, body, "controller", controller)) {
      return;
    }
    String which = controller[0] == null ? "main" : controller[0].toLowerCase(Locale.ROOT);
    if (!l.controllers().contains(which)) {
      Problems.send(
          rc,
          422,
          "No such controller",
          "loop " + l.loopId() + " has no '" + which + "' controller (" + l.controllers() + ")",
          new Problems.FieldError("controller", "must be one of " + l.controllers()));
      return;
    }
    AuditedCommands.Extras x = AuditedCommands.extras(rc, body);
    if (x == null) {
      return;
    }
    withSettings(
        rc,
        l,
        s -> {
          PidTuning before = s == null ? null : s.tuning().get(which);
          PidTuning t = tuningFrom(rc, body, before == null ? PidTuning.of(0, 0, 0) : before);
          if (t != null) {
            AuditedCommands.Change c =
                change(
                    rc,
                    AuditAction.TUNING,
                    l.loopId() + "/" + which,
                    before == null ? null : text(before),
                    text(t),
                    x);
            commands.execute(
                rc, c, x.signature(), new ControlCommand.SetTuning(l.loopId(), which, t, user(rc)));
          }
        });
  }

  /** A tuning as the audit record shows it: every parameter, named. */
  static String text(PidTuning t) {
    return "gain="
        + fmt(t.gain())
        + " integralTimeS="
        + fmt(t.integralTimeS())
        + " derivativeTimeS="
        + fmt(t.derivativeTimeS())
        + " setpointWeightP="
        + fmt(t.setpointWeightP())
        + " setpointWeightD="
        + fmt(t.setpointWeightD())
        + " derivativeFilterN="
        + fmt(t.derivativeFilterN())
        + " trackingTimeS="
        + fmt(t.trackingTimeS())
        + " outputRateLimitPerS="
        + fmt(t.outputRateLimitPerS());
  }

  /** The tuning asked for: given fields over the controller's current ones; null when wrong. */
  private static PidTuning tuningFrom(RoutingContext rc, JsonObject body, PidTuning now) {
    if (!body.containsKey("gain")
        && !body.containsKey("integralTimeS")
        && !body.containsKey("derivativeTimeS")
        && body.fieldNames().stream().allMatch(NOT_PARAMETERS::contains)) {
      Problems.badField(
          rc, "body", "name at least one tuning parameter (gain, integralTimeS, ...)");
      return null;
    }
    double[] v = new double[8];
    String[] names = {
      "gain",
      "integralTimeS",
      "derivativeTimeS",
      "setpointWeightP",
      "setpointWeightD",
      "derivativeFilterN",
      "trackingTimeS",
      "outputRateLimitPerS"
    };
    double[] current = {
      now.gain(),
      now.integralTimeS(),
      now.derivativeTimeS(),
      now.setpointWeightP(),
      now.setpointWeightD(),
      now.derivativeFilterN(),
      now.trackingTimeS(),
      now.outputRateLimitPerS()
    };
    for (int i = 0; i < names.length; i++) {
      Double d = PlantInput.optionalNumber(rc, body, names[i], current[i]);
      if (d == null) {
        return null;
      }
      v[i] = d;
    }
    try {
      return new PidTuning(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
    } catch (IllegalArgumentException e) {
      String field = e.getMessage() == null ? "body" : e.getMessage().split(" ", 2)[0];
      Problems.send(
          rc,
          422,
          "Invalid tuning",
          e.getMessage(),
          new Problems.FieldError(field, e.getMessage()));
      return null;
    }
  }

  private void resetInterlock(RoutingContext rc) {
    String id = reactorOr404(rc);
    if (id == null) {
      return;
    }
    AuditedCommands.Extras x = new AuditedCommands.Extras(null, null);
    if (rc.body() != null && rc.body().length() > 0) {
      JsonObject body = PlantInput.object(rc, fields());
      x = body == null ? null : AuditedCommands.extras(rc, body);
      if (x == null) {
        return;
      }
    }
    AuditedCommands.Extras extras = x;
    String interlockId = rc.pathParam("interlockId");
    withState(
        rc,
        id,
        state -> {
          PlantAccess.InterlockState il =
              state.interlocks().stream()
                  .filter(i -> i.interlockId().equals(interlockId))
                  .findFirst()
                  .orElse(null);
          if (il == null) {
            List<String> known =
                state.interlocks().stream().map(PlantAccess.InterlockState::interlockId).toList();
            Problems.send(
                rc,
                404,
                "Unknown interlock",
                "reactor "
                    + id
                    + " has no interlock '"
                    + interlockId
                    + "' (interlocks: "
                    + known
                    + ")");
            return;
          }
          String before =
              il.tripped()
                  ? "tripped" + (il.cause() == null ? "" : " (" + il.cause() + ")")
                  : "not tripped";
          AuditedCommands.Change c =
              new AuditedCommands.Change(
                  id,
                  AuditAction.INTERLOCK_RESET,
                  id + "/" + interlockId,
                  before,
                  "reset",
                  extras.comment());
          commands.execute(
              rc, c, extras.signature(), new ControlCommand.ResetInterlock(interlockId, user(rc)));
        });
  }

  /** The fields a command body may have: its own, a comment and a signature. */
  private static Set<String> fields(String... own) {
    Set<String> out = new HashSet<>(List.of(own));
    out.add("comment");
    out.add("signature");
    return out;
  }

  private static AuditedCommands.Change change(
      RoutingContext rc,
      AuditAction action,
      String loopTarget,
      String oldValue,
      String newValue,
      AuditedCommands.Extras x) {
    String reactorId = rc.pathParam("reactorId");
    return new AuditedCommands.Change(
        reactorId, action, reactorId + "/" + loopTarget, oldValue, newValue, x.comment());
  }

  /** A value with its unit, as the audit record shows it; null for NaN (no such value). */
  static String value(double v, String unit) {
    if (Double.isNaN(v)) {
      return null;
    }
    return fmt(v) + (unit == null || unit.isEmpty() ? "" : " " + unit);
  }

  // ---- checks ----

  private boolean within(
      RoutingContext rc,
      AuditedCommands.Change c,
      String field,
      double v,
      Range limits,
      String unit,
      String loopId) {
    if (limits.contains(v)) {
      return true;
    }
    String u = unit == null || unit.isEmpty() ? "" : " " + unit;
    String problem =
        String.format(
            Locale.ROOT,
            "%s%s is outside the allowed range [%s, %s]%s of loop %s (refused, not clamped)",
            fmt(v),
            u,
            fmt(limits.min()),
            fmt(limits.max()),
            u,
            loopId);
    commands.refuse(
        rc,
        c,
        422,
        "Value out of range",
        field + " " + problem,
        new Problems.FieldError(field, problem));
    return false;
  }

  private static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
  }

  private String reactorOr404(RoutingContext rc) {
    String id = rc.pathParam("reactorId");
    if (!plant.hasReactor(id)) {
      Problems.send(
          rc,
          404,
          "Unknown reactor",
          "no reactor '" + id + "' (reactors: " + plant.reactorIds() + ")");
      return null;
    }
    return id;
  }

  private PlantAccess.LoopLimits loopOr404(RoutingContext rc) {
    String id = reactorOr404(rc);
    if (id == null) {
      return null;
    }
    String loopId = rc.pathParam("loopId");
    List<PlantAccess.LoopLimits> loops = plant.loops(id);
    for (PlantAccess.LoopLimits l : loops) {
      if (l.loopId().equals(loopId)) {
        return l;
      }
    }
    Problems.send(
        rc,
        404,
        "Unknown loop",
        "reactor "
            + id
            + " has no loop '"
            + loopId
            + "' (loops: "
            + loops.stream().map(PlantAccess.LoopLimits::loopId).toList()
            + ")");
    return null;
  }

  private void withState(
      RoutingContext rc,
      String reactorId,
      java.util.function.Consumer<PlantAccess.ControlState> then) {
    plant
        .controlState(reactorId)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                rc.fail(ar.cause());
              } else {
                then.accept(ar.result());
              }
            });
  }

  /** The loop's settings as the controller has them now (null if it does not report the loop). */
  private void withSettings(
      RoutingContext rc,
      PlantAccess.LoopLimits l,
      java.util.function.Consumer<PlantAccess.LoopSettings> then) {
    withState(rc, rc.pathParam("reactorId"), state -> then.accept(settingsOf(state, l.loopId())));
  }

  static String user(RoutingContext rc) {
    ApiCaller c = ApiGuard.caller(rc);
    return c == null ? "unknown" : c.userName();
  }

  static void json(RoutingContext rc, int status, String body) {
    rc.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body);
  }
}
