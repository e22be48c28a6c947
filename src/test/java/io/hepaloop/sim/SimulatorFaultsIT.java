package io.hepaloop.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.WatchdogSpec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Verifies the device behaviours a controller must survive: watchdog, restart, comms drop, speed.
 */
@Timeout(60)
class SimulatorFaultsIT {
  Simulator sim;
  OpcUaClient client;

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      try {
        client.disconnect();
      } catch (Exception ignored) {
        // the server may be gone on purpose
      }
    }
    if (sim != null) {
      sim.close();
    }
  }

  /** The shipped profile with a short watchdog, so the test takes seconds. */
  static DeviceProfile profileWithWatchdogMs(double timeoutMs) {
    DeviceProfile p = SimClients.profile();
    WatchdogSpec w = p.watchdog();
    return p.withWatchdog(new WatchdogSpec(w.nodeId(), w.dataType(), timeoutMs / 5, timeoutMs));
  }

  NodeId node(DeviceProfile profile, String signal) throws Exception {
    return SimClients.nodeId(client, profile, profile.requireSignal(signal).nodeIdFor("r1"));
  }

  @Test
  void whenTheHeartbeatStopsTheDeviceWatchdogPutsEveryActuatorAtItsSafeValue() throws Exception {
    DeviceProfile profile = profileWithWatchdogMs(1000);
    sim = Simulator.start(SimulatorOptions.builder().profile(profile).reactorIds("r1").build());
    client = SimClients.connectNone(sim.endpointUrl("r1"));
    NodeId watchdog = SimClients.nodeId(client, profile, profile.watchdog().nodeIdFor("r1"));
    for (int i = 1; i <= 3; i++) {
      StatusCode sc =
          client
              .writeValues(List.of(watchdog), List.of(DataValue.valueOnly(new Variant(uint(i)))))
              .get(0);
      assertThat(sc.isGood()).as(sc.toString()).isTrue();
    }
    client.writeValues(
        List.of(node(profile, "heater"), node(profile, "pump"), node(profile, "gas_o2")),
        List.of(
            DataValue.valueOnly(new Variant(80.0)),
            DataValue.valueOnly(new Variant(70.0)),
            DataValue.valueOnly(new Variant(40.0))));
    assertThat(sim.reactor("r1").actuator("heater")).isEqualTo(80.0);

    // the controller goes silent: no more heartbeat changes
    await().atMost(Duration.ofSeconds(5)).until(() -> sim.reactor("r1").watchdogTripped());
    assertThat(
            client.readValue(0, TimestampsToReturn.Both, node(profile, "heater")).value().value())
        .isEqualTo(0.0);
    assertThat(client.readValue(0, TimestampsToReturn.Both, node(profile, "pump")).value().value())
        .isEqualTo(20.0);
    assertThat(
            client.readValue(0, TimestampsToReturn.Both, node(profile, "gas_o2")).value().value())
        .isEqualTo(21.0);

    // commands are refused until the heartbeat is back
    StatusCode refused =
        client
            .writeValues(
                List.of(node(profile, "heater")), List.of(DataValue.valueOnly(new Variant(60.0))))
            .get(0);
    assertThat(refused.isBad()).isTrue();
    client.writeValues(List.of(watchdog), List.of(DataValue.valueOnly(new Variant(uint(4)))));
    StatusCode accepted =
        client
            .writeValues(
                List.of(node(profile, "heater")), List.of(DataValue.valueOnly(new Variant(60.0))))
            .get(0);
    assertThat(accepted.isGood()).isTrue();
  }

  @Test
  void aStoppedServerComesBackOnTheSamePortWithThePlantStillRunning() throws Exception {
    DeviceProfile profile = SimClients.profile();
    sim = Simulator.start(SimulatorOptions.builder().profile(profile).reactorIds("r1").build());
    String url = sim.endpointUrl("r1");
    client = SimClients.connectNone(url);
    OpcUaClient stillConnected = SimClients.connectNone(url);
    var temperature = node(profile, "temperature");
    double before = sim.reactor("r1").simulatedSeconds();
    client.disconnect();
    client = null;
    await().atMost(Duration.ofSeconds(5)).until(() -> sim.serverConnections("r1") == 1);

    sim.stopServer("r1");
    assertThat(sim.serverRunning("r1")).isFalse();
    // a stopped device keeps no connection open: the client still connected is cut off
    await().atMost(Duration.ofSeconds(5)).until(() -> sim.serverConnections("r1") == 0);
    assertThatThrownBy(() -> stillConnected.readValue(0, TimestampsToReturn.Both, temperature))
        .as("its old connection is gone: the client has to reconnect, and is refused")
        .hasMessageContaining("Connection refused");
    stillConnected.disconnectAsync();
    assertThatThrownBy(() -> SimClients.connectNone(url))
        .hasMessageContaining("Connection refused");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> sim.reactor("r1").simulatedSeconds() > before + 0.5);

    sim.startServer("r1");
    assertThat(sim.endpointUrl("r1")).isEqualTo(url);
    client = SimClients.connectNone(url);
    DataValue t = client.readValue(0, TimestampsToReturn.Both, node(profile, "temperature"));
    assertThat(t.statusCode().isGood()).isTrue();
  }

  @Test
  void duringACommsDropTheServerAnswersNothingAndAfterwardsItAnswersAgain() throws Exception {
    DeviceProfile profile = SimClients.profile();
    sim = Simulator.start(SimulatorOptions.builder().profile(profile).reactorIds("r1").build());
    client = SimClients.connectNone(sim.endpointUrl("r1"));
    NodeId flow = node(profile, "flow");
    client.readValue(0, TimestampsToReturn.Both, flow);

    long t0 = System.nanoTime();
    sim.commsDrop("r1", Duration.ofMillis(2000));
    CompletableFuture<List<DataValue>> during =
        client.readValuesAsync(0, TimestampsToReturn.Both, List.of(flow));
    assertThat(during)
        .failsWithin(Duration.ofMillis(1200))
        .withThrowableOfType(java.util.concurrent.TimeoutException.class);
    List<DataValue> late = during.get(10, TimeUnit.SECONDS);
    assertThat((System.nanoTime() - t0) / 1e6).isGreaterThanOrEqualTo(1900);
    assertThat(late.get(0).statusCode().isGood()).isTrue();
    assertThat(client.readValue(0, TimestampsToReturn.Both, flow).statusCode().isGood()).isTrue();
  }

  @Test
  void atSpeed60AMinuteOfCulturePassesEverySecond() throws Exception {
    sim =
        Simulator.start(
            SimulatorOptions.builder()
                .profile(SimClients.profile())
                .reactorIds("r1")
                .speed(60)
                .build());
    long t0 = System.nanoTime();
    double s0 = sim.reactor("r1").simulatedSeconds();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> sim.reactor("r1").simulatedSeconds() - s0 >= 90);
    double realS = (System.nanoTime() - t0) / 1e9;
    double simS = sim.reactor("r1").simulatedSeconds() - s0;
    assertThat(simS / realS).isCloseTo(60.0, within(10.0));
  }

  @Test
  void aScenarioRunsOnTheSimulatorsTimelineAtSpeed() throws Exception {
    DeviceProfile profile = SimClients.profile();
    Scenario s =
        ScenarioLoader.parse(
            "t.yaml",
            """
        name: t
        description: pump stall after 2 simulated minutes
        timeline:
          - { at: 2m, action: pump-stall }
        """,
            profile);
    sim =
        Simulator.start(
            SimulatorOptions.builder()
                .profile(profile)
                .reactorIds("r1")
                .speed(120)
                .scenario(s)
                .build());
    client = SimClients.connectNone(sim.endpointUrl("r1"));
    NodeId flow = node(profile, "flow");
    await()
        .atMost(Duration.ofSeconds(6))
        .until(
            () ->
                (Double) client.readValue(0, TimestampsToReturn.Both, flow).value().value() < 0.05);
    assertThat(sim.reactor("r1").simulatedSeconds()).isGreaterThan(120);
  }
}
