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
import io.hepaloop.core.Quality;
import io.hepaloop.time.ManualClock;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The alarm routes over a real {@link AlarmEngine} on one Vert.x context ({@link
 * AlarmEngineAccess}): list and filter, every action with its role, and whole-request checking so
 * that a multi-alarm request is applied to all alarms or none.
 */
class AlarmRoutesTest {
  static final Rationale WHY =
      new Rationale("heater stuck on", "cells die above 40 °C", "check the heater", 300);
  PrometheusMeterRegistry registry;
  Vertx vertx;
  HttpApi api;
  ApiClient client;
  ManualClock clock;
  AlarmEngine engine;
  Context engineContext;
  final List<AlarmTransition> transitions = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    registry = Metrics.prometheus();
    vertx = Metrics.vertx(registry);
    api = new HttpApi(registry, "127.0.0.1", 0);
    vertx.deployVerticle(api).await();
    clock = new ManualClock();
    AlarmHealth health = new AlarmHealth(clock);
    engine =
        new AlarmEngine(
            clock,
            List.of(
                def("t-hi", "r1", AlarmKind.HIGH, 38, AlarmPriority.HIGH, false),
                def("t-hh", "r1", AlarmKind.HIGH_HIGH, 40, AlarmPriority.CRITICAL, true),
                def("t-hi", "r2", AlarmKind.HIGH, 38, AlarmPriority.HIGH, false)),
            Duration.ofHours(8),
            t -> {
              transitions.add(t);
              health.onTransition(t);
            });
    engineContext = vertx.getOrCreateContext();
    AlarmEngineAccess alarms =
        new AlarmEngineAccess(engineContext, engine, health, List.of("r1", "r2"));
    AlarmRoutes.mount(api.router(), new TestRoleGuard(), alarms, new FakePlantAccess("r1", "r2"));
    client = new ApiClient(api.actualPort());
    onEngine(
        () -> {
          engine.onSignal("r1", "temperature", 39, Quality.GOOD, null);
          engine.onSignal("r2", "temperature", 39, Quality.GOOD, null);
          return null;
        });
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  static AlarmDefinition def(
      String id, String reactor, AlarmKind kind, double limit, AlarmPriority p, boolean latched) {
    return new AlarmDefinition(
        id, reactor, kind, "temperature", limit, 0.2, 0, 0, p, latched, 0, null, WHY);
  }

  private <T> T onEngine(Supplier<T> work) throws Exception {
    Promise<T> p = Promise.promise();
    engineContext.runOnContext(v -> p.complete(work.get()));
    return p.future().await(10, TimeUnit.SECONDS);
  }

  private AlarmState state(String reactor, String alarm) throws Exception {
    return onEngine(() -> engine.state(reactor, alarm));
  }

  private static String body(String comment, String... refs) {
    JsonArray a = new JsonArray();
    for (String r : refs) {
      String[] p = r.split("/");
      a.add(new JsonObject().put("reactorId", p[0]).put("alarmId", p[1]));
    }
    JsonObject o = new JsonObject().put("alarms", a);
    if (comment != null) {
      o.put("comment", comment);
    }
    return o.encode();
  }

  /** A refusal: status, problem+json naming {@code mention}, and no transition at all. */
  private void refused(ApiClient.Answer a, int status, String mention) {
    assertThat(a.status()).as(a.body()).isEqualTo(status);
    assertThat(a.isProblem()).isTrue();
    assertThat(a.body()).contains(mention);
  }

  @Test
  void alarmsAreListedWithRationaleAndFilteredByReactorStateAndPriority() throws Exception {
    JsonArray all = client.get("viewer", "/api/alarms").array();
    assertThat(all).hasSize(3);
    JsonArray active = client.get("viewer", "/api/alarms?state=unack_active").array();
    assertThat(active).hasSize(2);
    assertThat(active.getJsonObject(0).getJsonObject("rationale").getString("correctiveAction"))
        .isEqualTo("check the heater");
    // what the alarm console shows beside it: value, since when, and how long it may be shelved
    JsonObject hi = active.getJsonObject(0);
    assertThat(hi.getDouble("value")).isEqualTo(39.0);
    assertThat(hi.getString("activeSince")).isEqualTo(clock.now().toString());
    assertThat(hi.getDouble("maxShelveS")).isEqualTo(8 * 3600.0);
    assertThat(hi.getString("acknowledgedBy")).isNull();
    assertThat(client.get("viewer", "/api/alarms?reactor=r2").array()).hasSize(1);
    assertThat(client.get("viewer", "/api/alarms?priority=CRITICAL").array())
        .singleElement()
        .satisfies(o -> assertThat(((JsonObject) o).getString("alarmId")).isEqualTo("t-hh"));
    refused(client.get("viewer", "/api/alarms?priority=urgent"), 400, "critical, high");
    refused(client.get("viewer", "/api/alarms?state=bad"), 400, "unack_active");
    refused(client.get("viewer", "/api/alarms?reactor=r7"), 404, "no reactor 'r7'");
    refused(client.get(null, "/api/alarms"), 401, "log in");
  }

  @Test
  void aMultiAlarmAcknowledgeIsCheckedWholeAndAppliedToAllOrNone() throws Exception {
    int before = transitions.size();
    refused(
        client.post("operator", "/api/alarms/acknowledge", body("seen", "r1/t-hi", "r2/nope")),
        404,
        "no alarm 'nope' on reactor 'r2'");
    refused(
        client.post("operator", "/api/alarms/acknowledge", body("seen", "r1/t-hi", "r1/t-hh")),
        409,
        "t-hh");
    refused(
        client.post("operator", "/api/alarms/acknowledge", body("seen", "r1/t-hi", "r1/t-hi")),
        400,
        "repeats alarms[0]");
    refused(
        client.post("viewer", "/api/alarms/acknowledge", body("seen", "r1/t-hi")), 403, "viewer");
    refused(
        client.post("operator", "/api/alarms/acknowledge", body(null, "r1/t-hi")), 400, "comment");
    refused(
        client.post("operator", "/api/alarms/acknowledge", body("  ", "r1/t-hi")), 400, "comment");
    refused(client.post("operator", "/api/alarms/acknowledge", body("seen")), 400, "alarms");
    refused(
        client.post(
            "operator", "/api/alarms/acknowledge", "{\"alarms\":[\"r1/t-hi\"],\"comment\":\"x\"}"),
        400,
        "alarms[0]");
    refused(
        client.post(
            "operator",
            "/api/alarms/acknowledge",
            "{\"alarms\":[{\"reactorId\":\"r1\",\"alarmId\":7}],\"comment\":\"x\"}"),
        400,
        "alarmId");
    refused(client.post("operator", "/api/alarms/acknowledge", body("seen", "r9/t-hi")), 404, "r9");
    assertThat(state("r1", "t-hi")).isEqualTo(AlarmState.UNACK_ACTIVE);
    assertThat(transitions).hasSize(before);

    ApiClient.Answer ok =
        client.post("operator", "/api/alarms/acknowledge", body("seen", "r1/t-hi", "r2/t-hi"));
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    assertThat(ok.json().getJsonArray("applied")).hasSize(2);
    assertThat(state("r1", "t-hi")).isEqualTo(AlarmState.ACK_ACTIVE);
    assertThat(state("r2", "t-hi")).isEqualTo(AlarmState.ACK_ACTIVE);
    AlarmTransition last = transitions.get(transitions.size() - 1);
    assertThat(last.actor().name()).isEqualTo("operator-ann");
    assertThat(last.comment()).isEqualTo("seen");
  }

  @Test
  void shelveUnshelveOutOfServiceAndResetEachNeedTheirRole() throws Exception {
    refused(
        client.post("operator", "/api/alarms/shelve", body("nuisance", "r1/t-hi")),
        400,
        "durationS");
    refused(
        client.post(
            "operator",
            "/api/alarms/shelve",
            new JsonObject(body("nuisance", "r1/t-hi")).put("durationS", 9 * 3600).encode()),
        400,
        "exceeds the maximum");
    assertThat(state("r1", "t-hi")).isEqualTo(AlarmState.UNACK_ACTIVE);
    ApiClient.Answer shelved =
        client.post(
            "operator",
            "/api/alarms/shelve",
            new JsonObject(body("nuisance", "r1/t-hi")).put("durationS", 600).encode());
    assertThat(shelved.status()).as(shelved.body()).isEqualTo(200);
    assertThat(state("r1", "t-hi")).isEqualTo(AlarmState.SHELVED);
    JsonObject listed = client.get("viewer", "/api/alarms?state=shelved").array().getJsonObject(0);
    assertThat(listed.getString("shelvedUntil")).isNotNull();
    assertThat(client.post("operator", "/api/alarms/unshelve", body("back", "r1/t-hi")).status())
        .isEqualTo(200);
    assertThat(state("r1", "t-hi")).isEqualTo(AlarmState.UNACK_ACTIVE);

    refused(
        client.post("operator", "/api/alarms/out-of-service", body("broken", "r1/t-hi")),
        403,
        "Forbidden");
    assertThat(
            client
                .post("engineer", "/api/alarms/out-of-service", body("broken", "r1/t-hi"))
                .status())
        .isEqualTo(200);
    assertThat(state("r1", "t-hi")).isEqualTo(AlarmState.OUT_OF_SERVICE);
    refused(
        client.post("engineer", "/api/alarms/out-of-service", body("again", "r1/t-hi")),
        409,
        "already out of service");
    assertThat(
            client
                .post("engineer", "/api/alarms/return-to-service", body("fixed", "r1/t-hi"))
                .status())
        .isEqualTo(200);

    refused(
        client.post("operator", "/api/alarms/reset", body("ok", "r1/t-hh", "r1/t-hi")),
        400,
        "exactly one alarm");
    refused(
        client.post("operator", "/api/alarms/reset", body("ok", "r1/t-hi")), 409, "not latched");
  }

  @Test
  void healthIsGivenForThePlantAndEachReactor() throws Exception {
    JsonObject h = client.get("viewer", "/api/alarm-health").json();
    assertThat(h.getJsonObject("plant").getInteger("activationsLast10Min")).isEqualTo(2);
    assertThat(h.getJsonArray("reactors")).hasSize(2);
    assertThat(h.getJsonArray("reactors").getJsonObject(1).getString("scope")).isEqualTo("r2");
    assertThat(h.getJsonArray("reactors").getJsonObject(1).getInteger("activationsLast10Min"))
        .isEqualTo(1);
  }
}
