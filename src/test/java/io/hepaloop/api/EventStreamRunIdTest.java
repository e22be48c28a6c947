package io.hepaloop.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.alarm.AlarmState;
import io.hepaloop.alarm.AlarmTransition;
import io.hepaloop.bus.Addresses;
import io.hepaloop.bus.HepaEvent;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Stream events that concern a reactor carry the run open on it when they are sent. */
class EventStreamRunIdTest {
  final Map<String, String> open = new ConcurrentHashMap<>();
  Vertx vertx;

  @AfterEach
  void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @Test
  void alarmAndPlantEventsCarryTheReactorsOpenRunOrNull() throws Exception {
    PrometheusMeterRegistry registry = Metrics.prometheus();
    vertx = Metrics.vertx(registry);
    HttpApi api = new HttpApi(registry, "127.0.0.1", 0);
    vertx.deployVerticle(api).await();
    EventStream stream =
        new EventStream(
            List.of("r1", "r2"),
            registry,
            EventStream.Options.defaults().withIntervals(200, 1000, 15_000),
            open::get);
    vertx.deployVerticle(stream).await();
    stream.mount(api.router(), new TestRoleGuard());
    ApiClient client = new ApiClient(api.actualPort());
    open.put("r1", "r1-20261202-063000");
    try (SseClient sse = new SseClient(client.http(), client.base(), "viewer", null)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> stream.clientCount().await() >= 1);
      vertx
          .eventBus()
          .publish(
              Addresses.ALARM_EVENTS,
              new AlarmTransition(
                  Instant.now(),
                  "t-hi",
                  "r1",
                  AlarmState.NORMAL,
                  AlarmState.UNACK_ACTIVE,
                  39,
                  38,
                  null,
                  null,
                  "temperature high"));
      vertx
          .eventBus()
          .publish(
              Addresses.EVENTS,
              new HepaEvent(Instant.now(), "r2", "operator", "ann", "info", "on r2"));
      sse.await(e -> e.type().equals("event"));
      sse.await(e -> e.type().equals("alarm"));
      assertThat(sse.of("alarm").get(0).json().getString("runId")).isEqualTo("r1-20261202-063000");
      assertThat(sse.of("event").get(0).json().containsKey("runId")).isTrue();
      assertThat(sse.of("event").get(0).json().getString("runId")).isNull();
    }
  }
}
