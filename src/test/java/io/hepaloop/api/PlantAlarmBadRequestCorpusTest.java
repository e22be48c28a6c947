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
import io.hepaloop.api.ApiFixture.Client;
import io.hepaloop.api.ApiFixture.Response;
import io.hepaloop.core.Quality;
import io.hepaloop.users.Role;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plant and alarm routes' bad-request corpus behind the real guard (sessions in a real
 * database, CSRF, roles): wrong types, out-of-range setpoints, unknown reactor, loop or alarm,
 * malformed JSON, huge bodies, a missing or wrong CSRF token, an expired session, a role too low.
 * Each is answered with its status as problem+json naming what is wrong, and the plant got no
 * command, the loop settings, the alarm's state and the users/sessions are as they were.
 */
class PlantAlarmBadRequestCorpusTest {
  static final String SP = "/api/reactors/r1/loops/temperature/setpoint";
  static final String ACK = "/api/alarms/acknowledge";

  @TempDir Path tmp;
  ApiFixture f;
  FakePlantAccess plant;
  AlarmEngine engine;
  Context engineContext;
  final List<AlarmTransition> transitions = new CopyOnWriteArrayList<>();
  Client operator;
  Client viewer;

  @BeforeEach
  void start() throws Exception {
    f = new ApiFixture(tmp);
    f.user("olga", Role.OPERATOR);
    f.user("vera", Role.VIEWER);
    plant = new FakePlantAccess("r1", "r2");
    AlarmHealth health = new AlarmHealth(f.clock);
    engine =
        new AlarmEngine(
            f.clock,
            List.of(
                new AlarmDefinition(
                    "t-hi",
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
                    new Rationale("heater", "cells suffer", "check the heater", 600))),
            Duration.ofHours(8),
            t -> {
              transitions.add(t);
              health.onTransition(t);
            });
    engineContext = f.vertx.getOrCreateContext();
    ApiGuard guard = f.api.guard();
    PlantRoutes.mount(f.api.router(), guard, plant);
    AlarmRoutes.mount(
        f.api.router(),
        guard,
        new AlarmEngineAccess(engineContext, engine, health, List.of("r1", "r2")),
        plant);
    AlarmHistoryRoutes.mount(f.vertx, f.api.router(), guard, null, plant);
    // the stream is only asked with an expired session: the guard answers, the stream never runs
    new EventStream(
            List.of("r1", "r2"),
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
            EventStream.Options.defaults())
        .mount(f.api.router(), guard);
    onEngine(() -> engine.onSignal("r1", "temperature", 39, Quality.GOOD, null));
    assertThat(transitions).hasSize(1);
    operator = f.loggedIn("olga");
    viewer = f.loggedIn("vera");
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private void onEngine(Runnable work) throws Exception {
    Promise<Void> p = Promise.promise();
    engineContext.runOnContext(
        v -> {
          work.run();
          p.complete();
        });
    p.future().await(10, TimeUnit.SECONDS);
  }

  private AlarmState alarmState() throws Exception {
    AlarmState[] s = new AlarmState[1];
    onEngine(() -> s[0] = engine.state("r1", "t-hi"));
    return s[0];
  }

  /**
   * Sends the request; checks status, problem+json, the field and text named, and that nothing
   * changed: no command, the same loop settings, the alarm and its transitions, the same database.
   */
  private void refused(int status, String field, String detailPart, Supplier<Response> call)
      throws Exception {
    Map<String, String> users = f.snapshot();
    String settings = plant.settings.toString();
    AlarmState alarm = alarmState();
    int transitionCount = transitions.size();
    Response r = call.get();
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.contentType()).startsWith(Problems.CONTENT_TYPE);
    JsonObject problem = r.json();
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("detail")).as(r.toString()).contains(detailPart);
    if (field != null) {
      assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("field"))
          .isEqualTo(field);
    }
    assertThat(plant.commands).as("commands sent to the plant").isEmpty();
    assertThat(plant.settings.toString()).isEqualTo(settings);
    assertThat(alarmState()).isEqualTo(alarm);
    assertThat(transitions).hasSize(transitionCount);
    assertThat(f.snapshot()).isEqualTo(users);
  }

  private static String ack(String reactor, String alarm, String comment) {
    return new JsonObject()
        .put(
            "alarms",
            new JsonArray().add(new JsonObject().put("reactorId", reactor).put("alarmId", alarm)))
        .put("comment", comment)
        .encode();
  }

  @Test
  void wrongTypesAndMalformedJsonAre400NamingTheField() throws Exception {
    refused(
        400, "setpoint", "a string", () -> operator.raw("PUT", SP, "{\"setpoint\":\"37\"}", true));
    refused(400, "setpoint", "required", () -> operator.raw("PUT", SP, "{}", true));
    refused(400, "body", "JSON", () -> operator.raw("PUT", SP, "{\"setpoint\":37,", true));
    refused(400, "body", "JSON object", () -> operator.raw("PUT", SP, "[37]", true));
    refused(
        400, "sp", "unknown", () -> operator.raw("PUT", SP, "{\"setpoint\":37,\"sp\":1}", true));
    refused(
        400,
        "mode",
        "OFF, MANUAL, AUTO, CASCADE",
        () -> operator.raw("PUT", "/api/reactors/r1/loops/flow/mode", "{\"mode\":\"FAST\"}", true));
    refused(400, "body", "JSON", () -> operator.raw("POST", ACK, "{\"alarms\":[", true));
    refused(
        400,
        "alarms",
        "list",
        () -> operator.raw("POST", ACK, "{\"alarms\":\"r1/t-hi\",\"comment\":\"x\"}", true));
    refused(
        400, "comment", "comment", () -> operator.raw("POST", ACK, ack("r1", "t-hi", null), true));
    refused(
        400,
        "durationS",
        "durationS",
        () ->
            operator.raw(
                "POST",
                "/api/alarms/shelve",
                "{\"alarms\":[{\"reactorId\":\"r1\",\"alarmId\":\"t-hi\"}],\"comment\":\"x\","
                    + "\"durationS\":\"long\"}",
                true));
    refused(400, "limit", "limit", () -> viewer.get("/api/alarms/history?limit=abc"));
    refused(400, "limit", "between 1 and 1000", () -> viewer.get("/api/alarms/history?limit=0"));
    refused(400, "since", "ISO-8601", () -> viewer.get("/api/alarms/history?since=yesterday"));
    refused(400, "state", "state", () -> viewer.get("/api/alarms/history?state=burning"));
    refused(400, "cursor", "cursor", () -> viewer.get("/api/alarms/history?cursor=x"));
    refused(
        400, "reactorId", "not a parameter", () -> viewer.get("/api/alarms/history?reactorId=r1"));
  }

  @Test
  void outOfRangeSetpointsAre422NotClamped() throws Exception {
    refused(
        422, "setpoint", "not clamped", () -> operator.raw("PUT", SP, "{\"setpoint\":45.5}", true));
    refused(
        422,
        "output",
        "[0, 100]",
        () ->
            operator.raw(
                "PUT",
                "/api/reactors/r1/loops/temperature/manual-output",
                "{\"output\":101}",
                true));
  }

  @Test
  void unknownReactorLoopOrAlarmIs404NamingIt() throws Exception {
    refused(
        404,
        null,
        "r9",
        () ->
            operator.raw(
                "PUT", "/api/reactors/r9/loops/temperature/setpoint", "{\"setpoint\":37}", true));
    refused(
        404,
        null,
        "no loop 'ph'",
        () -> operator.raw("PUT", "/api/reactors/r1/loops/ph/setpoint", "{\"setpoint\":7}", true));
    refused(
        404,
        null,
        "no alarm 'nope'",
        () -> operator.raw("POST", ACK, ack("r1", "nope", "x"), true));
    refused(404, null, "r9", () -> operator.raw("POST", ACK, ack("r9", "t-hi", "x"), true));
    refused(404, "reactor", "no reactor 'r9'", () -> viewer.get("/api/alarms/history?reactor=r9"));
  }

  @Test
  void hugeBodiesAre413() throws Exception {
    // over every limit on the way: the API's, the plant routes' and the alarm routes' own
    String pad = "x".repeat((int) AlarmRoutes.BODY_LIMIT_BYTES + 10);
    // over the plant routes' 16 KiB, under the API's 64 KiB: the plant routes' own limit holds
    String mid = "x".repeat((int) PlantRoutes.BODY_LIMIT_BYTES + 10);
    refused(
        413,
        null,
        "larger than",
        () -> operator.raw("PUT", SP, "{\"setpoint\":37,\"pad\":\"" + mid + "\"}", true));
    refused(
        413,
        null,
        "larger than",
        () -> operator.raw("PUT", SP, "{\"setpoint\":37,\"pad\":\"" + pad + "\"}", true));
    refused(
        413, null, "larger than", () -> operator.raw("POST", ACK, ack("r1", "t-hi", pad), true));
  }

  @Test
  void missingOrWrongCsrfTokenIs403() throws Exception {
    refused(
        403,
        null,
        "missing X-CSRF-Token",
        () -> operator.raw("PUT", SP, "{\"setpoint\":37}", false));
    refused(
        403,
        null,
        "missing X-CSRF-Token",
        () -> operator.raw("POST", ACK, ack("r1", "t-hi", "x"), false));
    String csrf = operator.csrf;
    operator.csrf = "not-the-token";
    refused(
        403, null, "wrong X-CSRF-Token", () -> operator.raw("PUT", SP, "{\"setpoint\":37}", true));
    refused(
        403,
        null,
        "wrong X-CSRF-Token",
        () -> operator.raw("POST", ACK, ack("r1", "t-hi", "x"), true));
    operator.csrf = csrf;
  }

  @Test
  void aRoleTooLowIs403AndNoCredentialsOrAnExpiredSession401() throws Exception {
    refused(403, null, "operator", () -> viewer.raw("PUT", SP, "{\"setpoint\":37}", true));
    refused(403, null, "operator", () -> viewer.raw("POST", ACK, ack("r1", "t-hi", "x"), true));
    refused(
        403,
        null,
        "engineer",
        () ->
            operator.raw(
                "PUT",
                "/api/reactors/r1/loops/temperature/tuning",
                "{\"controller\":\"main\",\"gain\":3}",
                true));
    refused(401, null, "not logged in", () -> f.client().raw("PUT", SP, "{\"setpoint\":37}", true));
    refused(401, null, "not logged in", () -> f.client().get("/api/alarms/history"));
    f.clock.advance(Duration.ofMinutes(31));
    refused(
        401, null, "session has expired", () -> operator.raw("PUT", SP, "{\"setpoint\":37}", true));
    refused(
        401,
        null,
        "session has expired",
        () -> operator.raw("POST", ACK, ack("r1", "t-hi", "x"), true));
    refused(401, null, "session has expired", () -> viewer.get("/api/stream"));
  }
}
