package io.hepaloop.api;

import io.hepaloop.alarm.Actor;
import io.hepaloop.alarm.AlarmDefinition;
import io.hepaloop.alarm.AlarmEngine;
import io.hepaloop.alarm.AlarmHealth;
import io.hepaloop.alarm.AlarmState;
import io.hepaloop.users.Role;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@link AlarmAccess} over an {@link AlarmEngine} (and its {@link AlarmHealth}) that live on one
 * Vert.x context: every call hops onto that context, so the engine stays single-threaded. An action
 * is checked whole first (each alarm exists, the role suffices, a comment is given, each alarm's
 * state allows it) and only then applied, so a multi-alarm request is never half-applied.
 *
 * <p>The plant-wide alarm service offers the same actions; this class is the small version the API
 * tests run on and the shape it is merged into.
 */
public final class AlarmEngineAccess implements AlarmAccess {
  private final Context context;
  private final AlarmEngine engine;
  private final AlarmHealth health;
  private final List<String> reactorIds;

  /**
   * @param context the one context that feeds, ticks and queries {@code engine} and {@code health}
   * @param reactorIds the plant's reactors, in configuration order (for health per reactor)
   */
  public AlarmEngineAccess(
      Context context, AlarmEngine engine, AlarmHealth health, List<String> reactorIds) {
    this.context = context;
    this.engine = engine;
    this.health = health;
    this.reactorIds = List.copyOf(reactorIds);
  }

  @Override
  public Future<List<AlarmView>> list(Filter filter) {
    return onContext(
        () -> {
          List<AlarmView> out = new ArrayList<>();
          for (AlarmDefinition d : engine.definitions()) {
            AlarmView v = view(d);
            if (filter == null || filter.matches(v)) {
              out.add(v);
            }
          }
          return out;
        });
  }

  private AlarmView view(AlarmDefinition d) {
    return new AlarmView(
        d.reactorId(),
        d.id(),
        d.kind(),
        d.source(),
        d.priority(),
        engine.state(d.reactorId(), d.id()),
        d.limit(),
        d.latched(),
        engine.shelvedUntil(d.reactorId(), d.id()),
        d.rationale(),
        engine.alarm(d.reactorId(), d.id()),
        engine.maxShelve());
  }

  /** Checks one alarm's state for an action; null when it allows it. */
  private interface StateCheck {
    String refusal(AlarmDefinition definition, AlarmState state, boolean shelved);
  }

  /** Applies an action to one alarm (after every check passed). */
  private interface Apply {
    void apply(AlarmRef alarm, Actor actor, String comment);
  }

  /**
   * An action on alarms: the role it needs, its verb in refusals, and what each alarm's state must
   * allow.
   */
  private record Action(Role needed, String verb, StateCheck check) {}

  private static final Action ACKNOWLEDGE =
      new Action(
          Role.OPERATOR,
          "acknowledge",
          (d, state, shelved) ->
              state.needsAcknowledgement() ? null : "is " + state + ", nothing to acknowledge");

  private static final Action SHELVE =
      new Action(
          Role.OPERATOR,
          "shelve",
          (d, state, shelved) -> {
            if (state == AlarmState.OUT_OF_SERVICE) {
              return "is out of service and cannot be shelved";
            }
            return shelved ? "is already shelved; unshelve it first" : null;
          });

  private static final Action UNSHELVE =
      new Action(
          Role.OPERATOR, "unshelve", (d, state, shelved) -> shelved ? null : "is not shelved");

  private static final Action REMOVE_FROM_SERVICE =
      new Action(
          Role.ENGINEER,
          "take out of service",
          (d, state, shelved) ->
              state == AlarmState.OUT_OF_SERVICE ? "is already out of service" : null);

  private static final Action RETURN_TO_SERVICE =
      new Action(
          Role.ENGINEER,
          "return to service",
          (d, state, shelved) ->
              state == AlarmState.OUT_OF_SERVICE ? null : "is not out of service");

  private static final Action RESET =
      new Action(
          Role.OPERATOR,
          "reset",
          (d, state, shelved) -> d.latched() ? null : "is not latched; there is nothing to reset");

  @Override
  public Future<ActionResult> acknowledge(
      List<AlarmRef> alarms, String user, Role role, String comment) {
    return act(
        ACKNOWLEDGE,
        alarms,
        user,
        role,
        comment,
        (a, actor, c) -> engine.acknowledge(a.reactorId(), a.alarmId(), actor, c));
  }

  @Override
  public Future<ActionResult> shelve(
      List<AlarmRef> alarms, Duration duration, String user, Role role, String comment) {
    return act(
        SHELVE,
        alarms,
        user,
        role,
        comment,
        (a, actor, c) -> engine.shelve(a.reactorId(), a.alarmId(), duration, actor, c));
  }

  @Override
  public Future<ActionResult> unshelve(
      List<AlarmRef> alarms, String user, Role role, String comment) {
    return act(
        UNSHELVE,
        alarms,
        user,
        role,
        comment,
        (a, actor, c) -> engine.unshelve(a.reactorId(), a.alarmId(), actor, c));
  }

  @Override
  public Future<ActionResult> removeFromService(
      List<AlarmRef> alarms, String user, Role role, String comment) {
    return act(
        REMOVE_FROM_SERVICE,
        alarms,
        user,
        role,
        comment,
        (a, actor, c) -> engine.removeFromService(a.reactorId(), a.alarmId(), actor, c));
  }

  @Override
  public Future<ActionResult> returnToService(
      List<AlarmRef> alarms, String user, Role role, String comment) {
    return act(
        RETURN_TO_SERVICE,
        alarms,
        user,
        role,
        comment,
        (a, actor, c) -> engine.returnToService(a.reactorId(), a.alarmId(), actor, c));
  }

  @Override
  public Future<ActionResult> reset(AlarmRef alarm, String user, Role role, String comment) {
    return act(
        RESET,
        alarm == null ? List.of() : List.of(alarm),
        user,
        role,
        comment,
        (a, actor, c) -> engine.reset(a.reactorId(), a.alarmId(), actor, c));
  }

  @Override
  public Future<Health> health() {
    return onContext(
        () -> {
          List<AlarmHealth.Figures> perReactor = new ArrayList<>();
          for (String id : reactorIds) {
            perReactor.add(health.reactor(id));
          }
          return new Health(health.plant(), perReactor);
        });
  }

  private Future<ActionResult> act(
      Action action, List<AlarmRef> alarms, String user, Role role, String comment, Apply apply) {
    Role needed = action.needed();
    String verb = action.verb();
    return onContext(
        () -> {
          if (alarms == null || alarms.isEmpty()) {
            return ActionResult.refused(
                Refusal.INVALID, null, "name at least one alarm to " + verb);
          }
          if (role == null || !role.includes(needed)) {
            return ActionResult.refused(
                Refusal.FORBIDDEN,
                null,
                user + " (" + role + ") may not " + verb + " an alarm; that needs " + needed);
          }
          if (comment == null || comment.isBlank()) {
            return ActionResult.refused(
                Refusal.INVALID, null, "a comment is required to " + verb + " an alarm");
          }
          Set<AlarmRef> seen = new HashSet<>();
          for (AlarmRef a : alarms) {
            if (!seen.add(a)) {
              return ActionResult.refused(
                  Refusal.INVALID, a, "alarm " + a + " is named twice; name each alarm once");
            }
            AlarmState state;
            try {
              state = engine.state(a.reactorId(), a.alarmId());
            } catch (IllegalArgumentException unknown) {
              return ActionResult.refused(Refusal.NOT_FOUND, a, unknown.getMessage());
            }
            boolean shelved = engine.shelvedUntil(a.reactorId(), a.alarmId()) != null;
            String why =
                action
                    .check()
                    .refusal(engine.definition(a.reactorId(), a.alarmId()), state, shelved);
            if (why != null) {
              return ActionResult.refused(
                  Refusal.CONFLICT,
                  a,
                  "alarm '"
                      + a.alarmId()
                      + "' of reactor '"
                      + a.reactorId()
                      + "' "
                      + why
                      + "; nothing was applied");
            }
          }
          Actor actor = new Actor(user, Actor.Role.valueOf(role.name()));
          List<AlarmRef> done = new ArrayList<>(new LinkedHashSet<>(alarms));
          for (AlarmRef a : done) {
            try {
              apply.apply(a, actor, comment);
            } catch (IllegalArgumentException e) {
              return ActionResult.refused(Refusal.INVALID, a, e.getMessage());
            } catch (IllegalStateException e) {
              return ActionResult.refused(Refusal.CONFLICT, a, e.getMessage());
            } catch (SecurityException e) {
              return ActionResult.refused(Refusal.FORBIDDEN, a, e.getMessage());
            }
          }
          return ActionResult.applied(done);
        });
  }

  private <T> Future<T> onContext(Supplier<T> work) {
    Promise<T> p = Promise.promise();
    context.runOnContext(
        v -> {
          try {
            p.complete(work.get());
          } catch (RuntimeException e) {
            p.fail(e);
          }
        });
    return p.future();
  }
}
