package io.hepaloop.device;

import java.util.function.DoubleSupplier;

/**
 * Reconnect delays of the device link: {@code initialMs × multiplier^attempt}, capped at {@code
 * maxMs}, with optional ± jitter so that 64 links do not knock on a restarted gateway in the same
 * millisecond.
 *
 * <p>Why our own: Milo's client reconnects by itself with 1, 2, 4, 8, 16 s waits, so a device that
 * comes back after 10 s is seen again only after up to 16 s more. A short cap (1 s by default)
 * keeps the promise "samples flow again within 2 s of the device being back" at the cost of one TCP
 * connection attempt per second per reactor while the device is down, which a PLC does not notice.
 *
 * @param initialMs delay before the first retry
 * @param maxMs cap on any delay
 * @param multiplier growth per failed attempt (≥ 1)
 * @param jitterFraction 0 for none; 0.1 means each delay is scaled by a factor in [0.9, 1.1]
 */
public record Backoff(long initialMs, long maxMs, double multiplier, double jitterFraction) {
  /** 200 ms, 400 ms, 800 ms, then every 1 s, ±10 %. */
  public static final Backoff DEFAULT = new Backoff(200, 1000, 2.0, 0.1);

  public Backoff {
    if (initialMs < 1 || maxMs < initialMs) {
      throw new IllegalArgumentException(
          "backoff needs 1 <= initialMs <= maxMs, got initialMs=" + initialMs + " maxMs=" + maxMs);
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException(
          "backoff multiplier must be a finite number >= 1, got " + multiplier);
    }
    if (!(jitterFraction >= 0.0 && jitterFraction < 1.0)) {
      throw new IllegalArgumentException(
          "backoff jitterFraction must be in [0, 1), got " + jitterFraction);
    }
  }

  /**
   * Delay before retry number {@code attempt} (0 = first retry after a failure).
   *
   * @param random uniform numbers in [0, 1) for the jitter
   */
  public long delayMs(int attempt, DoubleSupplier random) {
    double base = initialMs * Math.pow(multiplier, Math.max(0, Math.min(attempt, 62)));
    double capped = Math.min(maxMs, base);
    double factor = 1.0 + jitterFraction * (2.0 * random.getAsDouble() - 1.0);
    return Math.max(1L, Math.round(capped * factor));
  }

  /** Delay without jitter (what the schedule looks like; for logs and tests). */
  public long nominalDelayMs(int attempt) {
    return delayMs(attempt, () -> 0.5);
  }
}
