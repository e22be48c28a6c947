package io.hepaloop.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.SignalSpec;
import io.hepaloop.sim.model.ReactorModel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.nodes.UaNode;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Verifies that a plain Milo client sees exactly the profile's device on the simulator. */
@Timeout(60)
class SimulatorIT {
  static DeviceProfile profile;
  static Simulator sim;
  static OpcUaClient client;

  /** r2 is the one tests write to, so that r1 stays at its steady state for exact comparisons. */
  static OpcUaClient client2;

  @BeforeAll
  static void start() throws Exception {
    // These tests write outputs without a heartbeat, which arms the device's watchdog
    // (SimulatorFaultsIT
    // tests it): an hour-long timeout keeps r2 from going safe between them.
    profile = SimulatorFaultsIT.profileWithWatchdogMs(3_600_000);
    sim =
        Simulator.start(
            SimulatorOptions.builder()
                .profile(profile)
                .reactorIds("r1", "r2")
                .sensorNoise(false)
                .build());
    client = SimClients.connectNone(sim.endpointUrl("r1"));
    client2 = SimClients.connectNone(sim.endpointUrl("r2"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.disconnect();
    }
    if (client2 != null) {
      client2.disconnect();
    }
    if (sim != null) {
      sim.close();
    }
  }

  NodeId node(String signal) throws Exception {
    return SimClients.nodeId(client, profile, profile.requireSignal(signal).nodeIdFor("r1"));
  }

  NodeId node2(String signal) throws Exception {
    return SimClients.nodeId(client2, profile, profile.requireSignal(signal).nodeIdFor("r2"));
  }

  @Test
  void theEndpointIsOnLoopbackWithTheProfilePath() {
    assertThat(sim.endpointUrl("r1")).matches("opc\\.tcp://127\\.0\\.0\\.1:\\d+/hepaloop");
  }

  @Test
  void theReactorFolderHoldsExactlyTheProfileSignalsAndTheWatchdog() throws Exception {
    int idx = client.readNamespaceTable().getIndex(profile.namespaceUri()).intValue();
    List<? extends UaNode> children = client.getAddressSpace().browseNodes(new NodeId(idx, "r1"));
    List<String> expected =
        new java.util.ArrayList<>(profile.signals().stream().map(SignalSpec::id).toList());
    expected.add("watchdog");
    assertThat(children)
        .extracting(n -> n.getBrowseName().name())
        .containsExactlyInAnyOrderElementsOf(expected);
    for (SignalSpec s : profile.signals()) {
      UaNode n =
          children.stream()
              .filter(c -> c.getBrowseName().name().equals(s.id()))
              .findFirst()
              .orElseThrow();
      assertThat(n.getDescription().text()).as(s.id()).endsWith("[" + s.unit() + "]");
    }
  }

  @Test
  void everySignalReadsTheModelValueInItsProfileDataType() throws Exception {
    SimulatedReactor r = sim.reactor("r1");
    for (SignalSpec s : profile.signals()) {
      DataValue dv = client.readValue(0, TimestampsToReturn.Both, node(s.id()));
      assertThat(dv.statusCode().isGood()).as(s.id()).isTrue();
      Object raw = dv.value().value();
      switch (s.dataType()) {
        case "Double" -> assertThat(raw).as(s.id()).isInstanceOf(Double.class);
        case "Int32" -> assertThat(raw).as(s.id()).isInstanceOf(Integer.class);
        default -> {}
      }
      double eng = s.toEngineering(((Number) raw).doubleValue());
      double expected =
          s.kind() == io.hepaloop.profile.SignalKind.SENSOR
              ? r.reading(s.id()).value()
              : r.actuator(s.id());
      // scaled integers lose what is below one raw step
      double tolerance = s.scaling() == null ? 1e-9 : s.toEngineering(1) - s.toEngineering(0);
      assertThat(eng).as(s.id()).isCloseTo(expected, within(tolerance + 1e-9));
    }
    // and the readings are the physics of the default rig
    DataValue t = client.readValue(0, TimestampsToReturn.Both, node("temperature"));
    assertThat((Double) t.value().value()).isCloseTo(37.0, within(0.2));
    DataValue p = client.readValue(0, TimestampsToReturn.Both, node("pressure_inlet"));
    assertThat((Integer) p.value().value()).isEqualTo(1200); // 12 mmHg at 1 mL/min, clean scaffold
    DataValue inlet = client.readValue(0, TimestampsToReturn.Both, node("do_inlet"));
    assertThat((Double) inlet.value().value()).isCloseTo(149.7, within(1.0));
  }

  @Test
  void sourceTimestampsAreTheDevicesWallClock() throws Exception {
    DataValue dv = client.readValue(0, TimestampsToReturn.Both, node("flow"));
    long ageMs = System.currentTimeMillis() - dv.sourceTime().getJavaTime();
    assertThat(ageMs).isBetween(-50L, 2000L);
  }

  @Test
  void writingAnActuatorTakesEffectInTheModel() throws Exception {
    StatusCode sc =
        client2
            .writeValues(List.of(node2("pump")), List.of(DataValue.valueOnly(new Variant(50.0))))
            .get(0);
    assertThat(sc.isGood()).as(sc.toString()).isTrue();
    SimulatedReactor r = sim.reactor("r2");
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              synchronized (r) {
                ReactorModel m = r.model();
                assertThat(m.pumpPct()).isEqualTo(50.0);
                assertThat(m.flowMlPerMin()).isGreaterThan(1.9);
              }
            });
    DataValue readBack = client2.readValue(0, TimestampsToReturn.Both, node2("pump"));
    assertThat(readBack.value().value()).isEqualTo(50.0);
    client2.writeValues(List.of(node2("pump")), List.of(DataValue.valueOnly(new Variant(25.0))));
  }

  @Test
  void aWriteToASensorIsRefused() throws Exception {
    StatusCode sc =
        client2
            .writeValues(
                List.of(node2("temperature")), List.of(DataValue.valueOnly(new Variant(20.0))))
            .get(0);
    assertThat(sc.isBad()).isTrue();
    synchronized (sim.reactor("r2")) {
      assertThat(sim.reactor("r2").model().temperatureC()).isGreaterThan(30);
    }
  }

  @Test
  void aWriteOutsideTheInstrumentRangeOrOfTheWrongTypeIsRefused() throws Exception {
    StatusCode range =
        client2
            .writeValues(List.of(node2("heater")), List.of(DataValue.valueOnly(new Variant(150.0))))
            .get(0);
    StatusCode type =
        client2
            .writeValues(List.of(node2("heater")), List.of(DataValue.valueOnly(new Variant("hot"))))
            .get(0);
    assertThat(range.isBad()).isTrue();
    assertThat(type.isBad()).isTrue();
  }

  @Test
  void aSubscriptionReceivesUpdatesAtTheTick() throws Exception {
    OpcUaSubscription sub = new OpcUaSubscription(client2, 100.0);
    sub.create();
    List<DataValue> values = new CopyOnWriteArrayList<>();
    OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(node2("flow"));
    item.setSamplingInterval(100.0);
    item.setDataValueListener((i, v) -> values.add(v));
    sub.addMonitoredItem(item);
    sub.synchronizeMonitoredItems();
    try {
      await().atMost(Duration.ofSeconds(5)).until(() -> values.size() >= 1);
      // without noise the value only changes when the plant does: make the flow ramp
      client2.writeValues(List.of(node2("pump")), List.of(DataValue.valueOnly(new Variant(60.0))));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  values.size() >= 6
                      && (Double) values.get(values.size() - 1).value().value()
                          > 2.3); // 60 % = 2.4 mL/min
      assertThat(values).allSatisfy(v -> assertThat(v.statusCode().isGood()).isTrue());
    } finally {
      sub.delete();
      client2.writeValues(List.of(node2("pump")), List.of(DataValue.valueOnly(new Variant(25.0))));
    }
  }

  @Test
  void aSamplingIntervalIsRevisedUpToAWholeNumberOfTicks() throws Exception {
    OpcUaSubscription sub = new OpcUaSubscription(client, 100.0);
    sub.create();
    List<DataValue> values = new CopyOnWriteArrayList<>();
    OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(node("flow"));
    item.setSamplingInterval(250.0);
    item.setQueueSize(org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint(100));
    item.setDataValueListener((i, v) -> values.add(v));
    sub.addMonitoredItem(item);
    sub.synchronizeMonitoredItems();
    try {
      assertThat(item.getRevisedSamplingInterval()).contains(300.0);
    } finally {
      sub.delete();
    }
  }

  @Test
  void aBadSensorIsPublishedWithABadStatusCode() throws Exception {
    SimulatedReactor r = sim.reactor("r2");
    r.sensorBadQuality("do_outlet", true);
    try {
      await()
          .atMost(Duration.ofSeconds(3))
          .until(
              () ->
                  client2
                      .readValue(0, TimestampsToReturn.Both, node2("do_outlet"))
                      .statusCode()
                      .isBad());
      r.sensorUncertain("do_inlet", true);
      await()
          .atMost(Duration.ofSeconds(3))
          .until(
              () ->
                  client2
                      .readValue(0, TimestampsToReturn.Both, node2("do_inlet"))
                      .statusCode()
                      .isUncertain());
    } finally {
      r.clearSensorFaults("do_outlet");
      r.clearSensorFaults("do_inlet");
    }
  }
}
