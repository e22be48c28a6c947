package io.hepaloop.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.audit.AuditRecord;
import io.hepaloop.control.CommandResult;
import io.hepaloop.control.ControlCommand;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A plant command whose audit record cannot be written: the command was carried out, so the client
 * gets 500 "Audit record not written" (not a 200 it would take as recorded); a refusal whose record
 * failed is still the refusal, since nothing was done.
 */
class PlantActionNotRecordedTest {
  static final String SP = "/api/reactors/r1/loops/temperature/setpoint";
  PrometheusMeterRegistry registry;
  Vertx vertx;
  HttpApi api;
  FakePlantAccess plant;
  ApiClient client;
  final AtomicInteger recordsTried = new AtomicInteger();

  @BeforeEach
  void start() {
    registry = Metrics.prometheus();
    vertx = Metrics.vertx(registry);
    api = new HttpApi(registry, "127.0.0.1", 0);
    vertx.deployVerticle(api).await();
    plant = new FakePlantAccess("r1");
    AuditRecorder failing =
        AuditRecorder.recordingTo(
            entry -> {
              recordsTried.incrementAndGet();
              return CompletableFuture.<AuditRecord>failedFuture(
                  new IllegalStateException("disk full"));
            },
            null,
            AuditSignatures.unchecked());
    PlantRoutes.mount(api.router(), new TestRoleGuard(), plant, failing);
    client = new ApiClient(api.actualPort());
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void anAppliedSetpointWhoseRecordFailedIs500NotOk() throws Exception {
    ApiClient.Answer a = client.put("operator", SP, "{\"setpoint\":37.5}");
    assertThat(a.status()).as(a.body()).isEqualTo(500);
    assertThat(a.isProblem()).isTrue();
    assertThat(a.json().getString("title")).isEqualTo("Audit record not written");
    assertThat(a.json().getString("detail")).contains("PUT " + SP).contains("carried out");
    assertThat(plant.commands)
        .containsExactly(new ControlCommand.SetSetpoint("temperature", 37.5, "operator-ann"));
    assertThat(recordsTried).hasValue(1);
  }

  @Test
  void aRefusalWhoseRecordFailedIsStillTheRefusal() throws Exception {
    plant.answer = CommandResult.rejected("interlock temperature_high_high cannot be reset: hot");
    ApiClient.Answer a =
        client.post("engineer", "/api/reactors/r1/interlocks/temperature_high_high/reset", null);
    assertThat(a.status()).as(a.body()).isEqualTo(409);
    assertThat(a.json().getString("detail")).contains("cannot be reset: hot");
    assertThat(recordsTried).hasValue(1);
  }
}
