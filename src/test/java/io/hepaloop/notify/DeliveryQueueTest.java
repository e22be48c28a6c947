package io.hepaloop.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeliveryQueueTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void backoffDoublesFromTheFirstRetryUpToItsCapAndNeverOverflows() {
    DeliveryQueue.Policy p =
        new DeliveryQueue.Policy(Duration.ofMillis(20), Duration.ofMillis(200), 1);
    assertThat(
            List.of(
                p.backoffMs(1),
                p.backoffMs(2),
                p.backoffMs(3),
                p.backoffMs(4),
                p.backoffMs(40),
                p.backoffMs(Integer.MAX_VALUE)))
        .containsExactly(20L, 40L, 80L, 160L, 200L, 200L);
  }

  @Test
  void aPolicyThatCannotWorkIsRefused() {
    assertThatThrownBy(
            () -> new DeliveryQueue.Policy(Duration.ofSeconds(2), Duration.ofSeconds(1), 10))
        .hasMessageContaining("maxRetry");
    assertThatThrownBy(() -> new DeliveryQueue.Policy(Duration.ZERO, Duration.ofSeconds(1), 0))
        .hasMessageContaining("maxQueued");
  }

  @Test
  void aDeliveryThatThrowsIsRetriedLikeOneThatFailsAndOrderIsKept() {
    List<String> attempts = new CopyOnWriteArrayList<>();
    AtomicInteger failuresLeft = new AtomicInteger(3);
    DeliveryQueue<String> q =
        new DeliveryQueue<>(
            vertx,
            "test",
            new DeliveryQueue.Policy(Duration.ofMillis(1), Duration.ofMillis(5), 100),
            item -> {
              attempts.add(item);
              if (failuresLeft.getAndDecrement() > 0) {
                if (failuresLeft.get() == 1) {
                  throw new IllegalStateException("receiver blew up");
                }
                return Future.failedFuture("down");
              }
              return Future.succeededFuture();
            },
            new SimpleMeterRegistry());
    List.of("a", "b", "c").forEach(q::offer);
    await().atMost(Duration.ofSeconds(10)).until(() -> q.delivered() == 3);
    assertThat(attempts).containsExactly("a", "a", "a", "a", "b", "c");
    assertThat(q.failedAttempts()).isEqualTo(3);
    assertThat(q.queued()).isZero();
  }
}
