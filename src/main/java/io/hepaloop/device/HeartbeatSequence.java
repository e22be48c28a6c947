package io.hepaloop.device;

import io.hepaloop.core.DataType;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/**
 * The order of one reactor's heartbeat values: at most one write in flight, and each value the one
 * after the last the device accepted ({@link DataType#nextHeartbeat}, wrapping at the watchdog
 * type's maximum).
 *
 * <p>Writes are separate OPC UA requests, and a server may serve requests in parallel (Milo's
 * does): two beats in flight at once can reach the device's watchdog node in the wrong order. A
 * watchdog that checks for change does not mind, but one that checks that the counter increases
 * (some PLC programs do) would trip. So a beat that falls due while the previous write is still
 * unanswered is skipped and counted ({@link #skipped()}); after a failed write the next beat sends
 * the same value again (the device has not seen it), after a successful one the next value.
 *
 * <p>Not thread-safe: the link calls it on its own context only.
 */
final class HeartbeatSequence {
  /** Writes one beat's value to the watchdog node (the reactor's session). Non-blocking. */
  interface Writer {
    CompletionStage<StatusCode> write(Variant value);
  }

  /** How one beat ended: the device's status, or the request's failure (status null). */
  record Outcome(long value, StatusCode status, Throwable failure) {
    boolean accepted() {
      return failure == null && status != null && status.isGood();
    }
  }

  private long lastWritten;
  private boolean inFlight;
  private long inFlightValue;
  private long skipped;
  private long written;

  /**
   * @param lastWritten the value the next beat follows (the first beat sends the one after it)
   */
  HeartbeatSequence(long lastWritten) {
    this.lastWritten = lastWritten;
  }

  /**
   * The value of the next beat, now in flight until {@link #finished}; empty (and counted as
   * skipped) while the previous beat's write is unanswered.
   */
  OptionalLong start(DataType type) {
    if (inFlight) {
      skipped++;
      return OptionalLong.empty();
    }
    inFlight = true;
    inFlightValue = type.nextHeartbeat(lastWritten);
    return OptionalLong.of(inFlightValue);
  }

  /**
   * Writes the next beat unless the previous one is still in flight (then it is skipped and
   * counted). The answer is handed to {@code context} (the link's context), which records it and
   * then calls {@code done}.
   *
   * @return whether a beat was sent
   */
  boolean beat(DataType type, Writer writer, Executor context, Consumer<Outcome> done) {
    OptionalLong next = start(type);
    if (next.isEmpty()) {
      return false;
    }
    long value = next.getAsLong();
    CompletionStage<StatusCode> answer;
    try {
      answer = writer.write(type.heartbeatVariant(value));
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    answer.whenComplete(
        (sc, ex) ->
            context.execute(
                () -> {
                  Outcome o = new Outcome(value, ex == null ? sc : null, ex);
                  finished(o.accepted());
                  done.accept(o);
                }));
    return true;
  }

  /** The beat in flight was answered: {@code accepted} when the device took the value. */
  void finished(boolean accepted) {
    if (!inFlight) {
      return;
    }
    inFlight = false;
    if (accepted) {
      lastWritten = inFlightValue;
      written++;
    }
  }

  boolean inFlight() {
    return inFlight;
  }

  /** The last value the device accepted (or the start value). */
  long lastWritten() {
    return lastWritten;
  }

  /** Beats skipped because the previous write was still unanswered. */
  long skipped() {
    return skipped;
  }

  /** Beats the device accepted. */
  long written() {
    return written;
  }
}
