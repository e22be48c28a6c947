package io.hepaloop.control;

import io.hepaloop.core.Quality;
import io.hepaloop.device.Sample;
import java.util.HashMap;
import java.util.Map;

/**
 * The latest value and quality of every signal of one reactor (sensors and actuator read-backs), as
 * the control loops see it. Touched by the reactor's context only: no locks.
 */
public final class ProcessImage {

  /** One signal's latest value; {@code receivedNanos} is the controller clock when it arrived. */
  public static final class Entry {
    double value = Double.NaN;
    Quality quality = Quality.BAD;
    boolean stale = true;
    long receivedNanos;

    public double value() {
      return value;
    }

    public Quality quality() {
      return quality;
    }

    public boolean stale() {
      return stale;
    }

    /** Good, fresh and a finite number: the only kind of value a loop may act on. */
    public boolean usable() {
      return quality == Quality.GOOD && !stale && Double.isFinite(value);
    }
  }

  private final Map<String, Entry> entries = new HashMap<>();

  public void put(Sample s, long receivedNanos) {
    put(s.signalId(), s.value(), s.quality(), s.stale(), receivedNanos);
  }

  public void put(
      String signalId, double value, Quality quality, boolean stale, long receivedNanos) {
    Entry e = entries.computeIfAbsent(signalId, k -> new Entry());
    e.value = value;
    e.quality = quality == null ? Quality.BAD : quality;
    e.stale = stale;
    e.receivedNanos = receivedNanos;
  }

  /** The entry of a signal, or null if nothing was ever received. */
  public Entry get(String signalId) {
    return entries.get(signalId);
  }

  public boolean usable(String signalId) {
    Entry e = entries.get(signalId);
    return e != null && e.usable();
  }

  public double value(String signalId) {
    Entry e = entries.get(signalId);
    return e == null ? Double.NaN : e.value;
  }

  /**
   * The quality to show and use: Bad when nothing arrived yet or the value is stale (link lost).
   */
  public Quality quality(String signalId) {
    Entry e = entries.get(signalId);
    return e == null || e.stale ? Quality.BAD : e.quality;
  }

  /** Marks every value stale (link lost): kept for display, never used for control. */
  public void markAllStale() {
    for (Entry e : entries.values()) {
      e.stale = true;
    }
  }
}
