package io.hepaloop.device;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.hepaloop.core.DataType;
import io.hepaloop.profile.SignalSpec;
import java.net.ConnectException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfigBuilder;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.UaSession;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemServiceOperationResult;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription.SubscriptionListener;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;
import org.eclipse.milo.opcua.stack.transport.client.tcp.OpcTcpClientTransport;
import org.eclipse.milo.opcua.stack.transport.client.tcp.OpcTcpClientTransportConfig;

/**
 * One OPC UA session (one Milo client) to one endpoint, shared by every reactor that reaches its
 * device through that endpoint with the same security and identity ({@link EndpointSessions}). It
 * holds the namespace table and a few subscriptions; each attached reactor is a {@link
 * ReactorSession} with its own resolved NodeIds and monitored items. Protocol only; the lifecycle
 * (states, backoff, stale values, the event bus) is each {@link DeviceLink}'s.
 *
 * <p>{@link #connect} and {@link #attach} use Milo's synchronous API and must run on a worker
 * thread. After that, every callback reaches the reactors' {@link Listener}s on a Milo thread; a
 * listener must hand the data on and return.
 *
 * <h2>Subscriptions</h2>
 *
 * Reactors with the same publishing interval share a subscription of up to {@link
 * #MAX_ITEMS_PER_SUBSCRIPTION} monitored items: servers limit subscriptions per session (node-opcua
 * allows 10 by default, PLCs often fewer), so one subscription per reactor would refuse the 11th
 * reactor. Monitored items are created per reactor and their results are per item, so a reactor
 * whose node is missing or of the wrong type fails alone: its items are removed again and its
 * neighbours' stay. A subscription that stops publishing (watchdog) or is ended by the device is
 * re-created with its items, its reactors stale meanwhile and the others untouched ({@link
 * #recover}); only if that fails, or a transfer fails, is the session ended for every reactor on it
 * (their links reconnect and re-create everything).
 *
 * <p>A session is used once: when it is lost it is closed and the next attach opens a new one.
 * Milo's own reconnect (1 → 16 s waits) and subscription transfer are therefore never relied upon;
 * a new session always creates its subscriptions afresh, which is what Milo's transfer would fail
 * to do after a device restart anyway (Bad_SubscriptionIdInvalid).
 */
final class MiloSession {
  /** Callbacks from Milo threads, per reactor. */
  interface Listener {
    void onSamples(List<Sample> samples);

    /**
     * The reactor's part of the session, or the session itself, is gone; called at most once per
     * attach.
     */
    void onLost(String reason);

    /**
     * The subscription carrying this reactor's items stopped (ended by the device, or no publish
     * response within its watchdog time) and is being re-created; the session is fine.
     */
    default void onSubscriptionLost(String reason) {}

    /** The subscription was re-created with this reactor's items: data flows again. */
    default void onSubscriptionRestored() {}
  }

  /**
   * Monitored items per shared subscription: 256 reactors of 9 signals fit in 3 subscriptions, well
   * inside the 10 subscriptions per session that node-opcua allows by default; a notification of
   * 1000 values is still one small publish response.
   */
  static final int MAX_ITEMS_PER_SUBSCRIPTION = 1000;

  private final DeviceLinkOptions opts;
  private final OpcUaClient client;
  private final NamespaceTable namespaces;
  private final Executor housekeeping;
  private final Set<ReactorSession> reactors = ConcurrentHashMap.newKeySet();

  /** Guarded by this. */
  private final List<SharedSubscription> subscriptions = new ArrayList<>();

  private volatile boolean lost;
  private volatile boolean closed;

  private MiloSession(
      DeviceLinkOptions opts,
      OpcUaClient client,
      NamespaceTable namespaces,
      Executor housekeeping) {
    this.opts = opts;
    this.client = client;
    this.namespaces = namespaces;
    this.housekeeping = housekeeping;
  }

  /**
   * Discovers, connects, reads the namespace table. Blocking. The session-level settings come from
   * {@code o}; every link sharing the session has the same ({@link EndpointSessions.Key}).
   *
   * @throws LinkException with a sentence an operator can act on
   */
  static MiloSession connect(DeviceLinkOptions o, Executor housekeeping) throws LinkException {
    EndpointDescription endpoint = selectEndpoint(o, discover(o));
    if (o.secure() && o.serverTrust() == DeviceLinkOptions.ServerTrust.TRUST_LIST) {
      checkServerCertificate(o, endpoint);
    }
    OpcUaClient client;
    try {
      client =
          new OpcUaClient(
              clientConfig(o, endpoint),
              new OpcTcpClientTransport(
                  OpcTcpClientTransportConfig.newBuilder()
                      .setConnectTimeout(uint(o.connectTimeoutMs()))
                      .build()));
    } catch (RuntimeException e) {
      throw new LinkException("cannot configure the OPC UA client: " + rootMessage(e), e);
    }
    try {
      client.connect();
    } catch (UaException e) {
      client.disconnectAsync();
      throw new LinkException(connectFailure(o, e), e, isConfigurationError(e));
    }
    try {
      MiloSession session = new MiloSession(o, client, client.readNamespaceTable(), housekeeping);
      client.addSessionActivityListener(session.sessionListener());
      return session;
    } catch (Exception e) {
      client.disconnectAsync();
      throw new LinkException("reading the namespace table failed: " + rootMessage(e), e);
    }
  }

  /**
   * Resolves one reactor's NodeIds, checks their data types and subscribes its signals. Blocking. A
   * {@link LinkException} thrown here concerns this reactor only, unless the session itself failed.
   */
  ReactorSession attach(DeviceLinkOptions o, Listener listener) throws LinkException {
    if (lost) {
      throw new LinkException("session lost while subscribing");
    }
    Map<String, NodeId> nodes = new LinkedHashMap<>();
    for (SignalSpec s : o.profile().signals()) {
      nodes.put(s.id(), resolve(s.nodeIdFor(o.nodeIdReactor()), namespaces, "signal " + s.id()));
    }
    // A profile without a watchdog has nothing to resolve (the heartbeat branch allows
    // monitoring-only profiles).
    NodeId watchdog =
        o.profile().watchdog() == null
            ? null
            : resolve(o.profile().watchdog().nodeIdFor(o.nodeIdReactor()), namespaces, "watchdog");
    ReactorSession rs = new ReactorSession(this, o, nodes, watchdog, listener);
    reactors.add(rs);
    try {
      checkDataTypes(client, o, nodes, watchdog);
      subscribe(rs);
      return rs;
    } catch (LinkException e) {
      reactors.remove(rs);
      throw e;
    } catch (Exception e) {
      reactors.remove(rs);
      throw new LinkException("subscribing failed: " + rootMessage(e), e);
    }
  }

  private static List<EndpointDescription> discover(DeviceLinkOptions o) throws LinkException {
    try {
      return getEndpoints(o, o.endpointUrl());
    } catch (ExecutionException first) {
      if (!refusedDiscovery(first)) {
        throw new LinkException(unreachable(o, first), first);
      }
      // A server whose endpoints all require security answers GetEndpoints on "<url>/discovery"
      // (OPC UA Part 6, 7.1), as Milo's own OpcUaClient.create does.
      String discoveryUrl =
          o.endpointUrl().endsWith("/")
              ? o.endpointUrl() + "discovery"
              : o.endpointUrl() + "/discovery";
      try {
        return getEndpoints(o, discoveryUrl);
      } catch (ExecutionException | TimeoutException e) {
        throw new LinkException(unreachable(o, first), first);
      }
    } catch (TimeoutException e) {
      throw new LinkException(unreachable(o, e), e);
    }
  }

  /**
   * True when the server answered but would not serve GetEndpoints on this URL without security; a
   * refused connection or a timeout is not retried on another URL (it would only double the wait
   * and make the device log an error).
   */
  private static boolean refusedDiscovery(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UaException ua) {
        long c = ua.getStatusCode().getValue();
        return c == StatusCodes.Bad_TcpEndpointUrlInvalid
            || c == StatusCodes.Bad_SecurityPolicyRejected
            || c == StatusCodes.Bad_SecurityModeRejected
            || c == StatusCodes.Bad_ServiceUnsupported
            || c == StatusCodes.Bad_SecurityChecksFailed;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private static List<EndpointDescription> getEndpoints(DeviceLinkOptions o, String url)
      throws ExecutionException, TimeoutException, LinkException {
    try {
      return DiscoveryClient.getEndpoints(url, t -> t.setConnectTimeout(uint(o.connectTimeoutMs())))
          .get(o.connectTimeoutMs() + o.requestTimeoutMs(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LinkException("interrupted while asking " + url + " for its endpoints", e);
    }
  }

  /** The endpoint matching the configured policy, mode and identity; a clear refusal otherwise. */
  static EndpointDescription selectEndpoint(
      DeviceLinkOptions o, List<EndpointDescription> endpoints) throws LinkException {
    String policyUri = policy(o).getUri();
    MessageSecurityMode mode = MessageSecurityMode.valueOf(o.securityMode());
    UserTokenType token = o.username() == null ? UserTokenType.Anonymous : UserTokenType.UserName;
    for (EndpointDescription e : endpoints) {
      if (policyUri.equals(e.getSecurityPolicyUri())
          && e.getSecurityMode() == mode
          && offers(e, token)) {
        String host = EndpointUtil.getHost(o.endpointUrl());
        int port = EndpointUtil.getPort(o.endpointUrl());
        // The URL we were given reaches the device; what it advertises may not (0.0.0.0, NAT, a
        // hostname).
        return EndpointUtil.updateUrl(e, host, port);
      }
    }
    String offered =
        endpoints.stream()
            .map(
                e ->
                    shortPolicy(e.getSecurityPolicyUri())
                        + "/"
                        + e.getSecurityMode()
                        + " "
                        + tokens(e))
            .distinct()
            .collect(Collectors.joining(", "));
    throw LinkException.configuration(
        "device at "
            + o.endpointUrl()
            + " offers no endpoint with "
            + o.securityPolicy()
            + "/"
            + o.securityMode()
            + " and "
            + (o.username() == null ? "anonymous" : "user name")
            + " identity (it offers: "
            + offered
            + ")");
  }

  /**
   * Checks the device's certificate against the trust list before Milo opens a secure channel: a
   * refusal is then one clear sentence (and the certificate lands in {@code rejected/}), instead of
   * an ERROR with a stack trace from Milo's channel handler at every retry.
   */
  static void checkServerCertificate(DeviceLinkOptions o, EndpointDescription endpoint)
      throws LinkException {
    byte[] der =
        endpoint.getServerCertificate() == null ? null : endpoint.getServerCertificate().bytes();
    if (der == null || der.length == 0) {
      throw LinkException.configuration(
          "device at " + o.endpointUrl() + " offers a secure endpoint without a certificate");
    }
    List<X509Certificate> chain;
    try {
      chain = CertificateUtil.decodeCertificates(der);
    } catch (UaException e) {
      throw LinkException.configuration(
          "device at "
              + o.endpointUrl()
              + " sent a certificate that does not decode: "
              + rootMessage(e),
          e);
    }
    try {
      ClientPki.forDir(o.pkiDir())
          .trustListValidator()
          .validateCertificateChain(chain, endpoint.getServer().getApplicationUri(), null);
    } catch (UaException e) {
      throw LinkException.configuration(
          "the device's certificate ("
              + chain.get(0).getSubjectX500Principal().getName()
              + ") is not trusted ("
              + Qualities.name(e.getStatusCode())
              + "): it was saved in "
              + o.pkiDir().resolve("rejected")
              + "; move it to "
              + o.pkiDir().resolve("trusted/certs")
              + " to trust it",
          e);
    }
  }

  private static boolean offers(EndpointDescription e, UserTokenType token) {
    UserTokenPolicy[] ps = e.getUserIdentityTokens();
    if (ps == null) {
      return false;
    }
    for (UserTokenPolicy p : ps) {
      if (p.getTokenType() == token) {
        return true;
      }
    }
    return false;
  }

  private static String tokens(EndpointDescription e) {
    UserTokenPolicy[] ps = e.getUserIdentityTokens();
    if (ps == null) {
      return "[]";
    }
    List<String> t = new ArrayList<>();
    for (UserTokenPolicy p : ps) {
      t.add(String.valueOf(p.getTokenType()));
    }
    return t.toString();
  }

  private static String shortPolicy(String uri) {
    return uri == null ? "?" : uri.substring(uri.lastIndexOf('#') + 1);
  }

  private static SecurityPolicy policy(DeviceLinkOptions o) {
    return "Basic256Sha256".equals(o.securityPolicy())
        ? SecurityPolicy.Basic256Sha256
        : SecurityPolicy.None;
  }

  private static OpcUaClientConfig clientConfig(DeviceLinkOptions o, EndpointDescription endpoint) {
    OpcUaClientConfigBuilder b =
        OpcUaClientConfig.builder()
            .setEndpoint(endpoint)
            .setApplicationName(LocalizedText.english("HepaLoop device link"))
            .setApplicationUri(ClientPki.APPLICATION_URI)
            .setProductUri("urn:hepaloop")
            // One session serves every reactor of the endpoint: the device's diagnostics name the
            // controller.
            .setSessionName(() -> "hepaloop device link")
            // Sessions we abandon on a lost link are reclaimed by the device after this.
            .setSessionTimeout(uint(30_000))
            .setRequestTimeout(uint(o.requestTimeoutMs()))
            .setKeepAliveInterval(uint(o.keepAliveIntervalMs()))
            .setKeepAliveTimeout(uint(o.keepAliveTimeoutMs()))
            .setKeepAliveFailuresAllowed(uint(o.keepAliveFailuresAllowed()))
            .setIdentityProvider(
                o.username() == null
                    ? new AnonymousProvider()
                    : new UsernameProvider(o.username(), o.password()));
    if (o.secure()) {
      ClientPki pki = ClientPki.forDir(o.pkiDir());
      CertificateValidator validator =
          o.serverTrust() == DeviceLinkOptions.ServerTrust.ANY
              ? new CertificateValidator.InsecureCertificateValidator()
              : pki.trustListValidator();
      b.setKeyPair(pki.keyPair())
          .setCertificate(pki.certificate())
          .setCertificateChain(new X509Certificate[] {pki.certificate()})
          .setCertificateValidator(validator);
    }
    return b.build();
  }

  static NodeId resolve(String nodeId, NamespaceTable namespaces, String what)
      throws LinkException {
    ExpandedNodeId x;
    try {
      x = ExpandedNodeId.parse(nodeId);
    } catch (RuntimeException e) {
      throw LinkException.configuration(what + ": NodeId '" + nodeId + "' does not parse", e);
    }
    return x.toNodeId(namespaces)
        .orElseThrow(
            () ->
                LinkException.configuration(
                    what
                        + ": the device has no namespace "
                        + x.getNamespaceUri()
                        + " (NodeId "
                        + nodeId
                        + ")"));
  }

  /**
   * The built-in type name a node declares ({@link DataType}, or String), or null when it is
   * abstract (Number, BaseDataType) or a custom type.
   */
  static String builtInName(NodeId dataType) {
    if (NodeIds.String.equals(dataType)) {
      return "String";
    }
    return DataType.ofNodeId(dataType).map(DataType::opcName).orElse(null);
  }

  /**
   * Reads every node's DataType attribute once, at connect, and refuses a device whose node type is
   * not the profile's: raw values of the wrong type would be scaled wrongly without a trace (a PLC
   * that publishes pressure as Float 12.3 where the profile expects a scaled Int32 0..10000 would
   * read as 0.123 mmHg). Abstract or vendor-specific types are accepted; nodes that cannot be read
   * are left to the subscription's own check, which names their status.
   */
  static void checkDataTypes(
      OpcUaClient client, DeviceLinkOptions o, Map<String, NodeId> nodes, NodeId watchdog)
      throws LinkException, UaException {
    List<String> ids = new ArrayList<>(nodes.keySet());
    List<ReadValueId> reads = new ArrayList<>();
    for (String id : ids) {
      reads.add(dataTypeRead(nodes.get(id)));
    }
    if (watchdog != null) {
      reads.add(dataTypeRead(watchdog));
    }
    DataValue[] results = client.read(0.0, TimestampsToReturn.Neither, reads).getResults();
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < reads.size() && results != null && i < results.length; i++) {
      DataValue dv = results[i];
      if (dv == null
          || dv.getStatusCode() == null
          || !dv.getStatusCode().isGood()
          || !(dv.getValue().getValue() instanceof NodeId dt)) {
        continue;
      }
      String actual = builtInName(dt);
      boolean isWatchdog = i == ids.size();
      String expected =
          isWatchdog
              ? o.profile().watchdog().dataType()
              : o.profile().requireSignal(ids.get(i)).dataType();
      if (actual != null && expected != null && !actual.equalsIgnoreCase(expected)) {
        String what =
            isWatchdog
                ? "watchdog (" + o.profile().watchdog().nodeIdFor(o.nodeIdReactor()) + ")"
                : ids.get(i)
                    + " ("
                    + o.profile().requireSignal(ids.get(i)).nodeIdFor(o.nodeIdReactor())
                    + ")";
        wrong.add(what + " is " + actual + " on the device, " + expected + " in the profile");
      }
    }
    if (!wrong.isEmpty()) {
      throw LinkException.configuration(
          "the device does not match profile "
              + o.profile().model()
              + ": "
              + String.join("; ", wrong)
              + " (values would be converted and scaled wrongly: fix the profile's dataType)");
    }
  }

  private static ReadValueId dataTypeRead(NodeId node) {
    return new ReadValueId(node, AttributeId.DataType.uid(), null, QualifiedName.NULL_VALUE);
  }

  /**
   * One monitored item's owner, as its user object: notifications of a shared subscription are
   * sorted by it.
   */
  record Item(ReactorSession reactor, SignalSpec spec) {}

  /** A subscription shared by reactors with the same publishing interval. */
  private final class SharedSubscription {
    final double publishingIntervalMs;
    final OpcUaSubscription subscription;

    /** Items placed or being placed; guarded by the session. */
    int reservedItems;

    /** Guarded by this subscription object: Milo's item bookkeeping is not thread-safe. */
    boolean created;

    /** Being re-created after the device ended it or it stopped publishing; guarded by this. */
    boolean recovering;

    SharedSubscription(double publishingIntervalMs) {
      this.publishingIntervalMs = publishingIntervalMs;
      this.subscription = new OpcUaSubscription(client, publishingIntervalMs);
      // Keep-alive from the device every 2 keep-alive intervals when nothing changes; Milo's
      // watchdog
      // declares the subscription dead after 1.5 × that without any publish response (≈ 3 s by
      // default):
      // quick enough to notice a hung device, lenient enough not to flap on a busy 2-core machine.
      subscription.setTargetKeepAliveInterval(
          Math.max(2.0 * opts.keepAliveIntervalMs(), publishingIntervalMs));
      subscription.setSubscriptionListener(subscriptionListener(this));
    }
  }

  private synchronized SharedSubscription reserve(double publishingIntervalMs, int items) {
    for (SharedSubscription s : subscriptions) {
      if (s.publishingIntervalMs == publishingIntervalMs
          && s.reservedItems + items <= MAX_ITEMS_PER_SUBSCRIPTION) {
        s.reservedItems += items;
        return s;
      }
    }
    SharedSubscription s = new SharedSubscription(publishingIntervalMs);
    s.reservedItems = items;
    subscriptions.add(s);
    return s;
  }

  /** Gives items back; a subscription left empty is deleted (or never created). */
  private void unreserve(SharedSubscription s, int items) {
    boolean empty;
    synchronized (this) {
      s.reservedItems -= items;
      empty = s.reservedItems == 0;
      if (empty) {
        subscriptions.remove(s);
      }
    }
    if (empty && !lost) {
      synchronized (s) {
        if (s.created) {
          s.created = false;
          s.subscription.deleteAsync();
        }
      }
    }
  }

  private void subscribe(ReactorSession rs) throws LinkException, UaException {
    DeviceLinkOptions o = rs.options();
    List<OpcUaMonitoredItem> items = new ArrayList<>();
    for (SignalSpec s : o.profile().signals()) {
      OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(rs.node(s.id()));
      item.setSamplingInterval(s.samplingIntervalMsOrDefault());
      double deadbandRaw = rawDeadband(s);
      if (deadbandRaw > 0) {
        item.setFilter(
            new DataChangeFilter(
                DataChangeTrigger.StatusValue,
                uint(DeadbandType.Absolute.getValue()),
                deadbandRaw));
      }
      item.setUserObject(new Item(rs, s));
      items.add(item);
    }
    SharedSubscription shared = reserve(o.publishingIntervalMsOrDefault(), items.size());
    boolean placed = false;
    try {
      List<String> bad = new ArrayList<>();
      StatusCode serviceFailure = null;
      synchronized (shared) {
        if (shared.recovering) {
          throw new LinkException(
              "the device's subscription for this reactor is being re-created; retrying");
        }
        if (!shared.created) {
          try {
            shared.subscription.create();
          } catch (UaException e) {
            boolean limit = e.getStatusCode().getValue() == StatusCodes.Bad_TooManySubscriptions;
            throw new LinkException(
                "the device refused a subscription ("
                    + Qualities.name(e.getStatusCode())
                    + ")"
                    + (limit
                        ? ": it allows fewer subscriptions per session than this endpoint's reactors need"
                        : ""),
                e,
                limit);
          }
          shared.created = true;
        }
        Set<OpcUaMonitoredItem> mine =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        mine.addAll(items);
        shared.subscription.addMonitoredItems(items);
        for (MonitoredItemServiceOperationResult r :
            shared.subscription.createMonitoredItems(mine::contains)) {
          if (!r.serviceResult().isGood()) {
            serviceFailure =
                r.serviceResult(); // the request failed, not the items: a session problem
          } else if (!r.isGood()) {
            SignalSpec s = ((Item) r.monitoredItem().getUserObject().orElseThrow()).spec();
            StatusCode sc = r.operationResult().orElse(r.serviceResult());
            bad.add(s.id() + " (" + s.nodeIdFor(o.nodeIdReactor()) + "): " + Qualities.name(sc));
          }
        }
        if (!bad.isEmpty() || serviceFailure != null) {
          // Only this reactor's items go; the subscription and the neighbours' items stay.
          shared.subscription.removeMonitoredItems(items);
          shared.subscription.deleteMonitoredItems();
        }
      }
      if (serviceFailure != null) {
        throw new LinkException(
            "creating the monitored items failed (" + Qualities.name(serviceFailure) + ")");
      }
      if (!bad.isEmpty()) {
        throw LinkException.configuration(
            "the device does not match profile "
                + o.profile().model()
                + ": cannot monitor "
                + String.join("; ", bad));
      }
      rs.placed(shared, items);
      placed = true;
    } finally {
      if (!placed) {
        unreserve(shared, items.size());
      }
    }
  }

  /**
   * Removes one reactor's monitored items (its link stopped, or lost only its own part).
   * Non-blocking.
   */
  CompletableFuture<Void> detach(ReactorSession rs, Object where, List<OpcUaMonitoredItem> items) {
    reactors.remove(rs);
    if (!(where instanceof SharedSubscription shared) || items.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    if (lost) {
      unreserve(shared, items.size());
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.runAsync(
            () -> {
              synchronized (shared) {
                if (shared.created) {
                  shared.subscription.removeMonitoredItems(items);
                  shared.subscription.deleteMonitoredItems();
                }
              }
              unreserve(shared, items.size());
            },
            housekeeping)
        .exceptionally(ex -> null);
  }

  /** The profile's deadband is in engineering units; the device filters raw values. */
  static double rawDeadband(SignalSpec s) {
    double eng = s.deadbandOrZero();
    if (eng <= 0) {
      return 0;
    }
    return Math.abs(s.toRaw(eng) - s.toRaw(0.0));
  }

  private SubscriptionListener subscriptionListener(SharedSubscription shared) {
    return new SubscriptionListener() {
      @Override
      public void onDataReceived(
          OpcUaSubscription subscription, List<OpcUaMonitoredItem> items, List<DataValue> values) {
        if (lost) {
          return;
        }
        // One notification carries values of several reactors: one batch per reactor, in order.
        Map<ReactorSession, List<Sample>> byReactor = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
          if (items.get(i).getUserObject().orElse(null) instanceof Item it
              && !it.reactor().isLost()) {
            DeviceLinkOptions o = it.reactor().options();
            byReactor
                .computeIfAbsent(it.reactor(), r -> new ArrayList<>())
                .add(
                    SampleConverter.toSample(
                        o.reactorId(), it.spec(), values.get(i), o.clock().now()));
          }
        }
        byReactor.forEach(ReactorSession::deliver);
      }

      @Override
      public void onWatchdogTimerElapsed(OpcUaSubscription subscription) {
        recover(
            shared,
            "no publish response or keep-alive for the subscription within its watchdog time");
      }

      @Override
      public void onStatusChanged(OpcUaSubscription subscription, StatusCode status) {
        if (status.isBad()) {
          recover(shared, "the device ended the subscription (" + Qualities.name(status) + ")");
        }
      }

      @Override
      public void onTransferFailed(OpcUaSubscription subscription, StatusCode status) {
        markLost(
            "the subscription could not be transferred to a new session ("
                + Qualities.name(status)
                + ")");
      }
    };
  }

  /**
   * One subscription stopped while the session may be fine (publishes belong to the session, but a
   * device can end or stop serving one subscription alone): its reactors hear it and go stale, the
   * subscription is re-created with every monitored item it had, and they hear it is back. The
   * other subscriptions' reactors never notice. If re-creating fails (the session itself is gone,
   * or the device refuses), the session is ended for every reactor, as before. Milo thread; the
   * re-creation runs on the housekeeping threads (Milo's synchronous API).
   */
  private void recover(SharedSubscription shared, String reason) {
    synchronized (shared) {
      if (lost || closed || !shared.created || shared.recovering) {
        return;
      }
      shared.recovering = true;
    }
    for (ReactorSession rs : reactorsIn(shared)) {
      rs.subscriptionLost(reason + "; re-creating it");
    }
    try {
      housekeeping.execute(() -> recreate(shared, reason));
    } catch (RuntimeException e) {
      markLost(reason + "; re-creating the subscription failed: " + rootMessage(e));
    }
  }

  private List<ReactorSession> reactorsIn(SharedSubscription shared) {
    List<ReactorSession> in = new ArrayList<>();
    for (ReactorSession rs : reactors) {
      if (rs.subscription() == shared) {
        in.add(rs);
      }
    }
    return in;
  }

  private void recreate(SharedSubscription shared, String reason) {
    Set<ReactorSession> failed = new java.util.HashSet<>();
    try {
      synchronized (shared) {
        if (lost || !shared.created) {
          return; // the session went meanwhile, or the last reactor left it
        }
        OpcUaSubscription sub = shared.subscription;
        try {
          // The device may still hold it (it only stopped publishing): free its place there.
          sub.delete();
        } catch (UaException e) {
          if (Qualities.unanswered(e, null)) {
            throw e; // the session carries no request: it is the session that is gone
          }
          // Bad_SubscriptionIdInvalid (already reset by Milo) or another refusal: it is gone.
        }
        sub.reset();
        sub.create();
        for (MonitoredItemServiceOperationResult r : sub.createMonitoredItems()) {
          if (!r.serviceResult().isGood()) {
            throw new UaException(r.serviceResult(), "creating the monitored items failed");
          }
          if (!r.isGood() && r.monitoredItem().getUserObject().orElse(null) instanceof Item it) {
            failed.add(it.reactor());
          }
        }
        shared.recovering = false;
      }
    } catch (Exception e) {
      markLost(reason + "; re-creating the subscription failed: " + rootMessage(e));
      return;
    }
    for (ReactorSession rs : reactorsIn(shared)) {
      if (failed.contains(rs)) {
        // The device no longer serves this reactor's nodes: its link re-attaches it alone, which
        // names the node.
        rs.sessionLost(
            "the device refused this reactor's items when the subscription was re-created");
      } else {
        rs.subscriptionRestored();
      }
    }
  }

  private SessionActivityListener sessionListener() {
    return new SessionActivityListener() {
      @Override
      public void onSessionInactive(UaSession session) {
        markLost("session lost (connection closed or keep-alive unanswered)");
      }
    };
  }

  /** The session is gone for every reactor on it: each hears it once, then the client is closed. */
  void markLost(String reason) {
    synchronized (this) {
      if (lost) {
        return;
      }
      lost = true;
    }
    if (!closed) {
      for (ReactorSession rs : reactors) {
        rs.sessionLost(reason);
      }
    }
    reactors.clear();
    client.disconnectAsync();
  }

  boolean isLost() {
    return lost;
  }

  /** Reactors attached now. */
  int reactorCount() {
    return reactors.size();
  }

  /**
   * Writes one value (Value attribute only, no timestamps: OPC UA Part 4, 5.10.4). Non-blocking.
   */
  CompletableFuture<StatusCode> write(NodeId node, Variant value) {
    return client
        .writeValuesAsync(List.of(node), List.of(DataValue.valueOnly(value)))
        .thenApply(l -> l.get(0));
  }

  /** Closes the session and the connection (the last link stopped); tells nobody. Non-blocking. */
  CompletableFuture<Void> close() {
    closed = true;
    markLost("session closed");
    return CompletableFuture.completedFuture(null);
  }

  // ---- error messages an operator can act on ----

  private static String unreachable(DeviceLinkOptions o, Throwable e) {
    Throwable root = root(e);
    if (root instanceof ConnectException) {
      return "cannot reach " + o.endpointUrl() + ": connection refused (device or simulator down?)";
    }
    if (e instanceof TimeoutException
        || root instanceof java.net.SocketTimeoutException
        || root instanceof io.netty.channel.ConnectTimeoutException) {
      return "no answer from "
          + o.endpointUrl()
          + " within "
          + (o.connectTimeoutMs() + o.requestTimeoutMs())
          + " ms";
    }
    return "cannot reach " + o.endpointUrl() + ": " + rootMessage(e);
  }

  private static boolean isConfigurationError(UaException e) {
    long code = e.getStatusCode().getValue();
    return code == StatusCodes.Bad_UserAccessDenied
        || code == StatusCodes.Bad_IdentityTokenInvalid
        || code == StatusCodes.Bad_IdentityTokenRejected
        || code == StatusCodes.Bad_CertificateUntrusted
        || code == StatusCodes.Bad_SecurityChecksFailed
        || code == StatusCodes.Bad_CertificateInvalid;
  }

  static String connectFailure(DeviceLinkOptions o, UaException e) {
    long code = e.getStatusCode().getValue();
    String name = Qualities.name(code);
    if (code == StatusCodes.Bad_UserAccessDenied
        || code == StatusCodes.Bad_IdentityTokenInvalid
        || code == StatusCodes.Bad_IdentityTokenRejected) {
      return "the device refused user '"
          + o.username()
          + "' ("
          + name
          + "): wrong user name or password";
    }
    if (code == StatusCodes.Bad_CertificateUntrusted
        || code == StatusCodes.Bad_SecurityChecksFailed
        || code == StatusCodes.Bad_CertificateInvalid) {
      return "certificate check failed ("
          + name
          + "): if the device's certificate is in "
          + o.pkiDir()
          + "/rejected, move it to "
          + o.pkiDir()
          + "/trusted/certs; also check that the device trusts HepaLoop's certificate";
    }
    Throwable root = root(e);
    if (root instanceof ConnectException) {
      return "cannot reach " + o.endpointUrl() + ": connection refused (device or simulator down?)";
    }
    return "connecting to " + o.endpointUrl() + " failed (" + name + "): " + rootMessage(e);
  }

  private static Throwable root(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  static String rootMessage(Throwable e) {
    Throwable r = root(e);
    return r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage();
  }
}
