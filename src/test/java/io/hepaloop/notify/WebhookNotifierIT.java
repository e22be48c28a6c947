package io.hepaloop.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Verifies webhook delivery against a real HTTP server on loopback: signed, in order, retried. */
class WebhookNotifierIT {
  private static final String SECRET = "a-shared-secret-of-some-length";

  private record Received(String delivery, long timestamp, String signature, String body) {}

  private Vertx vertx;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger refuseNext = new AtomicInteger();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private HttpServer receiver(int port) throws Exception {
    return vertx
        .createHttpServer()
        .requestHandler(
            req ->
                req.body()
                    .onSuccess(
                        b -> {
                          received.add(
                              new Received(
                                  req.getHeader("X-HepaLoop-Delivery"),
                                  Long.parseLong(req.getHeader("X-HepaLoop-Timestamp")),
                                  req.getHeader("X-HepaLoop-Signature"),
                                  b.toString()));
                          boolean refuse = refuseNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
                          req.response().setStatusCode(refuse ? 503 : 204).end();
                        }))
        .listen(port, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Notification notification(int i) {
    return new Notification(
        "n-" + i,
        "critical",
        "r1",
        "outlet pO2 low: " + (30 + i) + " mmHg below 35 mmHg",
        Instant.parse("2026-12-02T01:00:00Z"),
        "raise the flow or the sweep-gas O2");
  }

  private static WebhookNotifier.Options options(int port, int maxQueued) {
    return new WebhookNotifier.Options(
        URI.create("http://127.0.0.1:" + port + "/hook"),
        SECRET,
        Duration.ofSeconds(5),
        Duration.ofMillis(20),
        Duration.ofMillis(200),
        maxQueued);
  }

  @Test
  void everyNotificationArrivesSignedAndInOrderAlthoughTheReceiverRefusesSomeAttempts()
      throws Exception {
    int port = freePort();
    receiver(port);
    refuseNext.set(2);
    try (WebhookNotifier notifier =
        new WebhookNotifier(vertx, options(port, 100), new SimpleMeterRegistry())) {
      for (int i = 1; i <= 5; i++) {
        notifier.send(notification(i));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> notifier.delivered() == 5);
      assertThat(notifier.failedAttempts()).isEqualTo(2);
      assertThat(notifier.queued()).isZero();
    }
    // n-1 refused twice, then taken; the rest once each, in order
    assertThat(received.stream().map(Received::delivery))
        .containsExactly("n-1", "n-1", "n-1", "n-2", "n-3", "n-4", "n-5");
    for (Received r : received) {
      assertThat(r.signature())
          .as("signature of %s", r.delivery())
          .isEqualTo(WebhookNotifier.signature(SECRET, r.timestamp(), r.body()));
      assertThat(r.signature())
          .isNotEqualTo(WebhookNotifier.signature(SECRET + "x", r.timestamp(), r.body()));
    }
    JsonObject last = new JsonObject(received.get(received.size() - 1).body());
    assertThat(last.getString("what")).isEqualTo("outlet pO2 low: 35 mmHg below 35 mmHg");
    assertThat(last.getString("reactor")).isEqualTo("r1");
    assertThat(last.getString("since")).isEqualTo("2026-12-02T01:00:00Z");
    assertThat(last.getString("action")).isEqualTo("raise the flow or the sweep-gas O2");
  }

  @Test
  void notificationsWaitWhileNobodyListensAndArriveWhenTheReceiverComesUp() throws Exception {
    int port = freePort();
    try (WebhookNotifier notifier =
        new WebhookNotifier(vertx, options(port, 3), new SimpleMeterRegistry())) {
      for (int i = 1; i <= 5; i++) {
        notifier.send(notification(i));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> notifier.failedAttempts() >= 2);
      assertThat(notifier.queued()).as("bounded queue").isEqualTo(3);
      assertThat(notifier.refused()).isEqualTo(2);
      receiver(port);
      await().atMost(Duration.ofSeconds(30)).until(() -> notifier.delivered() == 3);
    }
    assertThat(received.stream().map(Received::delivery)).containsExactly("n-1", "n-2", "n-3");
  }
}
