package io.hepaloop.device;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;

/**
 * One reactor's part of a shared {@link MiloSession}: its resolved NodeIds, its monitored items and
 * its listener. Used once, like the session: when it is lost (the session went, or the link dropped
 * only this reactor) the link closes it and attaches anew.
 */
final class ReactorSession {
  private final MiloSession session;
  private final DeviceLinkOptions opts;
  private final Map<String, NodeId> nodes;
  private final NodeId watchdogNode;
  private volatile MiloSession.Listener listener;
  private volatile boolean lost;
  private volatile boolean lastRequestUnanswered;
  // set once by the session when the items are in place
  private volatile Object subscription;
  private volatile List<OpcUaMonitoredItem> items = List.of();

  /**
   * Samples that arrived while the items were being created: held until all of them are known good,
   * so that a reactor whose profile does not match the device publishes nothing. Guarded by this;
   * null once placed.
   */
  private List<List<Sample>> held = new ArrayList<>();

  ReactorSession(
      MiloSession session,
      DeviceLinkOptions opts,
      Map<String, NodeId> nodes,
      NodeId watchdogNode,
      MiloSession.Listener listener) {
    this.session = session;
    this.opts = opts;
    this.nodes = nodes;
    this.watchdogNode = watchdogNode;
    this.listener = listener;
  }

  DeviceLinkOptions options() {
    return opts;
  }

  /** Every item is created: from now on samples go straight to the listener, those held first. */
  synchronized void placed(Object subscription, List<OpcUaMonitoredItem> items) {
    this.subscription = subscription;
    this.items = List.copyOf(items);
    List<List<Sample>> earlier = held;
    held = null;
    earlier.forEach(this::deliver);
  }

  /**
   * Samples of this reactor from a shared notification (Milo thread). Synchronized so that held
   * samples are handed on before later ones; the listener only hands over and returns.
   */
  synchronized void deliver(List<Sample> samples) {
    if (held != null) {
      held.add(samples);
      return;
    }
    MiloSession.Listener l = listener;
    if (l != null && !lost) {
      l.onSamples(samples);
    }
  }

  /** The whole session is gone (Milo thread). */
  void sessionLost(String reason) {
    if (lost) {
      return;
    }
    lost = true;
    MiloSession.Listener l = listener;
    if (l != null) {
      l.onLost(reason);
    }
  }

  /** Its subscription stopped and is being re-created (Milo or housekeeping thread). */
  void subscriptionLost(String reason) {
    MiloSession.Listener l = listener;
    if (l != null && !lost) {
      l.onSubscriptionLost(reason);
    }
  }

  /** Its subscription was re-created with its items. */
  void subscriptionRestored() {
    MiloSession.Listener l = listener;
    if (l != null && !lost) {
      l.onSubscriptionRestored();
    }
  }

  /** The shared subscription holding this reactor's items (null until placed). */
  Object subscription() {
    return subscription;
  }

  /** True once this reactor's part or the session itself is gone. */
  boolean isLost() {
    return lost || session.isLost();
  }

  NodeId node(String signalId) {
    return nodes.get(signalId);
  }

  NodeId watchdogNode() {
    return watchdogNode;
  }

  /**
   * Writes one value through the shared session. Non-blocking. The returned future completes after
   * {@link #lastRequestUnanswered()} says how this request ended.
   */
  CompletableFuture<StatusCode> write(NodeId node, Variant value) {
    return session
        .write(node, value)
        .whenComplete(
            (sc, ex) -> lastRequestUnanswered = ex != null && Qualities.unanswered(ex, null));
  }

  /**
   * Whether this reactor's latest request failed as a whole for want of an answer (timeout,
   * connection, secure channel or session gone) — a failure of the session, not of this reactor's
   * nodes. A request the device answered, even with a Bad status for the node, is not.
   */
  boolean lastRequestUnanswered() {
    return lastRequestUnanswered;
  }

  /**
   * Ends the shared session for every reactor on it: requests on it go unanswered, which is the
   * session's failure, not this reactor's. Each reactor's listener hears {@code reason}.
   */
  void endSession(String reason) {
    session.markLost(reason);
  }

  /** Removes this reactor's items; the session and the other reactors stay. Non-blocking. */
  CompletableFuture<Void> close() {
    lost = true;
    listener = null;
    return session.detach(this, subscription, items);
  }
}
