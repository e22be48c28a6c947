package io.hepaloop.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.app.Codecs;
import io.hepaloop.bus.Addresses;
import io.hepaloop.bus.HepaEvent;
import io.hepaloop.device.DeviceLink;
import io.hepaloop.device.DeviceLinkOptions;
import io.hepaloop.device.LinkState;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.sim.SimulatedReactor;
import io.hepaloop.sim.Simulator;
import io.hepaloop.sim.SimulatorOptions;
import io.hepaloop.testing.ThreadDumpOnFailure;
import io.hepaloop.time.AcceleratedClock;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Verifies the control loops end to end over real OPC UA: an accelerated simulator (Milo server
 * with the plant model), the device link (Milo client) and the {@link ReactorController}, on one
 * event bus. The tests run in order on one plant: held in band, then a heater failure, then a link
 * drop.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@ExtendWith(ThreadDumpOnFailure.class)
class ControlEndToEndIT {
  static final String R = "r1";
  static final double SPEED = 10;
  final DeviceProfile profile =
      ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));
  final List<HepaEvent> events = new CopyOnWriteArrayList<>();
  final Map<String, LoopSnapshot> latest = new ConcurrentHashMap<>();
  final List<LoopSnapshot> temperatureSnapshots = new CopyOnWriteArrayList<>();
  final List<LinkState> linkStates = new CopyOnWriteArrayList<>();
  Simulator sim;
  Vertx vertx;
  ReactorController controller;
  DeviceLink link;

  @BeforeAll
  void start() throws Exception {
    sim =
        Simulator.start(
            SimulatorOptions.builder().profile(profile).reactorIds(R).speed(SPEED).build());
    vertx = Vertx.vertx();
    Codecs.register(vertx);
    vertx.eventBus().<HepaEvent>consumer(Addresses.EVENTS, m -> events.add(m.body()));
    vertx.eventBus().<LinkState>consumer(Addresses.link(R), m -> linkStates.add(m.body()));
    vertx
        .eventBus()
        .<LoopSnapshot>consumer(
            Addresses.control(R),
            m -> {
              latest.put(m.body().loopId(), m.body());
              if (m.body().loopId().equals("temperature")) {
                temperatureSnapshots.add(m.body());
              }
            });
    AcceleratedClock clock = new AcceleratedClock(SPEED);
    controller = new ReactorController(R, profile, clock);
    vertx
        .deployVerticle(controller)
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    link = new DeviceLink(DeviceLinkOptions.builder(R, profile, sim.endpointUrl(R)).build());
    vertx.deployVerticle(link).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  void stop() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    if (sim != null) {
      sim.close();
    }
  }

  private SimulatedReactor reactor() {
    return sim.reactor(R);
  }

  private double truth(String signal) {
    SimulatedReactor r = reactor();
    synchronized (r) {
      return switch (signal) {
        case "temperature" -> r.model().temperatureC();
        case "flow" -> r.model().flowMlPerMin();
        case "do_inlet" -> r.model().doInletMmHg();
        default -> throw new IllegalArgumentException(signal);
      };
    }
  }

  /** What the loop and the device were doing, for a failure message. */
  private String diagnostics() {
    List<LoopSnapshot> t = temperatureSnapshots;
    StringBuilder b =
        new StringBuilder("link ")
            .append(link.state())
            .append(", server running ")
            .append(sim.serverRunning(R))
            .append(", heartbeat failures ")
            .append(link.heartbeatFailures())
            .append(", watchdog tripped ")
            .append(reactor().watchdogTripped())
            .append("; true temperature ")
            .append(truth("temperature"))
            .append(" °C; last snapshots:");
    for (LoopSnapshot s : t.subList(Math.max(0, t.size() - 3), t.size())) {
      b.append(
          String.format(
              "%n  %s sp %.2f pv %.2f (%s) out %.1f sat %s ilk %s",
              s.mode(),
              s.setpoint(),
              s.pv(),
              s.pvQuality(),
              s.output(),
              s.saturated(),
              s.interlock()));
    }
    b.append(String.format("%nlast events:"));
    for (HepaEvent e : events.subList(Math.max(0, events.size() - 6), events.size())) {
      b.append(String.format("%n  %s %s %s: %s", e.type(), e.source(), e.severity(), e.message()));
    }
    return b.toString();
  }

  private boolean inBand(String loop, String signal, double band) {
    LoopSnapshot s = latest.get(loop);
    return s != null
        && Math.abs(truth(signal) - s.setpoint())
            <= band * (loop.equals("temperature") ? 1 : s.setpoint());
  }

  @Test
  @Order(1)
  void temperatureFlowAndInletPO2AreHeldInTheirBandsOverOpcUa() {
    // settled: all three in band without a break for 3 s real (30 s of process time) — the first
    // moment
    // in band can be the inlet pO2 passing through on its way down from air saturation
    long[] inBandSince = {-1};
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              boolean all =
                  inBand("temperature", "temperature", 0.1)
                      && inBand("flow", "flow", 0.02)
                      && inBand("oxygen", "do_inlet", 0.03);
              long now = System.nanoTime();
              inBandSince[0] = !all ? -1 : inBandSince[0] < 0 ? now : inBandSince[0];
              return all && now - inBandSince[0] >= 3_000_000_000L;
            });
    // then held: 120 checks of the true plant values every 50 ms, 6 s real (60 s of process time)
    int[] in = new int[3];
    AtomicInteger checks = new AtomicInteger();
    ScheduledExecutorService sampler =
        Executors.newSingleThreadScheduledExecutor(); // off the controller's event loops
    sampler.scheduleAtFixedRate(
        () -> {
          if (checks.get() < 120) {
            in[0] += inBand("temperature", "temperature", 0.1) ? 1 : 0;
            in[1] += inBand("flow", "flow", 0.02) ? 1 : 0;
            in[2] += inBand("oxygen", "do_inlet", 0.03) ? 1 : 0;
            checks.incrementAndGet();
          }
        },
        0,
        50,
        TimeUnit.MILLISECONDS);
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> checks.get() >= 120);
    } finally {
      sampler.shutdownNow();
    }
    int all = checks.get();
    // The quality targets proper (≥ 99 % in band) are pinned on the deterministic harness
    // (ControlQualityTest); over OPC UA at 10x on a shared 2-core machine, sampling jitter costs a
    // few
    // percent, so this test asks for 90 % — a loop that does not hold its band scores far lower.
    System.out.printf(
        "ControlEndToEndIT held in band over %d checks: temperature %.1f %%, flow %.1f %%, inlet pO2 %.1f %%%n",
        all, 100.0 * in[0] / all, 100.0 * in[1] / all, 100.0 * in[2] / all);
    assertThat(100.0 * in[0] / all).as("temperature in ±0.1 °C, %").isGreaterThanOrEqualTo(90);
    assertThat(100.0 * in[1] / all).as("flow in ±2 %, %").isGreaterThanOrEqualTo(90);
    assertThat(100.0 * in[2] / all).as("inlet pO2 in ±3 %, %").isGreaterThanOrEqualTo(90);
    assertThat(latest.get("oxygen").mode()).isEqualTo("CASCADE");
  }

  @Test
  @Order(2)
  void aHeaterFailureRaisesTheActuatorFaultFlagAndTheLoopRecoversAfterTheRepair() {
    reactor().heaterFailure(true);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                events.stream()
                    .anyMatch(
                        e ->
                            "temperature.saturated".equals(e.source())
                                && "warning".equals(e.severity())));
    assertThat(latest.get("temperature").output()).isEqualTo(100.0);
    assertThat(latest.get("temperature").saturated()).isTrue();
    reactor().heaterFailure(false);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                events.stream()
                    .anyMatch(
                        e ->
                            "temperature.saturated".equals(e.source())
                                && "info".equals(e.severity())));
    // the snapshot of the same execution is a separate message: wait for it rather than race it
    await().atMost(Duration.ofSeconds(10)).until(() -> latest.get("temperature").output() < 100.0);
  }

  @Test
  @Order(3)
  void aLinkDropSendsTheOutputsSafeAndTheReconnectResumesFromThemWithoutABump() throws Exception {
    // start from a settled loop, not from the overshoot the heater repair of the previous test may
    // leave
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () ->
                assertThat(inBand("temperature", "temperature", 0.1))
                    .as("temperature settled before the link drop; %s", diagnostics())
                    .isTrue());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> reactor().actuator("heater") > 5.0); // heater working
    sim.stopServer(R);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(linkStates)
                    .as("link states; %s", diagnostics())
                    .anyMatch(s -> s.state() == LinkState.State.DISCONNECTED));
    // the device's watchdog (no heartbeat) puts every actuator at its safe value
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(reactor().watchdogTripped())
                    .as("device watchdog tripped; %s", diagnostics())
                    .isTrue());
    assertThat(reactor().actuator("heater")).isEqualTo(0.0);
    assertThat(reactor().actuator("pump")).isEqualTo(20.0);
    assertThat(reactor().actuator("gas_o2")).isEqualTo(21.0);
    assertThat(events).anyMatch(e -> "link".equals(e.source()) && e.message().contains("hold"));
    int before = temperatureSnapshots.size();
    sim.startServer(R);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> linkStates.get(linkStates.size() - 1).state() == LinkState.State.CONNECTED);
    // first controlling execution after the reconnect starts from the safe value the device holds
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                temperatureSnapshots.subList(before, temperatureSnapshots.size()).stream()
                    .anyMatch(s -> s.pvQuality().isGood()));
    LoopSnapshot first =
        temperatureSnapshots.subList(before, temperatureSnapshots.size()).stream()
            .filter(s -> s.pvQuality().isGood())
            .findFirst()
            .orElseThrow();
    assertThat(first.output()).isLessThan(3.0);
    // and control resumes: the heater comes back and the temperature returns to its band
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(reactor().actuator("heater"))
                    .as("device heater after the reconnect; %s", diagnostics())
                    .isGreaterThan(5.0));
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(inBand("temperature", "temperature", 0.1))
                    .as("temperature back in band; %s", diagnostics())
                    .isTrue());
  }
}
