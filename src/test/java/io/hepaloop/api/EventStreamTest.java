package io.hepaloop.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.alarm.AlarmPriority;
import io.hepaloop.alarm.AlarmState;
import io.hepaloop.alarm.AlarmTransition;
import io.hepaloop.bus.Addresses;
import io.hepaloop.bus.HepaEvent;
import io.hepaloop.control.LoopSnapshot;
import io.hepaloop.core.Quality;
import io.hepaloop.device.Sample;
import io.hepaloop.device.SampleBatch;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SSE stream and recent events against the event bus: every kind of event with rising ids,
 * samples and loop snapshots throttled, resumption with Last-Event-ID, an explicit reset when the
 * id is no longer held, a slow client dropped and counted, heartbeats.
 */
class EventStreamTest {
  PrometheusMeterRegistry registry;
  Vertx vertx;
  HttpApi api;
  EventStream stream;
  ApiClient client;

  private void start(EventStream.Options options) {
    registry = Metrics.prometheus();
    vertx = Metrics.vertx(registry);
    api = new HttpApi(registry, "127.0.0.1", 0);
    vertx.deployVerticle(api).await();
    stream = new EventStream(List.of("r1", "r2"), registry, options);
    vertx.deployVerticle(stream).await();
    stream.mount(api.router(), new TestRoleGuard());
    client = new ApiClient(api.actualPort());
  }

  private static EventStream.Options options() {
    return EventStream.Options.defaults().withIntervals(200, 1000, 15_000);
  }

  @AfterEach
  void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  private SseClient connect(Long lastEventId) throws Exception {
    SseClient c = new SseClient(client.http(), client.base(), "viewer", lastEventId);
    assertThat(c.status).isEqualTo(200);
    // the stream is attached once the hub counts the client
    await().atMost(Duration.ofSeconds(30)).until(() -> stream.clientCount().await() >= 1);
    return c;
  }

  private void event(String reactor, String message) {
    vertx
        .eventBus()
        .publish(
            Addresses.EVENTS,
            new HepaEvent(Instant.now(), reactor, "operator", "ann", "info", message));
  }

  private static LoopSnapshot snapshot(String mode, double setpoint, double pv) {
    return new LoopSnapshot(
        "r1",
        "temperature",
        Instant.now(),
        mode,
        setpoint,
        pv,
        Quality.GOOD,
        20,
        1,
        19,
        0,
        0,
        false,
        false,
        null);
  }

  private static SampleBatch batch(String reactor, double temperature) {
    return new SampleBatch(
        reactor,
        List.of(
            new Sample(reactor, "temperature", temperature, "°C", Instant.now(), Quality.GOOD)));
  }

  private double counter(String name) {
    var c = registry.find(name).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void everyKindOfEventArrivesWithRisingIds() throws Exception {
    start(options());
    try (SseClient sse = connect(null)) {
      event("r1", "hello");
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
                  "temperature high",
                  AlarmPriority.CRITICAL));
      vertx
          .eventBus()
          .publish(
              Addresses.RUNS,
              new io.hepaloop.bus.RunChange(
                  "r1-20260301-080000",
                  "r1",
                  "RUNNING",
                  0,
                  "attachment",
                  "PHASE_STARTED",
                  "phase attachment (1 of 4) started"));
      vertx.eventBus().publish(Addresses.control("r1"), snapshot("AUTO", 37, 36.9));
      vertx.eventBus().publish(Addresses.samples("r2"), batch("r2", 36.5));
      sse.await(e -> e.type().equals("sample"));
      JsonObject run = sse.await(e -> e.type().equals("run")).json();
      assertThat(run.getString("runId")).isEqualTo("r1-20260301-080000");
      assertThat(run.getString("phaseId")).isEqualTo("attachment");
      assertThat(run.getString("kind")).isEqualTo("PHASE_STARTED");
      assertThat(sse.of("event").get(0).json().getString("message")).isEqualTo("hello");
      assertThat(sse.of("alarm").get(0).json().getString("to")).isEqualTo("UNACK_ACTIVE");
      // the priority in force (a recipe phase's override), as the history records it
      assertThat(sse.of("alarm").get(0).json().getString("priority")).isEqualTo("CRITICAL");
      assertThat(sse.of("loop").get(0).json().getDouble("setpoint")).isEqualTo(37.0);
      JsonArray values = sse.of("sample").get(0).json().getJsonArray("values");
      assertThat(values.getJsonObject(0).getDouble("value")).isEqualTo(36.5);
      assertThat(values.getJsonObject(0).getString("quality")).isEqualTo("GOOD");
      List<Long> ids = sse.events.stream().map(SseClient.Event::id).toList();
      assertThat(ids).doesNotContainNull().isSorted().doesNotHaveDuplicates();
    }
  }

  @Test
  void samplesAreThrottledPerReactorAndCarryTheLatestValue() throws Exception {
    start(EventStream.Options.defaults().withIntervals(1000, 1000, 15_000));
    try (SseClient sse = connect(null)) {
      long t0 = System.nanoTime();
      for (int i = 0; i < 200; i++) {
        vertx.eventBus().publish(Addresses.samples("r1"), batch("r1", i));
      }
      SseClient.Event last =
          sse.await(
              e ->
                  e.type().equals("sample")
                      && e.json().getJsonArray("values").getJsonObject(0).getDouble("value")
                          == 199.0);
      long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
      int samples = sse.of("sample").size();
      assertThat(samples)
          .as("at most one per second")
          .isLessThanOrEqualTo((int) (elapsedMs / 1000 + 2));
      assertThat(samples).isLessThan(200);
      assertThat(last.json().getString("reactorId")).isEqualTo("r1");
    }
  }

  @Test
  void loopSnapshotsAreThrottledButAChangedSetpointOrModeGoesAtOnce() throws Exception {
    start(EventStream.Options.defaults().withIntervals(200, 600_000, 15_000));
    try (SseClient sse = connect(null)) {
      for (int i = 0; i < 100; i++) {
        vertx.eventBus().publish(Addresses.control("r1"), snapshot("AUTO", 37, 36 + i / 100.0));
      }
      vertx.eventBus().publish(Addresses.control("r1"), snapshot("AUTO", 37.5, 37));
      sse.await(e -> e.type().equals("loop") && e.json().getDouble("setpoint") == 37.5);
      vertx.eventBus().publish(Addresses.control("r1"), snapshot("MANUAL", 37.5, 37));
      sse.await(e -> e.type().equals("loop") && e.json().getString("mode").equals("MANUAL"));
      // the first, the new setpoint, the new mode: the 99 unchanged ones were held back
      assertThat(sse.of("loop")).hasSize(3);
    }
  }

  @Test
  void aClientReconnectingWithLastEventIdGetsWhatItMissedAndNoDuplicates() throws Exception {
    start(options());
    long lastSeen;
    try (SseClient first = connect(null)) {
      for (int i = 0; i < 5; i++) {
        event("r1", "before " + i);
      }
      first.await(e -> e.data().contains("before 4"));
      lastSeen = first.lastId();
    }
    await().until(() -> stream.clientCount().await() == 0);
    for (int i = 0; i < 3; i++) {
      event("r2", "missed " + i);
    }
    await().until(() -> stream.recent(null, 10).await().size() == 8);
    try (SseClient second = connect(lastSeen)) {
      event("r1", "after");
      second.await(e -> e.data().contains("\"after\""));
      List<String> messages =
          second.of("event").stream().map(e -> e.json().getString("message")).toList();
      assertThat(messages).containsExactly("missed 0", "missed 1", "missed 2", "after");
      List<Long> ids = second.events.stream().map(SseClient.Event::id).toList();
      assertThat(ids).isSorted().doesNotHaveDuplicates().allMatch(id -> id > lastSeen);
      assertThat(second.of("reset")).isEmpty();
    }
  }

  @Test
  void anIdNoLongerHeldOrUnknownGetsAnExplicitReset() throws Exception {
    start(options().withBuffer(4, 100).withFirstId(1000));
    for (int i = 0; i < 10; i++) {
      event("r1", "e" + i);
    }
    await().until(() -> stream.recent(null, 20).await().size() == 10);
    try (SseClient old = connect(1001L)) {
      SseClient.Event reset = old.await(e -> e.type().equals("reset"));
      assertThat(reset.id()).isEqualTo(1009L);
      assertThat(reset.data()).contains("reload");
      assertThat(old.of("event")).isEmpty();
    }
    try (SseClient future = connect(5000L)) {
      future.await(e -> e.type().equals("reset"));
    }
    try (SseClient held = connect(1007L)) {
      held.await(e -> e.data().contains("e9"));
      assertThat(held.of("event")).extracting(SseClient.Event::id).containsExactly(1008L, 1009L);
    }
    assertThat(counter("hepaloop.api.stream.resets")).isEqualTo(2);
  }

  @Test
  void aClientThatDoesNotReadIsDroppedAndCountedNotBuffered() throws Exception {
    start(options().withBuffer(64, 50));
    try (Socket slow = new Socket()) {
      slow.setReceiveBufferSize(1024);
      slow.connect(new InetSocketAddress("127.0.0.1", api.actualPort()));
      OutputStream out = slow.getOutputStream();
      out.write(
          ("GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  + TestRoleGuard.ROLE
                  + ": viewer\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      await().atMost(Duration.ofSeconds(30)).until(() -> stream.clientCount().await() == 1);
      String big = "x".repeat(4000);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (int i = 0; i < 200; i++) {
                  event("r1", big);
                }
                return counter("hepaloop.api.stream.clients.dropped") >= 1;
              });
      await().until(() -> stream.clientCount().await() == 0);
    }
    String metrics = client.get(null, "/metrics").body();
    assertThat(metrics).contains("hepaloop_api_stream_clients_dropped_total 1.0");
  }

  @Test
  void heartbeatsKeepAnIdleStreamAlive() throws Exception {
    start(EventStream.Options.defaults().withIntervals(200, 1000, 100));
    try (SseClient sse = connect(null)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> sse.comments.get() >= 3);
      assertThat(sse.events).isEmpty();
    }
  }

  @Test
  void theStreamAndRecentEventsNeedAViewer() throws Exception {
    start(options());
    SseClient anonymous = new SseClient(client.http(), client.base(), null, null);
    assertThat(anonymous.status).isEqualTo(401);
    anonymous.close();
    assertThat(client.get(null, "/api/events").status()).isEqualTo(401);
  }

  @Test
  void recentEventsAreBoundedFilteredAndNewestLast() throws Exception {
    start(new EventStream.Options(64, 50, 200, 1000, 15_000, 5, System.currentTimeMillis() * 1000));
    for (int i = 0; i < 12; i++) {
      event(i % 2 == 0 ? "r1" : "r2", "m" + i);
    }
    await().until(() -> stream.recent(null, 100).await().size() == 5);
    JsonArray all = client.get("viewer", "/api/events").array();
    assertThat(all).hasSize(5);
    assertThat(all.getJsonObject(4).getString("message")).isEqualTo("m11");
    JsonArray r1 = client.get("viewer", "/api/events?reactor=r1&limit=2").array();
    assertThat(r1).hasSize(2);
    assertThat(r1.getJsonObject(0).getString("message")).isEqualTo("m8");
    assertThat(r1.getJsonObject(1).getString("message")).isEqualTo("m10");
    assertThat(r1.getJsonObject(1).getLong("id")).isGreaterThan(r1.getJsonObject(0).getLong("id"));
    ApiClient.Answer bad = client.get("viewer", "/api/events?limit=0");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body()).contains("limit");
  }
}
