package io.hepaloop.time;

import java.time.Instant;

/**
 * Source of time for everything that integrates over time (PID, plant model, watchdogs, spool
 * ages).
 *
 * <p>Three implementations: {@link SystemClock} (wall time), {@link AcceleratedClock} (simulator
 * running N times faster than real time) and {@link ManualClock} (stepped by deterministic tests
 * and the plant-in-the-loop harness). Code never calls {@code System.nanoTime()} or {@code
 * Instant.now()} directly where the value feeds a computation, so the same code runs in all three.
 */
public interface Clock {

  /** Monotonic time in nanoseconds; only differences are meaningful. */
  long nanoTime();

  /** Wall-clock instant (simulated wall time for accelerated and manual clocks). */
  Instant now();

  /** How many simulated seconds pass per real second (1 for real time). */
  default double speed() {
    return 1.0;
  }

  /** Seconds elapsed since an earlier {@link #nanoTime()} reading. */
  default double secondsSince(long earlierNanoTime) {
    return (nanoTime() - earlierNanoTime) / 1e9;
  }
}
