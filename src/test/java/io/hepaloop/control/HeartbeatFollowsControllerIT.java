package io.hepaloop.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.app.Codecs;
import io.hepaloop.bus.Addresses;
import io.hepaloop.bus.HepaEvent;
import io.hepaloop.device.ActuatorCommand;
import io.hepaloop.device.DeviceLink;
import io.hepaloop.device.DeviceLinkOptions;
import io.hepaloop.device.LinkState;
import io.hepaloop.device.WriteResult;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.profile.SignalSpec;
import io.hepaloop.profile.WatchdogSpec;
import io.hepaloop.sim.SimulatedReactor;
import io.hepaloop.sim.Simulator;
import io.hepaloop.sim.SimulatorOptions;
import io.hepaloop.time.SystemClock;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies, over real OPC UA against the simulator, that the heartbeat proves the controller alive,
 * not only the link: while the loops run the device's watchdog never trips; when one loop stalls
 * (the link still up and connected) the heartbeat stops within a few loop periods and the device
 * puts every output safe; when it runs again the heartbeat resumes. A link whose heartbeat follows
 * a controller that does not exist never beats, and says so.
 */
@Timeout(120)
class HeartbeatFollowsControllerIT {
  /**
   * Watchdog 200 ms / 2 s, so a stall shows within seconds; loops as shipped (1 s, 250 ms, 1 s).
   */
  static final DeviceProfile PROFILE =
      withWatchdog(ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml")));

  @TempDir Path tmp;
  Simulator sim;
  Vertx vertx;
  final List<HepaEvent> events = new CopyOnWriteArrayList<>();
  final List<LinkState> states = new CopyOnWriteArrayList<>();

  static DeviceProfile withWatchdog(DeviceProfile p) {
    WatchdogSpec wd = new WatchdogSpec(p.watchdog().nodeId(), p.watchdog().dataType(), 200, 2000);
    return p.withWatchdog(wd);
  }

  @BeforeEach
  void start() throws Exception {
    sim =
        Simulator.start(
            SimulatorOptions.builder()
                .profile(PROFILE)
                .reactorIds("r1", "r2")
                .sensorNoise(false)
                .allowSignAndEncrypt(false)
                .pkiDir(tmp.resolve("sim-pki"))
                .build());
    vertx = Vertx.vertx();
    Codecs.register(vertx);
    vertx.eventBus().<HepaEvent>consumer(Addresses.EVENTS, m -> events.add(m.body()));
    vertx.eventBus().<LinkState>consumer(Addresses.link("r1"), m -> states.add(m.body()));
  }

  @AfterEach
  void stop() throws Exception {
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } finally {
      sim.close();
    }
  }

  private LinkState.State linkState() {
    return states.isEmpty() ? null : states.get(states.size() - 1).state();
  }

  @Test
  void theDevicesWatchdogTripsWhenALoopStallsWithTheLinkAliveAndNeverWhileTheLoopsRun()
      throws Exception {
    ReactorController controller = new ReactorController("r1", PROFILE, SystemClock.INSTANCE);
    vertx.deployVerticle(controller).await(10, TimeUnit.SECONDS);
    DeviceLink link =
        new DeviceLink(DeviceLinkOptions.builder("r1", PROFILE, sim.endpointUrl("r1")).build());
    assertThat(link.options().heartbeat())
        .as("production's default")
        .isEqualTo(DeviceLinkOptions.HeartbeatSource.CONTROLLER);
    vertx.deployVerticle(link).await(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(20)).until(() -> linkState() == LinkState.State.CONNECTED);
    SimulatedReactor device = sim.reactor("r1");
    await().atMost(Duration.ofSeconds(10)).until(device::watchdogArmed);

    // Loops running: 3 watchdog timeouts without a trip, the counter moving all along.
    await()
        .during(Duration.ofSeconds(6))
        .atMost(Duration.ofSeconds(10))
        .until(() -> device.watchdogTrips() == 0);
    List<Object> before = device.recentHeartbeats();
    await().atMost(Duration.ofSeconds(5)).until(() -> !device.recentHeartbeats().equals(before));
    assertThat(events).noneMatch(e -> "critical".equals(e.severity()));

    // One loop stalls; the link stays connected and keeps publishing samples.
    long stalledAt = System.nanoTime();
    controller.stall("temperature", true);
    await().atMost(Duration.ofSeconds(15)).until(device::watchdogTripped);
    double stallToTripS = (System.nanoTime() - stalledAt) / 1e9;
    // 3 periods of the 1 s loop, then the 2 s watchdog timeout (plus a tick or two)
    assertThat(stallToTripS).as("seconds from the stall to the trip").isBetween(3.0, 12.0);
    for (SignalSpec a : PROFILE.actuators()) {
      assertThat(device.actuator(a.id())).as(a.id()).isEqualTo(a.safeValue());
    }
    assertThat(linkState()).as("the link itself is fine").isEqualTo(LinkState.State.CONNECTED);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(states.get(states.size() - 1).reason()).contains("heartbeat withheld"));
    assertThat(events)
        .filteredOn(e -> "critical".equals(e.severity()) && e.message().contains("heartbeat"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.message())
                    .contains("r1", "has not executed its loops", "r1.watchdog"));

    // The loop runs again: the heartbeat comes back and the device takes commands again.
    controller.stall("temperature", false);
    await().atMost(Duration.ofSeconds(10)).until(() -> !device.watchdogTripped());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> events.stream().anyMatch(e -> e.message().contains("heartbeat resumed")));
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(states.get(states.size() - 1).reason()).doesNotContain("withheld"));
    assertThat(device.watchdogTrips()).isEqualTo(1);
  }

  @Test
  void aLinkWhoseHeartbeatFollowsAControllerThatDoesNotExistNeverBeatsAndItsWritesArePutSafe()
      throws Exception {
    List<HepaEvent> r2Events = new CopyOnWriteArrayList<>();
    vertx
        .eventBus()
        .<HepaEvent>consumer(
            Addresses.EVENTS,
            m -> {
              if ("r2".equals(m.body().reactorId())) {
                r2Events.add(m.body());
              }
            });
    DeviceLink link =
        new DeviceLink(DeviceLinkOptions.builder("r2", PROFILE, sim.endpointUrl("r2")).build());
    vertx.deployVerticle(link).await(10, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> link.state() != null && link.state().state() == LinkState.State.CONNECTED);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> r2Events.stream().anyMatch(e -> "critical".equals(e.severity())));
    assertThat(r2Events)
        .filteredOn(e -> "critical".equals(e.severity()))
        .singleElement()
        .satisfies(
            e -> assertThat(e.message()).contains("no controller of reactor r2", "withheld"));
    SimulatedReactor device = sim.reactor("r2");
    assertThat(device.recentHeartbeats())
        .as("nothing proves a controller alive: no beat")
        .isEmpty();

    // Something writes an output without a heartbeat: the device arms at that write and puts it
    // safe.
    WriteResult w =
        vertx
            .eventBus()
            .<WriteResult>request(
                Addresses.commands("r2"), new ActuatorCommand("r2", "heater", 40.0, "test"))
            .await(10, TimeUnit.SECONDS)
            .body();
    assertThat(w.ok()).as(w.detail()).isTrue();
    assertThat(device.actuator("heater")).isEqualTo(40.0);
    await().atMost(Duration.ofSeconds(10)).until(device::watchdogTripped);
    assertThat(device.actuator("heater")).isEqualTo(PROFILE.requireSignal("heater").safeValue());
  }
}
