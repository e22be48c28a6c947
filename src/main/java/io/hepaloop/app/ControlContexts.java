package io.hepaloop.app;

import io.hepaloop.control.CommandResult;
import io.hepaloop.control.ControlCommand;
import io.hepaloop.control.ReactorController;
import io.vertx.core.Future;
import java.util.function.Function;

/**
 * Runs work on a reactor's control context with that reactor's one command door, so that a recipe
 * executor lives on the same thread as the loops it steers and its commands are validated like an
 * operator's ({@code ReactorControl.command}).
 */
@FunctionalInterface
public interface ControlContexts {
  /** The command door of one reactor: valid only on its control context, during the call. */
  interface Door extends Function<ControlCommand, CommandResult> {}

  /**
   * Runs {@code action} on the reactor's control context; fails for an unknown reactor. Returns at
   * once.
   */
  <T> Future<T> call(String reactorId, Function<Door, T> action);

  /** Over the plant's controllers ({@link ReactorController#withControl}). */
  static ControlContexts of(Function<String, ReactorController> controllers) {
    return new ControlContexts() {
      @Override
      public <T> Future<T> call(String reactorId, Function<Door, T> action) {
        ReactorController c = controllers.apply(reactorId);
        if (c == null) {
          return Future.failedFuture(
              new IllegalArgumentException("no controller for reactor '" + reactorId + "'"));
        }
        return c.withControl(control -> action.apply(control::command));
      }
    };
  }
}
