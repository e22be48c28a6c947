package io.hepaloop.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.app.Codecs;
import io.hepaloop.bus.Addresses;
import io.hepaloop.bus.HepaEvent;
import io.hepaloop.core.Quality;
import io.hepaloop.device.ActuatorCommand;
import io.hepaloop.device.LinkState;
import io.hepaloop.device.Sample;
import io.hepaloop.device.SampleBatch;
import io.hepaloop.device.WriteResult;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.time.SystemClock;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Verifies the verticle against a fake device link on a real Vert.x event bus (no OPC UA). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReactorControllerTest {
  static final String R = "r1";
  final DeviceProfile profile =
      ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));
  final List<ActuatorCommand> writes = new CopyOnWriteArrayList<>();
  final List<HepaEvent> events = new CopyOnWriteArrayList<>();
  final List<LoopSnapshot> snapshots = new CopyOnWriteArrayList<>();
  final AtomicBoolean refuseWrites = new AtomicBoolean();
  Vertx vertx;
  ReactorController controller;

  @BeforeEach
  void deploy() throws Exception {
    vertx = Vertx.vertx();
    Codecs.register(vertx);
    vertx
        .eventBus()
        .<ActuatorCommand>consumer(
            Addresses.commands(R),
            m -> {
              writes.add(m.body());
              m.reply(
                  refuseWrites.get()
                      ? WriteResult.failed(m.body(), "Bad_UserAccessDenied")
                      : WriteResult.ok(m.body()));
            });
    vertx.eventBus().<HepaEvent>consumer(Addresses.EVENTS, m -> events.add(m.body()));
    vertx.eventBus().<LoopSnapshot>consumer(Addresses.control(R), m -> snapshots.add(m.body()));
    controller = new ReactorController(R, profile, SystemClock.INSTANCE);
    vertx
        .deployVerticle(controller)
        .toCompletionStage()
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private void publish(Map<String, Double> values) {
    List<Sample> s = new ArrayList<>();
    values.forEach((k, v) -> s.add(new Sample(R, k, v, "", Instant.now(), Quality.GOOD)));
    vertx.eventBus().publish(Addresses.samples(R), new SampleBatch(R, s));
  }

  private Map<String, Double> plant(double temperatureC, double heaterPct) {
    return Map.of(
        "temperature",
        temperatureC,
        "do_inlet",
        100.0,
        "do_outlet",
        42.0,
        "flow",
        1.0,
        "pressure_inlet",
        12.0,
        "heater",
        heaterPct,
        "gas_o2",
        21.0,
        "pump",
        25.0);
  }

  private List<ActuatorCommand> writesOf(String actuator) {
    return writes.stream().filter(w -> w.actuatorId().equals(actuator)).toList();
  }

  @Test
  void afterEachScanItSaysUntilWhenItsLoopsCountAsRunningAndAStalledLoopLetsThatTimePass() {
    List<Long> aliveUntil = new CopyOnWriteArrayList<>();
    vertx.eventBus().<Long>consumer(Addresses.controllerAlive(R), m -> aliveUntil.add(m.body()));
    await().atMost(Duration.ofSeconds(5)).until(() -> aliveUntil.size() >= 3);
    long aheadNanos = aliveUntil.get(aliveUntil.size() - 1) - System.nanoTime();
    assertThat(aheadNanos)
        .as("ahead, by at most 3 periods of the 1 s loops")
        .isPositive()
        .isLessThanOrEqualTo(3_000_000_000L);

    controller.stall("temperature", true);
    int before = aliveUntil.size();
    // the 250 ms flow loop still reports, but the deadline no longer moves on, and passes
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                aliveUntil.size() > before + 4
                    && System.nanoTime() - aliveUntil.get(aliveUntil.size() - 1) > 0);

    controller.stall("temperature", false);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> aliveUntil.get(aliveUntil.size() - 1) - System.nanoTime() > 0);
  }

  @Test
  void theTemperatureLoopStartsFromTheHeaterReadBackThenActsAndPublishesSnapshots() {
    publish(plant(36.5, 30.0));
    await().atMost(Duration.ofSeconds(5)).until(() -> writesOf("heater").size() >= 2);
    assertThat(writesOf("heater").get(0).value())
        .isCloseTo(30.0, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(writesOf("heater").get(1).value())
        .isGreaterThan(30.0); // below setpoint: reverse action raises the heater
    assertThat(writesOf("heater").get(0).reason()).isEqualTo("loop temperature");
    await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> snapshots.stream().anyMatch(s -> s.loopId().equals("temperature")));
    LoopSnapshot s =
        snapshots.stream().filter(x -> x.loopId().equals("temperature")).findFirst().orElseThrow();
    assertThat(s.mode()).isEqualTo("AUTO");
    assertThat(s.pvQuality()).isEqualTo(Quality.GOOD);
    assertThat(s.setpoint()).isEqualTo(37.0);
    assertThat(s.reactorId()).isEqualTo(R);
  }

  @Test
  void aHighHighTemperatureForcesTheHeaterOffAtOnceAndStaysLatchedUntilAnExplicitReset()
      throws Exception {
    publish(plant(36.5, 30.0));
    await().atMost(Duration.ofSeconds(5)).until(() -> !writesOf("heater").isEmpty());
    publish(plant(39.4, 30.0));
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> events.stream().anyMatch(e -> e.type().equals("interlock")));
    HepaEvent trip =
        events.stream().filter(e -> e.type().equals("interlock")).findFirst().orElseThrow();
    assertThat(trip.severity()).isEqualTo("critical");
    assertThat(trip.source()).isEqualTo("temperature_high_high");
    assertThat(trip.message())
        .contains("39.40")
        .contains("39.00")
        .contains("heater forced to 0.00");
    assertThat(writesOf("heater").get(writesOf("heater").size() - 1).value()).isEqualTo(0.0);

    publish(plant(36.0, 0.0)); // cooled down, but the interlock is latched
    int before = writesOf("heater").size();
    await()
        .atMost(Duration.ofSeconds(3))
        .until(
            () ->
                snapshots.stream()
                    .anyMatch(
                        s ->
                            s.loopId().equals("temperature")
                                && "temperature_high_high".equals(s.interlock())
                                && s.pv() == 36.0));
    assertThat(writesOf("heater").subList(before, writesOf("heater").size()))
        .allMatch(w -> w.value() == 0.0);

    CommandResult reset =
        controller
            .command(new ControlCommand.ResetInterlock("temperature_high_high", "ops"))
            .toCompletionStage()
            .toCompletableFuture()
            .get(2, TimeUnit.SECONDS);
    assertThat(reset.accepted()).as(reset.message()).isTrue();
    await()
        .atMost(Duration.ofSeconds(4))
        .until(() -> writesOf("heater").get(writesOf("heater").size() - 1).value() > 0.0);
  }

  @Test
  void aResetIsRefusedWhileTheTemperatureIsStillAboveTheLimit() throws Exception {
    publish(plant(39.4, 30.0));
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> events.stream().anyMatch(e -> e.type().equals("interlock")));
    CommandResult r =
        controller
            .command(new ControlCommand.ResetInterlock("temperature_high_high", "ops"))
            .toCompletionStage()
            .toCompletableFuture()
            .get(2, TimeUnit.SECONDS);
    assertThat(r.accepted()).isFalse();
    assertThat(r.message()).contains("temperature is 39.40");
  }

  @Test
  void aLinkDropStopsWritesAndTheReconnectContinuesFromTheReadBackBumplessly() throws Exception {
    publish(plant(36.9, 30.0));
    await().atMost(Duration.ofSeconds(5)).until(() -> writesOf("heater").size() >= 2);
    vertx
        .eventBus()
        .publish(
            Addresses.link(R),
            new LinkState(R, LinkState.State.DISCONNECTED, Instant.now(), "socket closed"));
    await()
        .atMost(Duration.ofSeconds(2))
        .until(
            () ->
                events.stream()
                    .anyMatch(e -> e.source().equals("link") && e.message().contains("hold")));
    int n = writes.size();
    // nothing is sent into a dead link, for six periods of the flow loop and more
    await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(3))
        .until(() -> writes.size() == n);
    // the device's watchdog put the heater to its safe value meanwhile; the link reports it on
    // reconnect
    vertx
        .eventBus()
        .publish(
            Addresses.link(R), new LinkState(R, LinkState.State.CONNECTED, Instant.now(), null));
    publish(plant(36.9, 0.0));
    await()
        .atMost(Duration.ofSeconds(4))
        .until(() -> writesOf("heater").size() > 2 && writes.size() > n);
    ActuatorCommand first =
        writes.subList(n, writes.size()).stream()
            .filter(w -> w.actuatorId().equals("heater"))
            .findFirst()
            .orElseThrow();
    assertThat(first.value()).isCloseTo(0.0, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void theCommandDoorRejectsASetpointOutsideTheProfileRangeWithTheReason() throws Exception {
    CommandResult r =
        controller
            .command(new ControlCommand.SetSetpoint("temperature", 45.0, "ops"))
            .toCompletionStage()
            .toCompletableFuture()
            .get(2, TimeUnit.SECONDS);
    assertThat(r.accepted()).isFalse();
    assertThat(r.message()).contains("45.00").contains("[30.0, 39.0]").contains("temperature");
    CommandResult ok =
        controller
            .command(new ControlCommand.SetSetpoint("temperature", 37.5, "ops"))
            .toCompletionStage()
            .toCompletableFuture()
            .get(2, TimeUnit.SECONDS);
    assertThat(ok.accepted()).isTrue();
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> events.stream().anyMatch(e -> e.type().equals("operator")));
  }

  @Test
  void refusedWritesBecomeOneWarningEventNotAStorm() {
    refuseWrites.set(true);
    publish(plant(36.5, 30.0));
    await().atMost(Duration.ofSeconds(6)).until(() -> writesOf("heater").size() >= 3);
    List<HepaEvent> failures =
        events.stream()
            .filter(e -> e.source().equals("heater") && e.message().contains("failed"))
            .toList();
    assertThat(failures).hasSize(1);
    assertThat(failures.get(0).message()).contains("Bad_UserAccessDenied");
  }
}
