package io.hepaloop.sim;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import java.nio.file.Path;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/** Test helpers: the shipped profile, plain Milo clients, NodeIds by namespace URI. */
final class SimClients {
  private SimClients() {}

  static DeviceProfile profile() {
    return ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));
  }

  /** An anonymous client on the None endpoint, connected. */
  static OpcUaClient connectNone(String url) throws UaException {
    OpcUaClient client =
        OpcUaClient.create(
            url,
            endpoints ->
                endpoints.stream()
                    .filter(
                        e ->
                            e.getSecurityPolicyUri().endsWith("#None")
                                && e.getEndpointUrl().equals(url))
                    .findFirst(),
            t -> {},
            c ->
                c.setApplicationName(LocalizedText.english("hepaloop sim test"))
                    .setApplicationUri("urn:hepaloop:test:client")
                    .setRequestTimeout(uint(5000)));
    return client.connect();
  }

  /** The NodeId of a profile NodeId string, with the namespace index looked up by URI. */
  static NodeId nodeId(OpcUaClient client, DeviceProfile profile, String nodeIdText)
      throws UaException {
    int idx = client.readNamespaceTable().getIndex(profile.namespaceUri()).intValue();
    String identifier = nodeIdText.substring(nodeIdText.indexOf(";s=") + 3);
    return new NodeId(idx, identifier);
  }
}
