package io.hepaloop.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.profile.SignalSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Verifies that every shipped device profile maps to nodes the simulator serves, for two reactors
 * on one server.
 */
@Timeout(60)
class ShippedProfilesServedIT {

  static Stream<Path> profiles() throws IOException {
    return Files.list(Path.of("device-profiles"))
        .filter(p -> p.toString().endsWith(".yaml"))
        .sorted();
  }

  @ParameterizedTest
  @MethodSource("profiles")
  void everySignalAndTheWatchdogOfTheProfileIsServedForEveryReactor(Path file) throws Exception {
    DeviceProfile profile = ProfileLoader.load(file);
    try (Simulator sim =
        Simulator.start(
            SimulatorOptions.builder()
                .profile(profile)
                .reactorIds("a", "b")
                .layout(Layout.SHARED_SERVER)
                .build())) {
      OpcUaClient client = SimClients.connectNone(sim.endpointUrl("a"));
      try {
        int ns = client.readNamespaceTable().getIndex(profile.namespaceUri()).intValue();
        List<String> nodeIds = new ArrayList<>();
        for (String r : List.of("a", "b")) {
          profile.signals().stream().map(s -> s.nodeIdFor(r)).forEach(nodeIds::add);
          if (profile.watchdog() != null) {
            nodeIds.add(profile.watchdog().nodeIdFor(r));
          }
        }
        List<NodeId> ids =
            nodeIds.stream()
                .map(
                    t -> ExpandedNodeId.parse(t).toNodeId(client.getNamespaceTable()).orElseThrow())
                .toList();
        assertThat(ids)
            .allSatisfy(id -> assertThat(id.getNamespaceIndex().intValue()).isEqualTo(ns));
        List<DataValue> values = client.readValues(0, TimestampsToReturn.Both, ids);
        for (int i = 0; i < ids.size(); i++) {
          assertThat(values.get(i).statusCode().getValue())
              .as(nodeIds.get(i))
              .isNotEqualTo(StatusCodes.Bad_NodeIdUnknown);
          assertThat(values.get(i).statusCode().isGood())
              .as(nodeIds.get(i) + " " + values.get(i).statusCode())
              .isTrue();
        }
        assertThat(profile.signals()).extracting(SignalSpec::id).isNotEmpty();
      } finally {
        client.disconnect();
      }
    }
  }
}
