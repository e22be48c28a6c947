package io.hepaloop.app;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C for a long-running command: a JVM shutdown hook that asks the main thread to stop and then
 * waits until the main thread says it has closed everything (or {@code grace} has passed).
 *
 * <p>Why not a hook that only counts a latch down: the JVM halts as soon as its hooks have
 * returned, whatever the main thread is doing, so the main thread's cleanup — loops stopped before
 * links, the telemetry flushed to the spool, Vert.x closed — would be cut off mid-way.
 */
public final class StopHook {
  private final CountDownLatch requested;
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Duration grace;
  private final Thread thread;

  /**
   * @param requested counted down when the JVM is asked to shut down; the main thread waits on it
   * @param grace longest time the hook holds the JVM open for the main thread's cleanup
   */
  public StopHook(CountDownLatch requested, Duration grace, String name) {
    this.requested = requested;
    this.grace = grace;
    this.thread = new Thread(this::run, name);
  }

  /** Registers the hook with the JVM. */
  public StopHook install() {
    Runtime.getRuntime().addShutdownHook(thread);
    return this;
  }

  /**
   * The main thread has closed everything: the hook may return and the JVM halt. Also removes the
   * hook when the command stops by other means (a duration, a test), so none is left behind.
   */
  public void finished() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(thread);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // shutting down already (the hook is running) or never installed: nothing to remove
    }
  }

  /** The hook's thread (tests run it without shutting the JVM down). */
  Thread thread() {
    return thread;
  }

  private void run() {
    requested.countDown();
    try {
      finished.await(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
