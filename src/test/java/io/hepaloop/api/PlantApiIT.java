package io.hepaloop.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.app.PlantRuntime;
import io.hepaloop.plant.PlantConfig;
import io.hepaloop.plant.PlantConfigWriter;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.sim.Simulator;
import io.hepaloop.sim.SimulatorOptions;
import io.hepaloop.testing.ThreadDumpOnFailure;
import io.hepaloop.time.AcceleratedClock;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The plant API on the real thing: our simulator over OPC UA, the {@link PlantRuntime} with its
 * controllers and links, the routes and the SSE stream on its HTTP port (behind the test guard).
 * Live values over REST, a setpoint seen on the stream, an out-of-range setpoint refused with
 * nothing changed, and a resumed stream that gets exactly what it missed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(ThreadDumpOnFailure.class)
class PlantApiIT {
  static final double SPEED = 10;
  static final Path PROFILE = Path.of("device-profiles/liver-perfusion-bioreactor.yaml");
  static final String LOOP = "/api/reactors/r1/loops/temperature";
  Simulator sim;
  PlantRuntime runtime;
  ApiClient client;
  Path data;

  @BeforeAll
  void start() throws Exception {
    sim =
        Simulator.start(
            SimulatorOptions.builder()
                .profile(ProfileLoader.load(PROFILE))
                .reactorIds("r1")
                .speed(SPEED)
                .build());
    data = Files.createTempDirectory("plant-api-it");
    PlantConfig config =
        PlantConfigWriter.writeSimulated(
            data.resolve("hepaloop.yaml"), data, PROFILE, Map.of("r1", sim.endpointUrl("r1")));
    runtime =
        PlantRuntime.start(
            new PlantRuntime.Options(
                config, data, "it", null, false, "127.0.0.1", 0, new AcceleratedClock(SPEED)));
    runtime.mountApi(new TestRoleGuard(), null);
    client = new ApiClient(runtime.httpPort());
  }

  @AfterAll
  void stop() throws Exception {
    if (runtime != null) {
      runtime.close();
    }
    if (sim != null) {
      sim.close();
    }
  }

  private double operatorSetpoint() throws Exception {
    return client.get("viewer", LOOP).json().getJsonObject("settings").getDouble("setpoint");
  }

  @Test
  @Order(1)
  void liveValuesComeWithQualityTimeAndLink() throws Exception {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              JsonObject r = client.get("viewer", "/api/reactors/r1").json();
              return "CONNECTED".equals(r.getJsonObject("link").getString("state"))
                  && r.getJsonArray("values").stream()
                      .map(JsonObject.class::cast)
                      .anyMatch(
                          v ->
                              v.getString("signal").equals("temperature")
                                  && "GOOD".equals(v.getString("quality")));
            });
    JsonObject r = client.get("viewer", "/api/reactors/r1").json();
    JsonObject t =
        r.getJsonArray("values").stream()
            .map(JsonObject.class::cast)
            .filter(v -> v.getString("signal").equals("temperature"))
            .findFirst()
            .orElseThrow();
    assertThat(t.getDouble("value")).isBetween(30.0, 45.0);
    assertThat(t.getString("unit")).isEqualTo("°C");
    assertThat(t.getString("time")).isNotNull();
    JsonArray loops = r.getJsonArray("loops");
    assertThat(loops.getJsonObject(0).getJsonObject("settings").getString("mode"))
        .isEqualTo("AUTO");
    assertThat(r.getJsonArray("interlocks")).isNotEmpty();
  }

  @Test
  @Order(2)
  void aSetpointPutOverHttpShowsOnTheStream() throws Exception {
    try (SseClient sse = new SseClient(client.http(), client.base(), "viewer", null)) {
      assertThat(sse.status).isEqualTo(200);
      ApiClient.Answer a = client.put("operator", LOOP + "/setpoint", "{\"setpoint\":37.5}");
      assertThat(a.status()).as(a.body()).isEqualTo(200);
      SseClient.Event e =
          sse.await(
              x ->
                  x.type().equals("loop")
                      && x.json().getString("loopId").equals("temperature")
                      && x.json().getDouble("setpoint") == 37.5);
      assertThat(e.json().getString("mode")).isEqualTo("AUTO");
      sse.await(x -> x.type().equals("event") && x.data().contains("setpoint set to 37.50"));
      sse.await(x -> x.type().equals("sample"));
    }
    assertThat(operatorSetpoint()).isEqualTo(37.5);
  }

  @Test
  @Order(3)
  void anOutOfRangeSetpointIsRefusedAndNothingChanges() throws Exception {
    ApiClient.Answer a = client.put("operator", LOOP + "/setpoint", "{\"setpoint\":45}");
    assertThat(a.status()).isEqualTo(422);
    assertThat(a.isProblem()).isTrue();
    assertThat(a.json().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("setpoint");
    assertThat(a.body()).contains("45").contains("[30, 39]");
    assertThat(client.put("viewer", LOOP + "/setpoint", "{\"setpoint\":36}").status())
        .isEqualTo(403);
    assertThat(operatorSetpoint()).isEqualTo(37.5);
  }

  @Test
  @Order(4)
  void aResumedStreamGetsExactlyWhatItMissed() throws Exception {
    long lastSeen;
    try (SseClient first = new SseClient(client.http(), client.base(), "viewer", null)) {
      first.await(x -> x.id() != null);
      lastSeen = first.lastId();
    }
    // while disconnected: an operator action, and the samples and loop snapshots go on
    assertThat(client.put("operator", LOOP + "/setpoint", "{\"setpoint\":37.2}").status())
        .isEqualTo(200);
    try (SseClient second = new SseClient(client.http(), client.base(), "viewer", lastSeen)) {
      second.await(x -> x.type().equals("event") && x.data().contains("setpoint set to 37.20"));
      List<Long> ids = second.events.stream().map(SseClient.Event::id).toList();
      assertThat(second.of("reset")).isEmpty();
      // every id after the last one seen, once, in order: nothing missed, nothing twice
      assertThat(ids)
          .startsWith(
              LongStream.rangeClosed(lastSeen + 1, lastSeen + ids.size())
                  .boxed()
                  .toArray(Long[]::new));
    }
  }
}
