package io.hepaloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.bus.Addresses;
import io.hepaloop.bus.HepaEvent;
import io.hepaloop.control.AutotuneDefaults;
import io.hepaloop.control.AutotuneProgress;
import io.hepaloop.control.CommandResult;
import io.hepaloop.control.ReactorController;
import io.hepaloop.core.Quality;
import io.hepaloop.device.ActuatorCommand;
import io.hepaloop.device.Sample;
import io.hepaloop.device.SampleBatch;
import io.hepaloop.device.WriteResult;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.time.SystemClock;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The adapter the REST routes use, on a real {@link ReactorController} verticle with a fake device
 * link on the event bus: the auto-tune runs in the controller, and the controller goes on telling
 * the link it is alive (the device's watchdog heartbeat) through start and abort.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PlantAutotuneAccessTest {
  static final String R = "r1";
  final Vertx vertx = Vertx.vertx();
  final List<ActuatorCommand> writes = new CopyOnWriteArrayList<>();
  final List<HepaEvent> events = new CopyOnWriteArrayList<>();
  final List<Long> aliveUntil = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void startAndAbortRunOnTheControllerWhoseHeartbeatNeverPauses() throws Exception {
    Codecs.register(vertx);
    vertx
        .eventBus()
        .<ActuatorCommand>consumer(
            Addresses.commands(R),
            m -> {
              writes.add(m.body());
              m.reply(WriteResult.ok(m.body()));
            });
    vertx.eventBus().<HepaEvent>consumer(Addresses.EVENTS, m -> events.add(m.body()));
    vertx.eventBus().<Long>consumer(Addresses.controllerAlive(R), m -> aliveUntil.add(m.body()));
    ReactorController controller =
        new ReactorController(
            R,
            ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml")),
            SystemClock.INSTANCE);
    vertx.deployVerticle(controller).await();
    vertx.setPeriodic(200, t -> publish()); // a settled plant, as the device link reports it
    PlantAutotuneAccess access = new PlantAutotuneAccess(Map.of(R, controller)::get, List.of(R));

    assertThat(access.progress("r9", "temperature").cause())
        .isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining("no reactor 'r9' (reactors: r1)");
    Throwable noLoop = failureOf(access.progress(R, "ph"));
    assertThat(noLoop).isInstanceOf(NoSuchElementException.class);
    assertThat(noLoop.getMessage()).contains("no loop 'ph'").contains("temperature");

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> writes.stream().anyMatch(w -> w.actuatorId().equals("heater")));
    CommandResult started =
        access
            .start(R, "temperature", AutotuneDefaults.forLoop("temperature"), "anna")
            .await(5, TimeUnit.SECONDS);
    assertThat(started.accepted()).as(started.message()).isTrue();
    int heartbeats = aliveUntil.size();
    // the loops keep executing, so the deadline the link writes the heartbeat to keeps moving on
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                aliveUntil.size() > heartbeats + 8
                    && aliveUntil.get(aliveUntil.size() - 1) - System.nanoTime() > 0);
    AutotuneProgress p = access.progress(R, "temperature").await(5, TimeUnit.SECONDS);
    assertThat(p.phase()).isEqualTo(AutotuneProgress.Phase.RUNNING);
    assertThat(p.startedBy()).isEqualTo("anna");

    CommandResult aborted = access.abort(R, "temperature", "anna").await(5, TimeUnit.SECONDS);
    assertThat(aborted.accepted()).as(aborted.message()).isTrue();
    int after = aliveUntil.size();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                aliveUntil.size() > after + 8
                    && aliveUntil.get(aliveUntil.size() - 1) - System.nanoTime() > 0);
    assertThat(events)
        .filteredOn(e -> e.type().equals("operator"))
        .extracting(HepaEvent::source)
        .containsExactly("anna", "anna");
  }

  private static Throwable failureOf(io.vertx.core.Future<?> f) {
    try {
      f.await(5, TimeUnit.SECONDS);
      return null;
    } catch (Exception e) {
      return e;
    }
  }

  private void publish() {
    Map<String, Double> v =
        Map.of(
            "temperature", 37.0,
            "temperature_ambient", 23.0,
            "do_inlet", 100.0,
            "do_outlet", 42.0,
            "flow", 1.0,
            "pressure_inlet", 12.0,
            "heater", 35.0,
            "gas_o2", 21.0,
            "pump", 25.0);
    List<Sample> s = new ArrayList<>();
    v.forEach((k, x) -> s.add(new Sample(R, k, x, "", Instant.now(), Quality.GOOD)));
    vertx.eventBus().publish(Addresses.samples(R), new SampleBatch(R, s));
  }
}
