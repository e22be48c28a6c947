package io.hepaloop.time;

import java.time.Duration;
import java.time.Instant;

/**
 * A clock that moves only when told to; for deterministic tests and the plant-in-the-loop harness.
 */
public final class ManualClock implements Clock {
  private long nanos;
  private final Instant epoch;

  public ManualClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  public ManualClock(Instant epoch) {
    this.epoch = epoch;
  }

  public void advance(Duration d) {
    advanceNanos(d.toNanos());
  }

  public void advanceSeconds(double seconds) {
    advanceNanos((long) Math.round(seconds * 1e9));
  }

  public void advanceNanos(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("time cannot run backwards: " + n + " ns");
    }
    nanos += n;
  }

  @Override
  public long nanoTime() {
    return nanos;
  }

  @Override
  public Instant now() {
    return epoch.plusNanos(nanos);
  }
}
