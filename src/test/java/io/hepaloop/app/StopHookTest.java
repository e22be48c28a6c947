package io.hepaloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Verifies that Ctrl-C lets the main thread finish closing before the JVM halts. */
class StopHookTest {

  @Test
  @Timeout(10)
  void theHookAsksTheMainThreadToStopAndHoldsTheJvmUntilItHasFinishedClosing() {
    CountDownLatch requested = new CountDownLatch(1);
    StopHook hook = new StopHook(requested, Duration.ofSeconds(30), "test-stop-hook");

    hook.thread().start(); // what the JVM does on Ctrl-C

    await().atMost(Duration.ofSeconds(5)).until(() -> requested.getCount() == 0);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> hook.thread().getState() == Thread.State.TIMED_WAITING);
    assertThat(hook.thread().isAlive())
        .as("the JVM would halt now, cutting the cleanup off")
        .isTrue();

    hook.finished();

    await().atMost(Duration.ofSeconds(5)).until(() -> !hook.thread().isAlive());
  }

  @Test
  @Timeout(10)
  void aCleanupThatHangsHoldsTheJvmNoLongerThanTheGrace() {
    StopHook hook = new StopHook(new CountDownLatch(1), Duration.ofMillis(200), "test-stop-hook");

    hook.thread().start();

    await().atMost(Duration.ofSeconds(5)).until(() -> !hook.thread().isAlive());
  }

  @Test
  void finishingWithoutAShutdownRemovesTheInstalledHook() {
    StopHook hook =
        new StopHook(new CountDownLatch(1), Duration.ofSeconds(1), "test-stop-hook").install();

    hook.finished();

    assertThat(Runtime.getRuntime().removeShutdownHook(hook.thread()))
        .as("still registered")
        .isFalse();
  }
}
