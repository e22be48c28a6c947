package io.hepaloop.bench;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pairs every limit crossing the bench saw on the event bus with the alarm activation that came
 * back on the SSE stream, per reactor and alarm, in order. Crossings are recorded on the bench's
 * bus consumer, activations on the SSE reader's thread, so the methods are synchronized (a few
 * hundred calls a second, never on the plant's event loops).
 *
 * <p>An activation may arrive before the bench's own consumer has seen its crossing (both listen to
 * the same publish on different contexts); it waits for it. What is left unpaired at the end is a
 * miss (a crossing without activation) or a duplicate (an activation without crossing).
 */
public final class AlarmLedger {
  /**
   * One crossing that came back as an activation.
   *
   * @param source the device's SourceTimestamp of the first sample past the limit
   * @param onBus when that sample arrived on the event bus
   * @param onStream when the {@code alarm} event arrived at the SSE client; may precede {@code
   *     onBus} by a little, as the bench's bus consumer and the alarm service are different
   *     contexts
   */
  public record Pair(
      String reactorId, String alarmId, Instant source, Instant onBus, Instant onStream) {}

  private record Crossing(Instant source, Instant onBus, boolean measured) {}

  private final Map<String, ArrayDeque<Crossing>> crossings = new HashMap<>();
  private final Map<String, ArrayDeque<Instant>> activations = new HashMap<>();
  private final List<Pair> measured = new ArrayList<>();
  private boolean measuring;
  private long crossingsTotal;
  private long crossingsMeasured;
  private long activationsTotal;

  /** Crossings from now on count in the figures (false: warm-up or drain). */
  public synchronized void measuring(boolean on) {
    measuring = on;
  }

  public synchronized void crossing(
      String reactorId, String alarmId, Instant source, Instant onBus) {
    crossingsTotal++;
    if (measuring) {
      crossingsMeasured++;
    }
    Crossing c = new Crossing(source, onBus, measuring);
    ArrayDeque<Instant> early = activations.get(key(reactorId, alarmId));
    if (early != null && !early.isEmpty()) {
      pair(reactorId, alarmId, c, early.removeFirst());
    } else {
      crossings.computeIfAbsent(key(reactorId, alarmId), k -> new ArrayDeque<>()).addLast(c);
    }
  }

  public synchronized void activation(String reactorId, String alarmId, Instant onStream) {
    activationsTotal++;
    ArrayDeque<Crossing> waiting = crossings.get(key(reactorId, alarmId));
    if (waiting != null && !waiting.isEmpty()) {
      pair(reactorId, alarmId, waiting.removeFirst(), onStream);
    } else {
      activations
          .computeIfAbsent(key(reactorId, alarmId), k -> new ArrayDeque<>())
          .addLast(onStream);
    }
  }

  private void pair(String reactorId, String alarmId, Crossing c, Instant onStream) {
    if (c.measured()) {
      measured.add(new Pair(reactorId, alarmId, c.source(), c.onBus(), onStream));
    }
  }

  /** Crossings still waiting for their activation. */
  public synchronized long unpairedCrossings() {
    return crossings.values().stream().mapToLong(ArrayDeque::size).sum();
  }

  /** Activations no crossing explains (so far). */
  public synchronized long unpairedActivations() {
    return activations.values().stream().mapToLong(ArrayDeque::size).sum();
  }

  public synchronized long crossingsTotal() {
    return crossingsTotal;
  }

  public synchronized long crossingsMeasured() {
    return crossingsMeasured;
  }

  public synchronized long activationsTotal() {
    return activationsTotal;
  }

  /** The pairs whose crossing fell in the measured window. */
  public synchronized List<Pair> measured() {
    return List.copyOf(measured);
  }

  private static String key(String reactorId, String alarmId) {
    return reactorId + "/" + alarmId;
  }
}
