package io.hepaloop.run;

import java.time.Instant;
import java.util.Set;

/**
 * What a restarted controller needs to continue a recipe where it stopped: saved after every event
 * (by whoever persists the run), handed to {@link RecipeExecutor#resume}.
 *
 * @param recipeSha256 the recipe version it belongs to; resuming with another version is refused
 * @param state the procedure's state
 * @param phaseIndex the current phase (0-based); -1 before start
 * @param phaseStartedAt when the current phase started (wall time of the clock)
 * @param heldS seconds the current phase has spent held (they do not count towards its time)
 * @param heldSince when the current hold began, or null when not held
 * @param answeredPrompts prompt ids of the current phase already answered
 */
public record RecipeProgress(
    String recipeSha256,
    ProcedureState state,
    int phaseIndex,
    Instant phaseStartedAt,
    double heldS,
    Instant heldSince,
    Set<String> answeredPrompts) {
  public RecipeProgress {
    answeredPrompts = Set.copyOf(answeredPrompts);
  }
}
