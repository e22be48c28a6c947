package io.hepaloop.sim;

import io.hepaloop.core.DataType;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.SignalKind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.milo.opcua.sdk.core.AccessLevel;
import org.eclipse.milo.opcua.sdk.core.Reference;
import org.eclipse.milo.opcua.sdk.server.ManagedNamespaceWithLifecycle;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.items.DataItem;
import org.eclipse.milo.opcua.sdk.server.items.MonitoredItem;
import org.eclipse.milo.opcua.sdk.server.nodes.UaFolderNode;
import org.eclipse.milo.opcua.sdk.server.nodes.UaVariableNode;
import org.eclipse.milo.opcua.sdk.server.nodes.filters.AttributeFilter;
import org.eclipse.milo.opcua.sdk.server.nodes.filters.AttributeFilterContext;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;

/**
 * The address space of a simulated device: under Objects, one folder per reactor (NodeId {@code
 * s=<reactorId>}), holding exactly the profile's signal nodes and its watchdog node, with the
 * profile's NodeIds and data types. Sensors are read-only; actuators and the watchdog are writable.
 *
 * <p>Values are not polled by Milo's {@code SubscriptionModel}: the shared tick pushes them. After
 * every tick, {@link #publish(long)} hands each monitored item the reactor's latest value when its
 * sampling interval has elapsed (at tick resolution). One pass over the items per tick is cheaper
 * than one scheduled read per sampling interval per server when hundreds of reactors share a JVM,
 * and values are sampled at the moment the model produced them.
 */
final class ReactorNamespace extends ManagedNamespaceWithLifecycle {

  private final DeviceProfile profile;
  private final List<SimulatedReactor> reactors;
  private final double tickMs;
  private final Map<NodeId, Source> sources = new HashMap<>();
  private final Map<DataItem, Monitored> items = new ConcurrentHashMap<>();

  /** What a node shows: a signal point of a reactor, or its watchdog (point == null). */
  private record Source(SimulatedReactor reactor, SimulatedReactor.Point point) {
    DataValue value() {
      return point == null ? reactor.watchdogValue() : point.value;
    }
  }

  private static final class Monitored {
    final Source source;
    long lastNanos = Long.MIN_VALUE / 2;

    Monitored(Source source) {
      this.source = source;
    }
  }

  ReactorNamespace(
      OpcUaServer server, DeviceProfile profile, List<SimulatedReactor> reactors, double tickMs) {
    super(server, profile.namespaceUri());
    this.profile = profile;
    this.reactors = List.copyOf(reactors);
    this.tickMs = tickMs;
    getLifecycleManager().addStartupTask(this::createNodes);
  }

  private void createNodes() {
    for (SimulatedReactor reactor : reactors) {
      UaFolderNode folder =
          new UaFolderNode(
              getNodeContext(),
              new NodeId(getNamespaceIndex(), reactor.id()),
              newQualifiedName(reactor.id()),
              LocalizedText.english(reactor.id()));
      folder.setDescription(
          LocalizedText.english("Simulated " + profile.model() + " " + reactor.id()));
      getNodeManager().addNode(folder);
      folder.addReference(
          new Reference(
              folder.getNodeId(), NodeIds.Organizes, NodeIds.ObjectsFolder.expanded(), false));

      for (SimulatedReactor.Point p : reactor.points()) {
        boolean writable = p.spec.kind() == SignalKind.ACTUATOR;
        String desc =
            (p.spec.description() == null ? p.spec.id() : p.spec.description())
                + " ["
                + (p.spec.unit() == null ? "" : p.spec.unit())
                + "]";
        addVariable(
            folder,
            nodeId(p.spec.nodeIdFor(reactor.id())),
            p.spec.id(),
            desc,
            DataType.of(p.spec.dataType()).nodeId(),
            writable,
            new Source(reactor, p));
      }
      if (profile.watchdog() != null) {
        addVariable(
            folder,
            nodeId(profile.watchdog().nodeIdFor(reactor.id())),
            "watchdog",
            "Controller heartbeat: write a changing counter at least every "
                + (long) profile.watchdog().timeoutMs()
                + " ms, once armed (first counter change or first actuator"
                + " write), or the actuators go to their safe values",
            DataType.of(profile.watchdog().dataType()).nodeId(),
            true,
            new Source(reactor, null));
      }
    }
  }

  private void addVariable(
      UaFolderNode folder,
      NodeId nodeId,
      String name,
      String description,
      NodeId dataType,
      boolean writable,
      Source source) {
    if (sources.putIfAbsent(nodeId, source) != null) {
      throw new IllegalArgumentException(
          "two signals map to the same NodeId "
              + nodeId
              + " (does the profile's nodeId contain {reactor}?)");
    }
    UaVariableNode node =
        new UaVariableNode.UaVariableNodeBuilder(getNodeContext())
            .setNodeId(nodeId)
            .setBrowseName(newQualifiedName(name))
            .setDisplayName(LocalizedText.english(name))
            .setDescription(LocalizedText.english(description))
            .setDataType(dataType)
            .setTypeDefinition(NodeIds.BaseDataVariableType)
            .setAccessLevel(writable ? AccessLevel.READ_WRITE : AccessLevel.READ_ONLY)
            .setUserAccessLevel(writable ? AccessLevel.READ_WRITE : AccessLevel.READ_ONLY)
            .setMinimumSamplingInterval(tickMs)
            .build();
    node.getFilterChain().addLast(new SourceFilter(source));
    getNodeManager().addNode(node);
    folder.addOrganizes(node);
  }

  /**
   * Reads come from the reactor's latest value; writes go to the reactor, which may refuse them.
   */
  private static final class SourceFilter implements AttributeFilter {
    private final Source source;

    SourceFilter(Source source) {
      this.source = source;
    }

    @Override
    public Object getAttribute(AttributeFilterContext ctx, AttributeId attributeId) {
      return attributeId == AttributeId.Value ? source.value() : ctx.getAttribute(attributeId);
    }

    @Override
    public void writeAttribute(AttributeFilterContext ctx, AttributeId attributeId, Object value)
        throws UaException {
      if (attributeId != AttributeId.Value) {
        ctx.writeAttribute(attributeId, value);
        return;
      }
      Object raw = value instanceof DataValue dv ? dv.value().value() : value;
      if (source.point == null) {
        source.reactor.writeHeartbeat(raw, System.nanoTime());
      } else {
        source.reactor.write(source.point, raw, System.nanoTime());
      }
    }
  }

  /**
   * Maps a profile NodeId ({@code nsu=<uri>;s=...} or {@code ns=<index>;s=...}) into this
   * namespace.
   */
  private NodeId nodeId(String text) {
    ExpandedNodeId x;
    try {
      x = ExpandedNodeId.parse(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "profile "
              + profile.model()
              + ": NodeId '"
              + text
              + "' does not parse: "
              + e.getMessage(),
          e);
    }
    String uri = x.getNamespaceUri();
    if (uri != null && !uri.equals(profile.namespaceUri())) {
      throw new IllegalArgumentException(
          "profile "
              + profile.model()
              + ": NodeId '"
              + text
              + "' is in namespace "
              + uri
              + ", but the profile's namespaceUri is "
              + profile.namespaceUri());
    }
    if (uri == null && !x.getNamespaceIndex().equals(getNamespaceIndex())) {
      throw new IllegalArgumentException(
          "profile "
              + profile.model()
              + ": NodeId '"
              + text
              + "' uses namespace index "
              + x.getNamespaceIndex()
              + "; the simulator serves the profile's namespace at index "
              + getNamespaceIndex()
              + ". Use nsu="
              + profile.namespaceUri()
              + " instead of an index.");
    }
    Object idf = x.getIdentifier();
    if (idf instanceof String s) {
      return new NodeId(getNamespaceIndex(), s);
    } else if (idf instanceof UInteger u) {
      return new NodeId(getNamespaceIndex(), u);
    } else if (idf instanceof java.util.UUID u) {
      return new NodeId(getNamespaceIndex(), u);
    } else if (idf instanceof ByteString b) {
      return new NodeId(getNamespaceIndex(), b);
    }
    throw new IllegalArgumentException("unsupported NodeId identifier in '" + text + "'");
  }

  // ---------------------------------------------------------------- monitored items

  /**
   * Pushes the latest values to every monitored item whose sampling interval has elapsed. Called by
   * the tick thread after the reactors have been stepped.
   */
  void publish(long nowNanos) {
    long halfTick = (long) (tickMs * 0.5e6);
    for (Map.Entry<DataItem, Monitored> e : items.entrySet()) {
      DataItem item = e.getKey();
      Monitored m = e.getValue();
      if (!item.isSamplingEnabled()) {
        continue;
      }
      long intervalNanos = (long) (Math.max(item.getSamplingInterval(), tickMs) * 1e6);
      if (nowNanos - m.lastNanos >= intervalNanos - halfTick) {
        m.lastNanos = nowNanos;
        push(item, m.source.value());
      }
    }
  }

  private static void push(DataItem item, DataValue value) {
    if (value == null) {
      return;
    }
    TimestampsToReturn ttr = item.getTimestampsToReturn();
    if (ttr == TimestampsToReturn.Source) {
      value = value.withServerTime(null);
    } else if (ttr == TimestampsToReturn.Server) {
      value = value.withSourceTime(null);
    } else if (ttr == TimestampsToReturn.Neither) {
      value = value.withSourceTime(null).withServerTime(null);
    }
    item.setValue(value);
  }

  /**
   * Values change once per tick, so a sampling interval is revised up to a whole number of ticks
   * (250 ms → 300 ms at a 100 ms tick): the client is told the rate it will really get.
   */
  @Override
  public RevisedDataItemParameters onCreateDataItem(
      ReadValueId item, Double requestedSamplingInterval, UInteger requestedQueueSize) {
    return new RevisedDataItemParameters(revise(requestedSamplingInterval), requestedQueueSize);
  }

  @Override
  public RevisedDataItemParameters onModifyDataItem(
      ReadValueId item, Double requestedSamplingInterval, UInteger requestedQueueSize) {
    return new RevisedDataItemParameters(revise(requestedSamplingInterval), requestedQueueSize);
  }

  private Double revise(Double requested) {
    if (requested == null || requested <= tickMs) {
      return tickMs;
    }
    return Math.ceil(requested / tickMs - 1e-9) * tickMs;
  }

  @Override
  public void onDataItemsCreated(List<DataItem> dataItems) {
    for (DataItem item : dataItems) {
      Source s = sources.get(item.getReadValueId().getNodeId());
      if (s != null && AttributeId.Value.isEqual(item.getReadValueId().getAttributeId())) {
        Monitored m = new Monitored(s);
        m.lastNanos = System.nanoTime();
        items.put(item, m);
        if (item.isSamplingEnabled()) {
          push(item, s.value()); // the initial value, as Part 4 asks
        }
      }
    }
  }

  @Override
  public void onDataItemsModified(List<DataItem> dataItems) {
    // the sampling interval is read at each tick
  }

  @Override
  public void onDataItemsDeleted(List<DataItem> dataItems) {
    dataItems.forEach(items::remove);
  }

  @Override
  public void onMonitoringModeChanged(List<MonitoredItem> monitoredItems) {
    // isSamplingEnabled() is checked at each tick
  }

  int monitoredItemCount() {
    return items.size();
  }
}
