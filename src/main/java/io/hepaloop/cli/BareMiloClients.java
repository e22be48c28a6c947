package io.hepaloop.cli;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.SignalSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;

/**
 * The baseline of {@code bench link}: one plain Milo client per reactor (or, for a shared endpoint,
 * one client for all) with the same subscriptions as the device links (every signal of the profile
 * at its sampling interval, the links' publishing interval), counting values and their latency in
 * Milo's own callback — no conversion to engineering units, no quality handling, no event bus, no
 * heartbeat. What OPC UA alone delivers on this machine.
 */
final class BareMiloClients implements AutoCloseable {
  private final List<OpcUaClient> clients = new ArrayList<>();
  private volatile boolean measuring;
  private long samples;
  private final LatencySamples latency = new LatencySamples();

  /**
   * Items per subscription of the shared baseline client: the same packing as the links' shared
   * sessions (io.hepaloop.device.MiloSession.MAX_ITEMS_PER_SUBSCRIPTION).
   */
  static final int ITEMS_PER_SUBSCRIPTION = 1000;

  /** Connects and subscribes one client per reactor. Blocking. */
  static BareMiloClients connect(
      DeviceProfile profile,
      List<String> reactorIds,
      Function<String, String> endpointUrl,
      double publishingIntervalMs)
      throws Exception {
    BareMiloClients b = new BareMiloClients();
    try {
      for (String id : reactorIds) {
        OpcUaClient client = b.client(endpointUrl.apply(id));
        b.clients.add(client);
        OpcUaSubscription sub = b.subscription(client, publishingIntervalMs);
        sub.addMonitoredItems(items(profile, id, client.readNamespaceTable()));
        sub.createMonitoredItems();
      }
    } catch (Exception e) {
      b.close();
      throw e;
    }
    return b;
  }

  /**
   * One client (one session) for every reactor of a shared endpoint, their items packed into
   * subscriptions of up to {@link #ITEMS_PER_SUBSCRIPTION}, as the links' shared sessions do.
   * Blocking.
   */
  static BareMiloClients connectShared(
      DeviceProfile profile,
      List<String> reactorIds,
      String endpointUrl,
      double publishingIntervalMs)
      throws Exception {
    BareMiloClients b = new BareMiloClients();
    try {
      OpcUaClient client = b.client(endpointUrl);
      b.clients.add(client);
      NamespaceTable namespaces = client.readNamespaceTable();
      OpcUaSubscription sub = null;
      int inSub = 0;
      for (String id : reactorIds) {
        List<OpcUaMonitoredItem> items = items(profile, id, namespaces);
        if (sub == null || inSub + items.size() > ITEMS_PER_SUBSCRIPTION) {
          sub = b.subscription(client, publishingIntervalMs);
          inSub = 0;
        }
        sub.addMonitoredItems(items);
        sub.createMonitoredItems();
        inSub += items.size();
      }
    } catch (Exception e) {
      b.close();
      throw e;
    }
    return b;
  }

  private OpcUaClient client(String url) throws Exception {
    OpcUaClient client =
        OpcUaClient.create(
            url,
            endpoints ->
                endpoints.stream()
                    .filter(e -> e.getSecurityPolicyUri().endsWith("#None"))
                    .findFirst(),
            t -> {},
            c ->
                c.setApplicationName(LocalizedText.english("hepaloop bench baseline"))
                    .setApplicationUri("urn:hepaloop:bench:baseline")
                    .setRequestTimeout(uint(10_000)));
    client.connect();
    return client;
  }

  private OpcUaSubscription subscription(OpcUaClient client, double publishingIntervalMs)
      throws Exception {
    OpcUaSubscription sub = new OpcUaSubscription(client, publishingIntervalMs);
    sub.setSubscriptionListener(
        new OpcUaSubscription.SubscriptionListener() {
          @Override
          public void onDataReceived(
              OpcUaSubscription s, List<OpcUaMonitoredItem> items, List<DataValue> values) {
            if (measuring) {
              record(values, Instant.now());
            }
          }
        });
    sub.create();
    return sub;
  }

  private static List<OpcUaMonitoredItem> items(
      DeviceProfile profile, String reactorId, NamespaceTable namespaces) {
    List<OpcUaMonitoredItem> items = new ArrayList<>();
    for (SignalSpec s : profile.signals()) {
      NodeId node = ExpandedNodeId.parse(s.nodeIdFor(reactorId)).toNodeId(namespaces).orElseThrow();
      OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(node);
      item.setSamplingInterval(s.samplingIntervalMsOrDefault());
      items.add(item);
    }
    return items;
  }

  private synchronized void record(List<DataValue> values, Instant arrived) {
    for (DataValue v : values) {
      samples++;
      if (v.getSourceTime() == null) {
        continue;
      }
      latency.add(v.getSourceTime().getJavaInstant(), arrived);
    }
  }

  void measuring(boolean on) {
    measuring = on;
  }

  synchronized long samples() {
    return samples;
  }

  synchronized double percentileMs(double p) {
    return latency.percentileMs(p);
  }

  @Override
  public void close() {
    for (OpcUaClient c : clients) {
      try {
        c.disconnectAsync().get(5, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // the bench goes on with the links; a client that does not close in time is dropped
      }
    }
    clients.clear();
  }
}
