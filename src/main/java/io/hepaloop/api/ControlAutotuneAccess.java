package io.hepaloop.api;

import io.hepaloop.control.AutotuneProgress;
import io.hepaloop.control.CommandResult;
import io.hepaloop.control.ReactorControl;
import io.hepaloop.control.RelayAutoTuner;
import io.vertx.core.Future;
import java.util.function.Function;

/**
 * An {@link AutotuneAccess} whose calls are the auto-tune methods of a reactor's {@link
 * ReactorControl}, one to one. What differs between the running plant and a test harness is only
 * how a call reaches that control ({@link #on}): on which thread, and how a missing reactor or loop
 * is told.
 */
public abstract class ControlAutotuneAccess implements AutotuneAccess {
  /**
   * Applies {@code action} to the control of {@code reactorId}, where its state may be touched; a
   * reactor or loop that does not exist fails the future with {@link
   * java.util.NoSuchElementException} naming the ones there are.
   */
  protected abstract <T> Future<T> on(
      String reactorId, String loopId, Function<ReactorControl, T> action);

  @Override
  public final Future<CommandResult> start(
      String reactorId, String loopId, RelayAutoTuner.Config config, String actor) {
    return on(reactorId, loopId, rc -> rc.startAutotune(loopId, config, actor));
  }

  @Override
  public final Future<AutotuneProgress> progress(String reactorId, String loopId) {
    return on(reactorId, loopId, rc -> rc.autotuneProgress(loopId));
  }

  @Override
  public final Future<CommandResult> accept(String reactorId, String loopId, String actor) {
    return on(reactorId, loopId, rc -> rc.acceptAutotune(loopId, actor));
  }

  @Override
  public final Future<CommandResult> reject(String reactorId, String loopId, String actor) {
    return on(reactorId, loopId, rc -> rc.rejectAutotune(loopId, actor));
  }

  @Override
  public final Future<CommandResult> abort(String reactorId, String loopId, String actor) {
    return on(reactorId, loopId, rc -> rc.abortAutotune(loopId, actor));
  }
}
