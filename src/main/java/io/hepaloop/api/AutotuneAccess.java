package io.hepaloop.api;

import io.hepaloop.control.AutotuneProgress;
import io.hepaloop.control.CommandResult;
import io.hepaloop.control.RelayAutoTuner;
import io.vertx.core.Future;

/**
 * How the auto-tune routes reach a running reactor controller. Each call runs on that reactor's
 * context (never on the HTTP event loop's time). A reactor or loop that does not exist fails the
 * future with {@link java.util.NoSuchElementException} whose message names the ones there are; a
 * refused action completes with a rejected {@link CommandResult} saying why.
 */
public interface AutotuneAccess {
  Future<CommandResult> start(
      String reactorId, String loopId, RelayAutoTuner.Config config, String actor);

  /** The loop's latest auto-tune, or null when it never had one. */
  Future<AutotuneProgress> progress(String reactorId, String loopId);

  Future<CommandResult> accept(String reactorId, String loopId, String actor);

  Future<CommandResult> reject(String reactorId, String loopId, String actor);

  Future<CommandResult> abort(String reactorId, String loopId, String actor);
}
