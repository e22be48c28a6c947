package io.hepaloop.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.control.CommandResult;
import io.hepaloop.control.ControlCommand;
import io.hepaloop.control.LoopMode;
import io.hepaloop.control.PidTuning;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reactor and loop routes against a fake plant: each role sees and does what it may, and every
 * wrong input is answered with a problem naming the field while no command reaches the plant.
 */
class PlantRoutesTest {
  static final String SP = "/api/reactors/r1/loops/temperature/setpoint";
  PrometheusMeterRegistry registry;
  Vertx vertx;
  HttpApi api;
  FakePlantAccess plant;
  ApiClient client;

  @BeforeEach
  void start() {
    registry = Metrics.prometheus();
    vertx = Metrics.vertx(registry);
    api = new HttpApi(registry, "127.0.0.1", 0);
    vertx.deployVerticle(api).await();
    plant = new FakePlantAccess("r1", "r2");
    PlantRoutes.mount(api.router(), new TestRoleGuard(), plant);
    client = new ApiClient(api.actualPort());
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  /** A 4xx problem+json answer whose text names {@code mentions}, with no command sent. */
  private void refused(ApiClient.Answer a, int status, String field, String... mentions) {
    assertThat(a.status()).as(a.body()).isEqualTo(status);
    assertThat(a.isProblem()).as(a.contentType()).isTrue();
    JsonObject p = a.json();
    assertThat(p.getInteger("status")).isEqualTo(status);
    if (field != null) {
      assertThat(p.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo(field);
    }
    for (String m : mentions) {
      assertThat(a.body()).contains(m);
    }
    assertThat(plant.commands).isEmpty();
  }

  @Test
  void aViewerReadsReactorsLiveValuesLinkLoopsAndInterlocks() throws Exception {
    ApiClient.Answer list = client.get("viewer", "/api/reactors");
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.array()).hasSize(2);
    assertThat(list.array().getJsonObject(0).getString("reactorId")).isEqualTo("r1");
    assertThat(list.array().getJsonObject(0).getJsonArray("loops").getList())
        .containsExactly("temperature", "flow", "oxygen");

    JsonObject r1 = client.get("viewer", "/api/reactors/r1").json();
    assertThat(r1.getJsonObject("link").getString("state")).isEqualTo("CONNECTED");
    JsonObject value = r1.getJsonArray("values").getJsonObject(0);
    assertThat(value.getString("signal")).isEqualTo("temperature");
    assertThat(value.getDouble("value")).isEqualTo(36.9);
    assertThat(value.getString("quality")).isEqualTo("GOOD");
    assertThat(value.getString("time")).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(r1.getJsonArray("interlocks").getJsonObject(0).getBoolean("tripped")).isTrue();

    JsonObject oxygen = client.get("viewer", "/api/reactors/r1/loops/oxygen").json();
    assertThat(oxygen.getJsonObject("setpointLimits").getDouble("min")).isEqualTo(40.0);
    assertThat(oxygen.getJsonObject("cascade").getJsonObject("setpointLimits").getDouble("max"))
        .isEqualTo(120.0);
    assertThat(oxygen.getJsonArray("controllers").getList()).containsExactly("main", "cascade");
    assertThat(oxygen.getJsonObject("settings").getString("mode")).isEqualTo("AUTO");
    assertThat(client.get("viewer", "/api/reactors/r1/loops").array()).hasSize(3);
  }

  @Test
  void withoutAuthenticationNothingIsReadAndARoleTooLowChangesNothing() throws Exception {
    refused(client.get(null, "/api/reactors"), 401, null);
    refused(client.put("viewer", SP, "{\"setpoint\":37.5}"), 403, null);
    refused(
        client.put("operator", "/api/reactors/r1/loops/temperature/tuning", "{\"gain\":3}"),
        403,
        null);
    refused(
        client.post("operator", "/api/reactors/r1/interlocks/temperature_high_high/reset", null),
        403,
        null);
  }

  @Test
  void unknownReactorLoopOrInterlockIs404NamingIt() throws Exception {
    refused(client.get("viewer", "/api/reactors/r9"), 404, null, "no reactor 'r9'", "r1, r2");
    refused(
        client.put("operator", "/api/reactors/r9/loops/temperature/setpoint", "{\"setpoint\":37}"),
        404,
        null,
        "r9");
    refused(
        client.put("operator", "/api/reactors/r1/loops/ph/setpoint", "{\"setpoint\":7}"),
        404,
        null,
        "no loop 'ph'",
        "temperature, flow, oxygen");
    refused(
        client.post("engineer", "/api/reactors/r1/interlocks/nope/reset", null),
        404,
        null,
        "no interlock 'nope'");
  }

  @Test
  void aSetpointOutsideTheLoopsLimitsIsRefusedNotClamped() throws Exception {
    ApiClient.Answer a = client.put("operator", SP, "{\"setpoint\":45.5}");
    refused(a, 422, "setpoint", "45.5", "[30, 39]", "°C", "not clamped");
    refused(client.put("operator", SP, "{\"setpoint\":29.99}"), 422, "setpoint", "29.99");
    refused(
        client.put(
            "operator", "/api/reactors/r1/loops/oxygen/cascade-setpoint", "{\"setpoint\":121}"),
        422,
        "setpoint",
        "121",
        "[35, 120]");
    refused(
        client.put(
            "operator", "/api/reactors/r1/loops/temperature/manual-output", "{\"output\":101}"),
        422,
        "output",
        "101",
        "[0, 100]");
    assertThat(plant.settings.get("temperature").setpoint()).isEqualTo(30.0);
  }

  @Test
  void wrongTypesMissingFieldsAndMalformedJsonAreRefused() throws Exception {
    refused(client.put("operator", SP, "{\"setpoint\":\"37\"}"), 400, "setpoint", "a string");
    refused(client.put("operator", SP, "{}"), 400, "setpoint", "required");
    refused(client.put("operator", SP, "{\"setpoint\":null}"), 400, "setpoint", "required");
    refused(client.put("operator", SP, "{\"setpoint\":37,"), 400, "body", "not valid JSON");
    refused(client.put("operator", SP, "[37]"), 400, "body", "JSON object");
    refused(client.put("operator", SP, ""), 400, "body");
    refused(client.put("operator", SP, "{\"setpoint\":37,\"sp\":1}"), 400, "sp", "unknown");
    refused(
        client.put("operator", "/api/reactors/r1/loops/temperature/mode", "{\"mode\":\"FAST\"}"),
        400,
        "mode",
        "OFF, MANUAL, AUTO, CASCADE");
    refused(
        client.put("operator", "/api/reactors/r1/loops/temperature/mode", "{\"mode\":3}"),
        400,
        "mode");
    refused(
        client.put("operator", "/api/reactors/r1/loops/temperature/mode", "{\"mode\":\"CASCADE\"}"),
        422,
        "mode",
        "no cascade");
    refused(
        client.put("engineer", "/api/reactors/r1/loops/temperature/tuning", "{\"gain\":-1}"),
        422,
        "gain",
        "gain must be");
    refused(
        client.put(
            "engineer",
            "/api/reactors/r1/loops/temperature/tuning",
            "{\"controller\":\"cascade\",\"gain\":1}"),
        422,
        "controller",
        "main");
  }

  @Test
  void aHugeBodyIsRefusedWithoutACommand() throws Exception {
    String huge = "{\"setpoint\":37,\"pad\":\"" + "x".repeat(100_000) + "\"}";
    ApiClient.Answer a = client.put("operator", SP, huge);
    assertThat(a.status()).isEqualTo(413);
    assertThat(plant.commands).isEmpty();
  }

  @Test
  void validCommandsReachThePlantWithTheCallersName() throws Exception {
    ApiClient.Answer a = client.put("operator", SP, "{\"setpoint\":37.5}");
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    assertThat(a.json().getBoolean("accepted")).isTrue();
    assertThat(plant.commands)
        .containsExactly(new ControlCommand.SetSetpoint("temperature", 37.5, "operator-ann"));

    client.put("operator", "/api/reactors/r1/loops/oxygen/mode", "{\"mode\":\"cascade\"}");
    client.put("operator", "/api/reactors/r1/loops/oxygen/cascade-setpoint", "{\"setpoint\":50}");
    client.put("operator", "/api/reactors/r1/loops/flow/manual-output", "{\"output\":12.5}");
    ApiClient.Answer t =
        client.put(
            "engineer",
            "/api/reactors/r1/loops/flow/tuning",
            "{\"controller\":\"override\",\"gain\":3.5,\"integralTimeS\":40}");
    assertThat(t.status()).as(t.body()).isEqualTo(200);
    client.post("engineer", "/api/reactors/r1/interlocks/temperature_high_high/reset", null);
    assertThat(plant.commands)
        .containsSubsequence(
            new ControlCommand.SetMode("oxygen", LoopMode.CASCADE, "operator-ann"),
            new ControlCommand.SetCascadeSetpoint("oxygen", 50, "operator-ann"),
            new ControlCommand.SetManualOutput("flow", 12.5, "operator-ann"),
            // given fields over the controller's current tuning (K 2, Ti 100, Td 0)
            new ControlCommand.SetTuning(
                "flow", "override", PidTuning.of(3.5, 40, 0), "engineer-ann"),
            new ControlCommand.ResetInterlock("temperature_high_high", "engineer-ann"));
  }

  @Test
  void aCommandTheControllerRefusesIs409WithItsReason() throws Exception {
    plant.answer = CommandResult.rejected("interlock temperature_high_high cannot be reset: hot");
    ApiClient.Answer a =
        client.post("engineer", "/api/reactors/r1/interlocks/temperature_high_high/reset", null);
    assertThat(a.status()).isEqualTo(409);
    assertThat(a.isProblem()).isTrue();
    assertThat(a.json().getString("detail")).contains("cannot be reset: hot");
  }
}
