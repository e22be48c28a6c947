package io.hepaloop.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.alarm.AlarmDefinition;
import io.hepaloop.alarm.AlarmEngine;
import io.hepaloop.alarm.AlarmHealth;
import io.hepaloop.alarm.AlarmKind;
import io.hepaloop.alarm.AlarmPriority;
import io.hepaloop.alarm.AlarmState;
import io.hepaloop.alarm.AlarmTransition;
import io.hepaloop.alarm.Rationale;
import io.hepaloop.plantstate.AlarmJournal;
import io.hepaloop.store.Store;
import io.hepaloop.time.ManualClock;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run id over HTTP: each alarm of {@code GET /api/alarms} carries its reactor's open run, and
 * {@code GET /api/alarms/history?runId=} reads one run's transitions from a real journal.
 */
class AlarmRunIdRoutesTest {
  static final Rationale WHY = new Rationale("cause", "consequence", "action", 300);
  static final String RUN = "r1-20261202-063000";

  @TempDir Path tmp;
  Vertx vertx;
  Store store;
  AlarmJournal journal;
  ApiClient client;
  final FakePlantAccess plant = new FakePlantAccess("r1", "r2");
  final Map<String, String> open = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws Exception {
    PrometheusMeterRegistry registry = Metrics.prometheus();
    vertx = Metrics.vertx(registry);
    HttpApi api = new HttpApi(registry, "127.0.0.1", 0);
    vertx.deployVerticle(api).await();
    ManualClock clock = new ManualClock();
    List<AlarmDefinition> defs =
        List.of(
            new AlarmDefinition(
                "t-hi",
                "r1",
                AlarmKind.HIGH,
                "temperature",
                38,
                0,
                0,
                0,
                AlarmPriority.HIGH,
                false,
                0,
                null,
                WHY),
            new AlarmDefinition(
                "t-hi",
                "r2",
                AlarmKind.HIGH,
                "temperature",
                38,
                0,
                0,
                0,
                AlarmPriority.HIGH,
                false,
                0,
                null,
                WHY));
    store = Store.open(tmp);
    journal = new AlarmJournal(store, clock, defs, AlarmJournal.Options.defaults(), open::get);
    AlarmHealth health = new AlarmHealth(clock);
    AlarmEngine engine = new AlarmEngine(clock, defs, Duration.ofHours(8), t -> {});
    AlarmEngineAccess alarms =
        new AlarmEngineAccess(vertx.getOrCreateContext(), engine, health, List.of("r1", "r2"));
    AlarmRoutes.mount(api.router(), new TestRoleGuard(), alarms, plant);
    AlarmHistoryRoutes.mount(vertx, api.router(), new TestRoleGuard(), journal, plant);
    client = new ApiClient(api.actualPort());
  }

  @AfterEach
  void stop() {
    vertx.close().await();
    journal.close();
    store.close();
  }

  @Test
  void theAlarmListCarriesEachReactorsOpenRun() throws Exception {
    plant.openRuns.put("r1", RUN);
    JsonArray alarms = client.get("viewer", "/api/alarms").array();
    assertThat(alarms.size()).isEqualTo(2);
    for (int i = 0; i < alarms.size(); i++) {
      JsonObject a = alarms.getJsonObject(i);
      assertThat(a.containsKey("runId")).isTrue();
      assertThat(a.getString("runId"))
          .isEqualTo("r1".equals(a.getString("reactorId")) ? RUN : null);
    }
  }

  @Test
  void theHistoryReadsOneRunsTransitions() throws Exception {
    Instant t0 = Instant.parse("2026-12-02T06:00:00Z");
    journal.record(transition(t0, "r1", AlarmState.UNACK_ACTIVE)); // before the run
    open.put("r1", RUN);
    journal.record(transition(t0.plusSeconds(1), "r1", AlarmState.RTN_UNACK));
    journal.record(transition(t0.plusSeconds(2), "r2", AlarmState.UNACK_ACTIVE));
    journal.flush();

    ApiClient.Answer one = client.get("viewer", "/api/alarms/history?runId=" + RUN);
    assertThat(one.status()).isEqualTo(200);
    JsonArray entries = one.json().getJsonArray("entries");
    assertThat(entries.size()).isEqualTo(1);
    assertThat(entries.getJsonObject(0).getString("runId")).isEqualTo(RUN);
    assertThat(entries.getJsonObject(0).getString("to")).isEqualTo("RTN_UNACK");

    JsonArray all = client.get("viewer", "/api/alarms/history").json().getJsonArray("entries");
    assertThat(all.size()).isEqualTo(3);
    assertThat(all.getJsonObject(2).getString("runId")).isNull();
  }

  private static AlarmTransition transition(Instant time, String reactor, AlarmState to) {
    return new AlarmTransition(
        time, "t-hi", reactor, AlarmState.NORMAL, to, 39, 38, null, null, "moved");
  }
}
