package io.hepaloop.sim;

import com.sun.management.OperatingSystemMXBean;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.SignalSpec;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;

/**
 * Load figures for the simulator alone: N reactors, one Milo client per server subscribing every
 * sensor at 100 ms, for a fixed time. Run:
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat cp.txt) io.hepaloop.sim.SimulatorBench 64 per-reactor 20
 * </pre>
 */
public final class SimulatorBench {
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 64;
    Layout layout =
        args.length > 1 && args[1].startsWith("shared")
            ? Layout.SHARED_SERVER
            : Layout.SERVER_PER_REACTOR;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    DeviceProfile profile = SimClients.profile();
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      ids.add("r" + i);
    }
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long t0 = System.nanoTime();
    try (Simulator sim =
        Simulator.start(
            SimulatorOptions.builder()
                .profile(profile)
                .reactorIds(ids)
                .layout(layout)
                .pkiDir(Path.of(System.getProperty("java.io.tmpdir"), "hepaloop-sim-pki"))
                .build())) {
      double startS = (System.nanoTime() - t0) / 1e9;
      LongAdder notifications = new LongAdder();
      List<OpcUaClient> clients = new ArrayList<>();
      for (String url : sim.endpointUrls()) {
        OpcUaClient c = SimClients.connectNone(url);
        clients.add(c);
        OpcUaSubscription sub = new OpcUaSubscription(c, 100.0);
        sub.create();
        List<OpcUaMonitoredItem> items = new ArrayList<>();
        List<String> reactorsHere =
            layout == Layout.SHARED_SERVER
                ? ids
                : List.of(ids.get(sim.endpointUrls().indexOf(url)));
        for (String r : reactorsHere) {
          for (SignalSpec s : profile.sensors()) {
            OpcUaMonitoredItem item =
                OpcUaMonitoredItem.newDataItem(SimClients.nodeId(c, profile, s.nodeIdFor(r)));
            item.setSamplingInterval(100.0);
            item.setQueueSize(
                org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint(10));
            item.setDataValueListener((i, v) -> notifications.increment());
            items.add(item);
          }
        }
        sub.addMonitoredItems(items);
        sub.synchronizeMonitoredItems();
      }
      System.gc();
      long cpu0 = os.getProcessCpuTime();
      long w0 = System.nanoTime();
      notifications.reset();
      Thread.sleep(seconds * 1000L);
      double wall = (System.nanoTime() - w0) / 1e9;
      double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
      long heapMb = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20;
      System.out.printf(
          "reactors=%d layout=%s servers=%d items=%d start=%.1fs notifications/s=%.0f cpu=%.0f%% of one core "
              + "(server+client, one JVM) heapUsed=%dMB%n",
          n,
          layout,
          sim.endpointUrls().size(),
          sim.monitoredItemCount(),
          startS,
          notifications.sum() / wall,
          100 * cpu / wall,
          heapMb);
      for (OpcUaClient c : clients) {
        c.disconnect();
      }
    }
  }
}
