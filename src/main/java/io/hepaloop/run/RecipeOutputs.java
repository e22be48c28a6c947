package io.hepaloop.run;

import io.hepaloop.control.CommandResult;
import io.hepaloop.control.ControlCommand;

/**
 * Where a {@link RecipeExecutor} sends what it does: control commands go through the reactor's one
 * command door (actor {@code "recipe"}), events to the run's log. Both are called on the executor's
 * thread and must not block.
 */
public interface RecipeOutputs {
  /** Applies {@code command}; the result says whether the control door accepted it. */
  CommandResult command(ControlCommand command);

  void event(RecipeEvent event);
}
