package io.hepaloop.app;

import io.hepaloop.api.ControlAutotuneAccess;
import io.hepaloop.control.ReactorControl;
import io.hepaloop.control.ReactorController;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * The auto-tune routes' way into the running plant: each call runs on the reactor controller's
 * context ({@link ReactorController#withControl}), inside the process that already drives the
 * device, so other loops, a cascade and the heartbeat go on untouched.
 */
public final class PlantAutotuneAccess extends ControlAutotuneAccess {
  private final Function<String, ReactorController> controllers;
  private final Collection<String> reactorIds;

  /**
   * @param controllers reactor id to its controller, null when there is none ({@code
   *     PlantRuntime::controller})
   * @param reactorIds the plant's reactors, named in a 404
   */
  public PlantAutotuneAccess(
      Function<String, ReactorController> controllers, Collection<String> reactorIds) {
    this.controllers = controllers;
    this.reactorIds = reactorIds;
  }

  /** Over a running plant. */
  public static PlantAutotuneAccess of(PlantRuntime runtime, Collection<String> reactorIds) {
    return new PlantAutotuneAccess(runtime::controller, reactorIds);
  }

  @Override
  protected <T> Future<T> on(String reactorId, String loopId, Function<ReactorControl, T> action) {
    ReactorController c = reactorId == null ? null : controllers.apply(reactorId);
    if (c == null) {
      return Future.failedFuture(
          new NoSuchElementException(
              "no reactor '" + reactorId + "' (reactors: " + String.join(", ", reactorIds) + ")"));
    }
    return c.withControl(
        rc -> {
          if (rc.loop(loopId) == null) {
            throw new NoSuchElementException(
                "reactor "
                    + reactorId
                    + " has no loop '"
                    + loopId
                    + "' (loops: "
                    + String.join(", ", rc.loops().stream().map(l -> l.id()).toList())
                    + ")");
          }
          return action.apply(rc);
        });
  }
}
