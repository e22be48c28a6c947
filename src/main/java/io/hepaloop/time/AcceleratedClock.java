package io.hepaloop.time;

import java.time.Instant;

/**
 * Simulated time that runs {@code speed} times faster than real time, starting at the real instant
 * it was created. Used by the simulator ({@code --speed 60}: a day of culture in 24 minutes).
 */
public final class AcceleratedClock implements Clock {
  private final double speed;
  private final long startNanos;
  private final Instant startInstant;

  public AcceleratedClock(double speed) {
    if (!(speed > 0) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException("speed must be a positive finite number, got " + speed);
    }
    this.speed = speed;
    this.startNanos = System.nanoTime();
    this.startInstant = Instant.now();
  }

  @Override
  public long nanoTime() {
    return startNanos + (long) ((System.nanoTime() - startNanos) * speed);
  }

  @Override
  public Instant now() {
    long simNanos = (long) ((System.nanoTime() - startNanos) * speed);
    return startInstant.plusNanos(simNanos);
  }

  @Override
  public double speed() {
    return speed;
  }
}
