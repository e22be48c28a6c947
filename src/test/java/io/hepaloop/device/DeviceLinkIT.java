package io.hepaloop.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.bus.Addresses;
import io.hepaloop.core.Quality;
import io.hepaloop.profile.SignalSpec;
import io.hepaloop.sim.SimulatedReactor;
import io.hepaloop.sim.Simulator;
import io.hepaloop.sim.SimulatorOptions;
import io.hepaloop.sim.model.ReactorModel;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies the device link against the simulator over real OPC UA on 127.0.0.1 (a random free port,
 * security None): values and units, writes, refusals, quality, and the device watchdog.
 *
 * <p>Together with {@link DeviceLinkReconnectIT} and {@link DeviceLinkSecurityIT}, these tests are
 * the proof that Milo 1.0.5 (client and server, built on Netty 4.1) runs on the Netty 4.2 that
 * Vert.x 5.0.7 brings: both ends of every test here use the Netty version the Vert.x BOM selects.
 */
@Timeout(60)
class DeviceLinkIT {
  private static final Map<String, ToDoubleFunction<ReactorModel>> TRUE_VALUE =
      Map.of(
          "temperature", ReactorModel::temperatureC,
          "do_inlet", ReactorModel::doInletMmHg,
          "do_outlet", ReactorModel::doOutletMmHg,
          "flow", ReactorModel::flowMlPerMin,
          "pressure_inlet", ReactorModel::pressureInletMmHg);

  @TempDir static Path tmp;
  private static Simulator sim;
  private Vertx vertx;
  private LinkItSupport.Recorder rec;
  private DeviceLink link;
  private String deployment;

  @BeforeAll
  static void startSimulator() throws Exception {
    sim =
        Simulator.start(
            SimulatorOptions.builder()
                .profile(LinkItSupport.PROFILE)
                .reactorIds("r1", "r2")
                .sensorNoise(false)
                .allowSignAndEncrypt(false)
                .pkiDir(tmp.resolve("sim-pki"))
                .build());
  }

  @AfterAll
  static void stopSimulator() throws Exception {
    if (sim != null) {
      sim.close();
    }
  }

  @BeforeEach
  void deployLink() throws Exception {
    vertx = LinkItSupport.vertx();
    rec = new LinkItSupport.Recorder(vertx, "r1");
    // No controller in these tests: the link beats on its own, or the device would put the outputs
    // safe.
    link =
        new DeviceLink(
            DeviceLinkOptions.builder("r1", LinkItSupport.PROFILE, sim.endpointUrl("r1"))
                .heartbeat(DeviceLinkOptions.HeartbeatSource.LINK)
                .build());
    deployment = vertx.deployVerticle(link).await(10, TimeUnit.SECONDS);
    await()
        .atMost(LinkItSupport.CONNECT_TIMEOUT)
        .until(() -> rec.state() == LinkState.State.CONNECTED);
  }

  @AfterEach
  void closeVertx() throws Exception {
    sim.reactor("r1").clearAllFaults();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static ReactorModel model() {
    return sim.reactor("r1").model();
  }

  private static double trueValue(String signalId) {
    SimulatedReactor r = sim.reactor("r1");
    synchronized (r) {
      return TRUE_VALUE.get(signalId).applyAsDouble(r.model());
    }
  }

  private WriteResult command(String actuator, double value) throws Exception {
    return vertx
        .eventBus()
        .<WriteResult>request(
            Addresses.commands("r1"), new ActuatorCommand("r1", actuator, value, "DeviceLinkIT"))
        .await(10, TimeUnit.SECONDS)
        .body();
  }

  @Test
  void everySensorAndActuatorArrivesInEngineeringUnitsWithTheModelsValue() {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                rec.latest
                    .keySet()
                    .containsAll(
                        LinkItSupport.PROFILE.signals().stream().map(SignalSpec::id).toList()));
    for (SignalSpec s : LinkItSupport.PROFILE.signals()) {
      Sample latest = rec.latest.get(s.id());
      assertThat(latest.unit()).as(s.id()).isEqualTo(s.unit());
      assertThat(latest.quality()).as(s.id()).isEqualTo(Quality.GOOD);
      assertThat(latest.reactorId()).isEqualTo("r1");
    }
    // The plant moves; wait until every sensor's latest sample matches the model's true value
    // (noise off)
    // within 0.5 % of the instrument range. pressure_inlet travels as a scaled Int32 (0..10000).
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              for (String id : TRUE_VALUE.keySet()) {
                SignalSpec s = LinkItSupport.PROFILE.requireSignal(id);
                double tol = 0.005 * (s.range().max() - s.range().min());
                assertThat(rec.latest.get(id).value())
                    .as(id)
                    .isCloseTo(trueValue(id), org.assertj.core.api.Assertions.within(tol));
              }
            });
    assertThat(rec.latest.get("pressure_inlet").value()).isBetween(1.0, 100.0);
  }

  @Test
  void aCommandInsideTheAllowedRangeTakesEffectInTheModelAndIsReadBack() throws Exception {
    WriteResult w = command("pump", 55.0);
    assertThat(w.ok()).as(w.detail()).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> sim.reactor("r1").actuator("pump") == 55.0);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> rec.latest.get("pump") != null && rec.latest.get("pump").value() == 55.0);

    assertThat(command("gas_o2", 40.0).ok()).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> sim.reactor("r1").actuator("gas_o2") == 40.0);
  }

  @Test
  void anOutOfRangeCommandIsRefusedWithAReasonAndNothingIsWritten() throws Exception {
    assertThat(command("gas_o2", 30.0).ok()).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> sim.reactor("r1").actuator("gas_o2") == 30.0);

    WriteResult w = command("gas_o2", 80.0);
    assertThat(w.ok()).isFalse();
    assertThat(w.detail()).contains("gas_o2", "outside the allowed range", "[5.0, 60.0]");
    // The refusal happens before any OPC UA write, so the device still holds the previous value.
    assertThat(sim.reactor("r1").actuator("gas_o2")).isEqualTo(30.0);

    assertThat(command("temperature", 37.0).detail()).contains("is a sensor");
  }

  @Test
  void aBadQualitySensorIsPublishedAsBadAndGoodAgainWhenItRecovers() {
    sim.reactor("r1").sensorBadQuality("do_outlet", true);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                rec.latest.get("do_outlet") != null
                    && rec.latest.get("do_outlet").quality() == Quality.BAD);
    assertThat(rec.latest.get("do_outlet").usable()).isFalse();
    assertThat(rec.latest.get("do_outlet").stale()).isFalse();
    assertThat(rec.latest.get("do_inlet").quality()).isEqualTo(Quality.GOOD);

    sim.reactor("r1").sensorBadQuality("do_outlet", false);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> rec.latest.get("do_outlet").quality() == Quality.GOOD);
  }

  @Test
  void whenTheHeartbeatStopsTheDeviceWatchdogPutsEveryActuatorAtItsSafeValue() throws Exception {
    // Its own reactor, so that the tripped watchdog cannot disturb the other tests.
    var rec2 = new LinkItSupport.Recorder(vertx, "r2");
    String d2 =
        vertx
            .deployVerticle(
                new DeviceLink(
                    DeviceLinkOptions.builder("r2", LinkItSupport.PROFILE, sim.endpointUrl("r2"))
                        .heartbeat(DeviceLinkOptions.HeartbeatSource.LINK)
                        .build()))
            .await(10, TimeUnit.SECONDS);
    await()
        .atMost(LinkItSupport.CONNECT_TIMEOUT)
        .until(() -> rec2.state() == LinkState.State.CONNECTED);
    SimulatedReactor r2 = sim.reactor("r2");
    for (var c : Map.of("pump", 70.0, "heater", 40.0, "gas_o2", 50.0).entrySet()) {
      WriteResult w =
          vertx
              .eventBus()
              .<WriteResult>request(
                  Addresses.commands("r2"),
                  new ActuatorCommand("r2", c.getKey(), c.getValue(), "test"))
              .await(10, TimeUnit.SECONDS)
              .body();
      assertThat(w.ok()).as(w.detail()).isTrue();
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> r2.actuator("pump") == 70.0 && r2.actuator("heater") == 40.0);
    assertThat(r2.watchdogTripped()).isFalse();

    vertx.undeploy(d2).await(10, TimeUnit.SECONDS);
    assertThat(rec2.state()).isEqualTo(LinkState.State.STOPPED);

    // The profile's watchdog timeout is 5 s.
    await().atMost(Duration.ofSeconds(12)).until(r2::watchdogTripped);
    for (SignalSpec a : LinkItSupport.PROFILE.actuators()) {
      assertThat(r2.actuator(a.id())).as(a.id()).isEqualTo(a.safeValue());
    }
  }

  @Test
  void aHeartbeatTheDeviceRefusesIsACriticalEventOnceNotAtEveryBeatAndTheLinkStateSaysSo()
      throws Exception {
    // The watchdog points at a read-only sensor node of the right type: every beat is refused while
    // the session is fine.
    var p = LinkItSupport.PROFILE;
    var wd =
        new io.hepaloop.profile.WatchdogSpec(
            "nsu=urn:hepaloop:bioreactor;s={reactor}.pressure_inlet", "Int32", 200, 5000);
    var refused = p.withWatchdog(wd);
    var recWd = new LinkItSupport.Recorder(vertx, "r5");
    DeviceLink wdLink =
        new DeviceLink(
            DeviceLinkOptions.builder("r5", refused, sim.endpointUrl("r1"))
                .nodeIdReactor("r1")
                .heartbeat(DeviceLinkOptions.HeartbeatSource.LINK)
                .build());
    vertx.deployVerticle(wdLink).await(10, TimeUnit.SECONDS);
    await()
        .atMost(LinkItSupport.CONNECT_TIMEOUT)
        .until(() -> recWd.state() == LinkState.State.CONNECTED);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> recWd.events.stream().anyMatch(e -> e.message().contains("heartbeat")));
    long failuresThen = wdLink.heartbeatFailures();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> wdLink.heartbeatFailures() >= failuresThen + 5); // more refused beats

    assertThat(recWd.events)
        .filteredOn(e -> e.message().contains("heartbeat"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.severity()).isEqualTo("critical");
              assertThat(e.message())
                  .contains("cannot be written", "r1.pressure_inlet", "Bad_", "safe values");
            });
    assertThat(recWd.state()).as("the session itself is fine").isEqualTo(LinkState.State.CONNECTED);
    assertThat(recWd.lastState().reason()).contains("HEARTBEAT FAILING", "r1.pressure_inlet");
    assertThat(wdLink.heartbeatFailing()).isTrue();
  }

  @Test
  void aProfileNamingANodeTheDeviceLacksIsRefusedWithTheSignalAndTheStatusCode() throws Exception {
    var ph =
        new SignalSpec(
            "ph",
            io.hepaloop.profile.SignalKind.SENSOR,
            "pH",
            "nsu=urn:hepaloop:bioreactor;s={reactor}.ph",
            "Double",
            "pH",
            new io.hepaloop.profile.Range(0, 14),
            null,
            1000.0,
            0.0,
            null,
            null);
    var signals = new java.util.ArrayList<>(LinkItSupport.PROFILE.signals());
    signals.add(ph);
    var p = LinkItSupport.PROFILE;
    var withPh = p.withSignals(signals);
    var recPh = new LinkItSupport.Recorder(vertx, "r3");
    int r1States = rec.states.size();
    // Same endpoint, security and identity as r1's link: r3 attaches to r1's session.
    vertx
        .deployVerticle(
            new DeviceLink(
                DeviceLinkOptions.builder("r3", withPh, sim.endpointUrl("r1"))
                    .nodeIdReactor("r1")
                    .build()))
        .await(10, TimeUnit.SECONDS);
    await()
        .atMost(LinkItSupport.CONNECT_TIMEOUT)
        .until(
            () ->
                recPh.lastState() != null && recPh.lastState().reason().contains("does not match"));
    assertThat(recPh.state()).isEqualTo(LinkState.State.CONNECTING);
    assertThat(recPh.lastState().reason())
        .contains("cannot monitor ph", "r1.ph", "Bad_NodeIdUnknown");
    assertThat(recPh.latest)
        .as("nothing published from a reactor whose items were refused")
        .isEmpty();
    // The neighbour on the shared session noticed nothing and its values keep coming.
    long failedAt = System.nanoTime();
    await().atMost(Duration.ofSeconds(5)).until(() -> rec.freshAfter(failedAt).isPresent());
    assertThat(rec.states).hasSize(r1States);
    assertThat(EndpointSessions.of(vertx).sessionsOpen()).isEqualTo(1);
  }

  @Test
  void aProfileWhoseDataTypeIsNotTheDevicesIsRefusedBeforeAnyValueIsScaledWrongly()
      throws Exception {
    // the device publishes pressure_inlet as a scaled Int32; a profile saying Float would read 1234
    // as 1234 mmHg
    var p = LinkItSupport.PROFILE;
    var signals =
        p.signals().stream()
            .map(
                s ->
                    !s.id().equals("pressure_inlet")
                        ? s
                        : new SignalSpec(
                            s.id(),
                            s.kind(),
                            s.description(),
                            s.nodeId(),
                            "Float",
                            s.unit(),
                            s.range(),
                            null,
                            s.samplingIntervalMs(),
                            s.deadband(),
                            s.allowed(),
                            s.safeValue()))
            .toList();
    var wrongType = p.withSignals(signals);
    var rec = new LinkItSupport.Recorder(vertx, "r6");
    vertx
        .deployVerticle(
            new DeviceLink(
                DeviceLinkOptions.builder("r6", wrongType, sim.endpointUrl("r1"))
                    .nodeIdReactor("r1")
                    .build()))
        .await(10, TimeUnit.SECONDS);
    await()
        .atMost(LinkItSupport.CONNECT_TIMEOUT)
        .until(
            () -> rec.lastState() != null && rec.lastState().reason().contains("does not match"));
    assertThat(rec.state()).isEqualTo(LinkState.State.CONNECTING);
    assertThat(rec.lastState().reason())
        .contains(
            "pressure_inlet", "r1.pressure_inlet", "is Int32 on the device, Float in the profile");
    assertThat(rec.latest).as("no value published from a device of the wrong type").isEmpty();
  }
}
