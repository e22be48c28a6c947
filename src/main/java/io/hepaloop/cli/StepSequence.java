package io.hepaloop.cli;

import java.util.HashMap;
import java.util.Map;

/**
 * How {@code bench link} counts lost samples: the bench moves one actuator of every reactor one
 * step at a time at the simulator ({@link #valueOf}), slower than the actuator is sampled, so every
 * step must arrive as one sample. A read-back that jumps by more than one step means samples were
 * lost. Confined to one thread.
 */
final class StepSequence {
  static final int BASE = 20;
  static final int STEPS = 60;

  private final Map<String, Long> last = new HashMap<>();
  private long seen;
  private long missed;
  private long repeated;

  /**
   * The value of step {@code k}: 20, 21, ... 79 (engineering units, % for the pump), then 20 again.
   */
  static double valueOf(long k) {
    return BASE + Math.floorMod(k, STEPS);
  }

  void record(String reactorId, double value) {
    long v = Math.round(value) - BASE;
    if (v < 0 || v >= STEPS || Math.abs(value - Math.round(value)) > 1e-6) {
      return; // not a step of ours (the value before the first step)
    }
    Long prev = last.put(reactorId, v);
    if (prev == null) {
      return;
    }
    long step = Math.floorMod(v - prev, STEPS);
    if (step == 0) {
      repeated++;
    } else {
      seen++;
      missed += step - 1;
    }
  }

  long seen() {
    return seen;
  }

  long missed() {
    return missed;
  }

  long repeated() {
    return repeated;
  }

  /** Missed steps as a share of all steps that happened, in %; NaN before any. */
  double lossPercent() {
    return seen + missed == 0 ? Double.NaN : 100.0 * missed / (seen + missed);
  }
}
