package io.hepaloop.alarm;

import io.hepaloop.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Alarm-system health as ISA-18.2 practice measures it, per reactor and for the plant, computed
 * from the transitions alone (add it as a listener of the engine).
 *
 * <p>Memory is bounded: per reactor a fixed ring of recent activation times (pruned by age), per
 * alarm the last {@value #CHATTER_ACTIVATIONS} activation times, when it became active and whether
 * it is shelved. An alarm's entry is dropped once it is normal and has not activated within the
 * chattering window, so a run of months holds no more than one entry per defined alarm. Not
 * thread-safe: use it on the engine's thread.
 */
public final class AlarmHealth implements AlarmListener {
  public static final Duration FLOOD_WINDOW = Duration.ofMinutes(10);
  public static final int FLOOD_ACTIVATIONS = 10;
  public static final Duration CHATTER_WINDOW = Duration.ofSeconds(60);
  public static final int CHATTER_ACTIVATIONS = 3;
  public static final Duration STALE_AFTER = Duration.ofHours(24);

  /** Activations remembered per reactor; a reactor with more in ten minutes shows this many. */
  static final int ACTIVATIONS_KEPT = 1024;

  /** Health figures of one reactor, or of the plant (scope "plant"). */
  public record Figures(
      String scope,
      int activationsLast10Min,
      boolean flood,
      List<Chattering> chattering,
      int staleCount,
      int shelvedCount) {
    public Figures {
      chattering = List.copyOf(chattering);
    }
  }

  /**
   * An alarm that activated {@value #CHATTER_ACTIVATIONS} or more times within a minute; {@code
   * activationsLastMinute} counts up to {@value #CHATTER_ACTIVATIONS} (only that many are kept).
   */
  public record Chattering(
      String reactorId, String alarmId, int activationsLastMinute, String hint) {}

  private final Clock clock;
  private final Map<String, ReactorRecord> reactors = new TreeMap<>();

  public AlarmHealth(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void onTransition(AlarmTransition t) {
    long ms = t.time().toEpochMilli();
    ReactorRecord r = reactors.computeIfAbsent(t.reactorId(), id -> new ReactorRecord());
    AlarmRecord a = r.alarms.computeIfAbsent(t.alarmId(), id -> new AlarmRecord());
    if (t.isActivation()) {
      r.activations.add(ms);
      a.activation(ms);
    }
    if (t.to().isActive() && !t.from().isActive()) {
      a.activeSinceMs = ms;
    } else if (!t.to().isActive()) {
      a.activeSinceMs = -1;
    }
    a.shelved = t.to() == AlarmState.SHELVED;
    r.prune(ms);
  }

  /** Figures of one reactor (all zero for a reactor that never had a transition). */
  public Figures reactor(String reactorId) {
    long now = clock.now().toEpochMilli();
    ReactorRecord r = reactors.get(reactorId);
    List<Chattering> chattering = new ArrayList<>();
    if (r == null) {
      return new Figures(reactorId, 0, false, chattering, 0, 0);
    }
    r.prune(now);
    int activations = r.activations.countSince(now - FLOOD_WINDOW.toMillis());
    int stale = 0;
    int shelved = 0;
    for (Map.Entry<String, AlarmRecord> e : r.alarms.entrySet()) {
      AlarmRecord a = e.getValue();
      int recent = a.activationsSince(now - CHATTER_WINDOW.toMillis());
      if (recent >= CHATTER_ACTIVATIONS) {
        chattering.add(new Chattering(reactorId, e.getKey(), recent, hint(e.getKey(), recent)));
      }
      if (a.activeSinceMs >= 0 && now - a.activeSinceMs >= STALE_AFTER.toMillis()) {
        stale++;
      }
      if (a.shelved) {
        shelved++;
      }
    }
    return new Figures(
        reactorId, activations, activations >= FLOOD_ACTIVATIONS, chattering, stale, shelved);
  }

  /** Figures of the whole plant: sums of the reactors', flood judged on the sum. */
  public Figures plant() {
    int activations = 0;
    int stale = 0;
    int shelved = 0;
    List<Chattering> chattering = new ArrayList<>();
    for (String id : new ArrayList<>(reactors.keySet())) {
      Figures f = reactor(id);
      activations += f.activationsLast10Min();
      stale += f.staleCount();
      shelved += f.shelvedCount();
      chattering.addAll(f.chattering());
    }
    return new Figures(
        "plant", activations, activations >= FLOOD_ACTIVATIONS, chattering, stale, shelved);
  }

  /** How many activation times and alarm entries are held (for the bounded-memory test). */
  int retainedEntries() {
    int n = 0;
    for (ReactorRecord r : reactors.values()) {
      n += r.activations.size() + r.alarms.size();
    }
    return n;
  }

  private static String hint(String alarmId, int recent) {
    return "alarm '"
        + alarmId
        + "' activated "
        + recent
        + " times within a minute: widen its deadbandInUnits or add an onDelayS (or offDelayS)"
        + " so one excursion gives one alarm";
  }

  private static final class ReactorRecord {
    final TimeRing activations = new TimeRing(ACTIVATIONS_KEPT);
    final Map<String, AlarmRecord> alarms = new HashMap<>();

    void prune(long nowMs) {
      activations.dropBefore(nowMs - FLOOD_WINDOW.toMillis());
      alarms
          .values()
          .removeIf(
              a ->
                  a.activeSinceMs < 0
                      && !a.shelved
                      && a.activationsSince(nowMs - CHATTER_WINDOW.toMillis()) == 0);
    }
  }

  private static final class AlarmRecord {
    final long[] lastActivationsMs = new long[CHATTER_ACTIVATIONS];
    int count;
    int newest = -1;
    long activeSinceMs = -1;
    boolean shelved;

    void activation(long ms) {
      newest = (newest + 1) % lastActivationsMs.length;
      lastActivationsMs[newest] = ms;
      count = Math.min(count + 1, lastActivationsMs.length);
    }

    int activationsSince(long sinceMs) {
      int n = 0;
      for (int i = 0; i < count; i++) {
        if (lastActivationsMs[i] >= sinceMs) {
          n++;
        }
      }
      return n;
    }
  }

  /** Fixed-capacity ring of times in ascending order; the oldest is overwritten when full. */
  static final class TimeRing {
    private final long[] times;
    private int start;
    private int size;

    TimeRing(int capacity) {
      times = new long[capacity];
    }

    void add(long t) {
      if (size == times.length) {
        start = (start + 1) % times.length;
        size--;
      }
      times[(start + size) % times.length] = t;
      size++;
    }

    void dropBefore(long t) {
      while (size > 0 && times[start] < t) {
        start = (start + 1) % times.length;
        size--;
      }
    }

    int countSince(long t) {
      int n = 0;
      for (int i = 0; i < size; i++) {
        if (times[(start + i) % times.length] >= t) {
          n++;
        }
      }
      return n;
    }

    int size() {
      return size;
    }
  }
}
