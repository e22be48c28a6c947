package io.hepaloop.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepaloop.alarm.AlarmDefinition;
import io.hepaloop.alarm.AlarmEngine;
import io.hepaloop.alarm.AlarmHealth;
import io.hepaloop.alarm.AlarmKind;
import io.hepaloop.alarm.AlarmPriority;
import io.hepaloop.alarm.AlarmState;
import io.hepaloop.alarm.AlarmTransition;
import io.hepaloop.core.Quality;
import io.hepaloop.time.ManualClock;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Verifies that the limit that applies to alarm action bodies is the one the code names ({@link
 * AlarmRoutes#BODY_LIMIT_BYTES}, the API-wide {@link HttpApi#BODY_LIMIT_BYTES}): a body one byte
 * over it is refused with 413 problem+json and changes nothing, one of exactly the limit is
 * processed, and {@link AlarmRoutes#MAX_ALARMS_PER_ACTION} alarms with ids of the documented length
 * fit in it. Over a real {@link HttpApi} and {@link AlarmEngine}.
 */
class AlarmRoutesBodyLimitTest {
  static final int ALARMS = AlarmRoutes.MAX_ALARMS_PER_ACTION;

  PrometheusMeterRegistry registry;
  Vertx vertx;
  HttpApi api;
  ApiClient client;
  AlarmEngine engine;
  Context engineContext;
  final List<AlarmTransition> transitions = new CopyOnWriteArrayList<>();
  final List<String> ids = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    registry = Metrics.prometheus();
    vertx = Metrics.vertx(registry);
    api = new HttpApi(registry, "127.0.0.1", 0);
    vertx.deployVerticle(api).await();
    ManualClock clock = new ManualClock();
    AlarmHealth health = new AlarmHealth(clock);
    List<AlarmDefinition> defs = new ArrayList<>();
    for (int i = 0; i < ALARMS; i++) {
      // reactor and alarm ids of 35 characters together: what the limit is documented to hold
      String id = String.format("temperature_high_alarm_number_%03d", i);
      assertThat(("r1" + id).length()).isEqualTo(35);
      ids.add(id);
      defs.add(
          new AlarmDefinition(
              id,
              "r1",
              AlarmKind.HIGH,
              "temperature",
              38,
              0.2,
              0,
              0,
              AlarmPriority.HIGH,
              false,
              0,
              null,
              AlarmRoutesTest.WHY));
    }
    engine =
        new AlarmEngine(
            clock,
            defs,
            Duration.ofHours(8),
            t -> {
              transitions.add(t);
              health.onTransition(t);
            });
    engineContext = vertx.getOrCreateContext();
    AlarmEngineAccess alarms = new AlarmEngineAccess(engineContext, engine, health, List.of("r1"));
    AlarmRoutes.mount(api.router(), new TestRoleGuard(), alarms, new FakePlantAccess("r1"));
    client = new ApiClient(api.actualPort());
    onEngine(
        () -> {
          engine.onSignal("r1", "temperature", 39, Quality.GOOD, null);
          return null;
        });
    assertThat(transitions).hasSize(ALARMS);
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void theAlarmRoutesLimitIsTheApiWideOne() {
    assertThat(AlarmRoutes.BODY_LIMIT_BYTES).isEqualTo(HttpApi.BODY_LIMIT_BYTES).isEqualTo(65_536);
  }

  @Test
  void aBodyOneByteOverTheLimitIs413ProblemJsonAndChangesNothing() throws Exception {
    String body = acknowledge(List.of(ids.get(0)), (int) AlarmRoutes.BODY_LIMIT_BYTES + 1);
    ApiClient.Answer a = client.post("operator", "/api/alarms/acknowledge", body);
    assertThat(a.status()).as(a.body()).isEqualTo(413);
    assertThat(a.isProblem()).as(a.contentType()).isTrue();
    assertThat(a.json().getString("detail")).contains("larger than 64 KiB");
    assertThat(state(ids.get(0))).isEqualTo(AlarmState.UNACK_ACTIVE);
    assertThat(transitions).as("no transition beyond the activations").hasSize(ALARMS);
  }

  @Test
  void aBodyOfExactlyTheLimitIsProcessed() throws Exception {
    String body = acknowledge(List.of(ids.get(0)), (int) AlarmRoutes.BODY_LIMIT_BYTES);
    ApiClient.Answer a = client.post("operator", "/api/alarms/acknowledge", body);
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(state(ids.get(0))).isEqualTo(AlarmState.ACK_ACTIVE);
    assertThat(state(ids.get(1))).isEqualTo(AlarmState.UNACK_ACTIVE);
  }

  @Test
  void theMostAlarmsOneActionMayNameFitWithIdsOfTheDocumentedLength() throws Exception {
    String body = acknowledge(ids, 0);
    assertThat(body.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo((int) AlarmRoutes.BODY_LIMIT_BYTES);
    ApiClient.Answer a = client.post("operator", "/api/alarms/acknowledge", body);
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(a.json().getJsonArray("applied")).hasSize(ALARMS);
    for (String id : ids) {
      assertThat(state(id)).isEqualTo(AlarmState.ACK_ACTIVE);
    }
  }

  @Test
  void aRouteCannotDeclareALimitTheApiWideOneMakesUnreachable() {
    assertThatThrownBy(() -> BodyLimit.of(HttpApi.BODY_LIMIT_BYTES + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("API-wide");
  }

  /**
   * An acknowledge of {@code alarmIds} on r1, padded with JSON white space (valid, meaningless) to
   * {@code totalBytes}; 0 for no padding.
   */
  private static String acknowledge(List<String> alarmIds, int totalBytes) {
    JsonArray a = new JsonArray();
    alarmIds.forEach(id -> a.add(new JsonObject().put("reactorId", "r1").put("alarmId", id)));
    String json = new JsonObject().put("alarms", a).put("comment", "seen, cooling").encode();
    if (totalBytes == 0) {
      return json;
    }
    int pad = totalBytes - json.getBytes(StandardCharsets.UTF_8).length;
    assertThat(pad).isPositive();
    return json.substring(0, json.length() - 1) + " ".repeat(pad) + "}";
  }

  private <T> T onEngine(Supplier<T> work) throws Exception {
    Promise<T> p = Promise.promise();
    engineContext.runOnContext(v -> p.complete(work.get()));
    return p.future().await(10, TimeUnit.SECONDS);
  }

  private AlarmState state(String alarm) throws Exception {
    return onEngine(() -> engine.state("r1", alarm));
  }
}
