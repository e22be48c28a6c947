package io.hepaloop.device;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import io.hepaloop.core.DataType;
import io.hepaloop.profile.SignalSpec;
import java.net.ConnectException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DeadbandType;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;
import org.eclipse.milo.opcua.stack.transport.client.tcp.OpcTcpClientTransport;
import org.eclipse.milo.opcua.stack.transport.client.tcp.OpcTcpClientTransportConfig;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription.SubscriptionListener;

/**
 * One OPC UA session of a device link: a Milo client, its subscription to every sensor and actuator,
 * and the resolved NodeIds. Protocol only; the lifecycle (states, backoff, stale values, the event bus)
 * is {@link DeviceLink}'s.
 *
 * <p>{@link #open} uses Milo's synchronous API and must run on a worker thread. After that, every
 * callback reaches {@link Listener} on a Milo thread; the listener must hand the data on and return.
 *
 * <p>A session is used once: when it is lost the link closes it and opens a new one. Milo's own
 * reconnect (1 → 16 s waits) and subscription transfer are therefore never relied upon; a new session
 * always creates its subscription afresh, which is what Milo's transfer would fail to do after a device
 * restart anyway (Bad_SubscriptionIdInvalid).
 */
final class MiloSession {
  /** Callbacks from Milo threads. */
  interface Listener {
    void onSamples(List<Sample> samples);

    /** The session or its subscription is gone; called at most once per session. */
    void onLost(String reason);
  }

  private final DeviceLinkOptions opts;
  private final OpcUaClient client;
  private final Map<String, NodeId> nodes;
  private final NodeId watchdogNode;
  private volatile boolean lost;
  private volatile Listener listener;

  private MiloSession(DeviceLinkOptions opts, OpcUaClient client, Map<String, NodeId> nodes, NodeId watchdogNode) {
    this.opts = opts;
    this.client = client;
    this.nodes = nodes;
    this.watchdogNode = watchdogNode;
  }

  /**
   * Connects, resolves the NodeIds by namespace URI, subscribes every signal. Blocking.
   *
   * @throws LinkException with a sentence an operator can act on
   */
  static MiloSession open(DeviceLinkOptions o, Listener listener) throws LinkException {
    EndpointDescription endpoint = selectEndpoint(o, discover(o));
    if (o.secure() && o.serverTrust() == DeviceLinkOptions.ServerTrust.TRUST_LIST) {
      checkServerCertificate(o, endpoint);
    }
    OpcUaClient client;
    try {
      client = new OpcUaClient(clientConfig(o, endpoint), new OpcTcpClientTransport(
          OpcTcpClientTransportConfig.newBuilder().setConnectTimeout(uint(o.connectTimeoutMs())).build()));
    } catch (RuntimeException e) {
      throw new LinkException("cannot configure the OPC UA client: " + rootMessage(e), e);
    }
    try {
      client.connect();
    } catch (UaException e) {
      client.disconnectAsync();
      throw new LinkException(connectFailure(o, e), e, isConfigurationError(e));
    }
    MiloSession session = null;
    try {
      NamespaceTable namespaces = client.readNamespaceTable();
      Map<String, NodeId> nodes = new LinkedHashMap<>();
      for (SignalSpec s : o.profile().signals()) {
        nodes.put(s.id(), resolve(s.nodeIdFor(o.nodeIdReactor()), namespaces, "signal " + s.id()));
      }
      // A monitoring-only profile (no actuators) may have no watchdog: nothing to keep safe.
      NodeId watchdog = o.profile().watchdog() == null ? null
          : resolve(o.profile().watchdog().nodeIdFor(o.nodeIdReactor()), namespaces, "watchdog");
      checkDataTypes(client, o, nodes, watchdog);
      session = new MiloSession(o, client, nodes, watchdog);
      session.listener = listener;
      client.addSessionActivityListener(session.sessionListener());
      session.subscribe();
      return session;
    } catch (LinkException e) {
      abandon(session, client);
      throw e;
    } catch (Exception e) {
      abandon(session, client);
      throw new LinkException("subscribing failed: " + rootMessage(e), e);
    }
  }

  /** Closes a half-opened session without reporting it as "lost": it was never handed to the link. */
  private static void abandon(MiloSession session, OpcUaClient client) {
    if (session != null) {
      session.close();
    } else {
      client.disconnectAsync();
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
      String discoveryUrl = o.endpointUrl().endsWith("/") ? o.endpointUrl() + "discovery" : o.endpointUrl() + "/discovery";
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
   * refused connection or a timeout is not retried on another URL (it would only double the wait and
   * make the device log an error).
   */
  private static boolean refusedDiscovery(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UaException ua) {
        long c = ua.getStatusCode().getValue();
        return c == StatusCodes.Bad_TcpEndpointUrlInvalid || c == StatusCodes.Bad_SecurityPolicyRejected
            || c == StatusCodes.Bad_SecurityModeRejected || c == StatusCodes.Bad_ServiceUnsupported
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
  static EndpointDescription selectEndpoint(DeviceLinkOptions o, List<EndpointDescription> endpoints) throws LinkException {
    String policyUri = policy(o).getUri();
    MessageSecurityMode mode = MessageSecurityMode.valueOf(o.securityMode());
    UserTokenType token = o.username() == null ? UserTokenType.Anonymous : UserTokenType.UserName;
    for (EndpointDescription e : endpoints) {
      if (policyUri.equals(e.getSecurityPolicyUri()) && e.getSecurityMode() == mode && offers(e, token)) {
        String host = EndpointUtil.getHost(o.endpointUrl());
        int port = EndpointUtil.getPort(o.endpointUrl());
        // The URL we were given reaches the device; what it advertises may not (0.0.0.0, NAT, a hostname).
        return EndpointUtil.updateUrl(e, host, port);
      }
    }
    String offered = endpoints.stream()
        .map(e -> shortPolicy(e.getSecurityPolicyUri()) + "/" + e.getSecurityMode() + " " + tokens(e))
        .distinct()
        .collect(Collectors.joining(", "));
    throw LinkException.configuration("device at " + o.endpointUrl() + " offers no endpoint with " + o.securityPolicy() + "/"
        + o.securityMode() + " and " + (o.username() == null ? "anonymous" : "user name") + " identity (it offers: " + offered + ")");
  }

  /**
   * Checks the device's certificate against the trust list before Milo opens a secure channel: a
   * refusal is then one clear sentence (and the certificate lands in {@code rejected/}), instead of an
   * ERROR with a stack trace from Milo's channel handler at every retry.
   */
  static void checkServerCertificate(DeviceLinkOptions o, EndpointDescription endpoint) throws LinkException {
    byte[] der = endpoint.getServerCertificate() == null ? null : endpoint.getServerCertificate().bytes();
    if (der == null || der.length == 0) {
      throw LinkException.configuration("device at " + o.endpointUrl() + " offers a secure endpoint without a certificate");
    }
    List<X509Certificate> chain;
    try {
      chain = CertificateUtil.decodeCertificates(der);
    } catch (UaException e) {
      throw LinkException.configuration("device at " + o.endpointUrl() + " sent a certificate that does not decode: " + rootMessage(e), e);
    }
    try {
      ClientPki.forDir(o.pkiDir()).trustListValidator()
          .validateCertificateChain(chain, endpoint.getServer().getApplicationUri(), null);
    } catch (UaException e) {
      throw LinkException.configuration("the device's certificate (" + chain.get(0).getSubjectX500Principal().getName() + ") is not trusted ("
          + Qualities.name(e.getStatusCode()) + "): it was saved in " + o.pkiDir().resolve("rejected")
          + "; move it to " + o.pkiDir().resolve("trusted/certs") + " to trust it", e);
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
    return "Basic256Sha256".equals(o.securityPolicy()) ? SecurityPolicy.Basic256Sha256 : SecurityPolicy.None;
  }

  private static OpcUaClientConfig clientConfig(DeviceLinkOptions o, EndpointDescription endpoint) {
    OpcUaClientConfigBuilder b = OpcUaClientConfig.builder()
        .setEndpoint(endpoint)
        .setApplicationName(LocalizedText.english("HepaLoop device link"))
        .setApplicationUri(ClientPki.APPLICATION_URI)
        .setProductUri("urn:hepaloop")
        .setSessionName(() -> "hepaloop:" + o.reactorId())
        // Sessions we abandon on a lost link are reclaimed by the device after this.
        .setSessionTimeout(uint(30_000))
        .setRequestTimeout(uint(o.requestTimeoutMs()))
        .setKeepAliveInterval(uint(o.keepAliveIntervalMs()))
        .setKeepAliveTimeout(uint(o.keepAliveTimeoutMs()))
        .setKeepAliveFailuresAllowed(uint(o.keepAliveFailuresAllowed()))
        .setIdentityProvider(o.username() == null ? new AnonymousProvider() : new UsernameProvider(o.username(), o.password()));
    if (o.secure()) {
      ClientPki pki = ClientPki.forDir(o.pkiDir());
      CertificateValidator validator = o.serverTrust() == DeviceLinkOptions.ServerTrust.ANY
          ? new CertificateValidator.InsecureCertificateValidator()
          : pki.trustListValidator();
      b.setKeyPair(pki.keyPair())
          .setCertificate(pki.certificate())
          .setCertificateChain(new X509Certificate[] {pki.certificate()})
          .setCertificateValidator(validator);
    }
    return b.build();
  }

  static NodeId resolve(String nodeId, NamespaceTable namespaces, String what) throws LinkException {
    ExpandedNodeId x;
    try {
      x = ExpandedNodeId.parse(nodeId);
    } catch (RuntimeException e) {
      throw LinkException.configuration(what + ": NodeId '" + nodeId + "' does not parse", e);
    }
    return x.toNodeId(namespaces).orElseThrow(() -> LinkException.configuration(what + ": the device has no namespace "
        + x.getNamespaceUri() + " (NodeId " + nodeId + ")"));
  }

  /**
   * The built-in type name a node declares ({@link DataType}, or String), or null when it is abstract
   * (Number, BaseDataType) or a custom type.
   */
  static String builtInName(NodeId dataType) {
    if (NodeIds.String.equals(dataType)) {
      return "String";
    }
    return DataType.ofNodeId(dataType).map(DataType::opcName).orElse(null);
  }

  /**
   * Reads every node's DataType attribute once, at connect, and refuses a device whose node type is not
   * the profile's: raw values of the wrong type would be scaled wrongly without a trace (a PLC that
   * publishes pressure as Float 12.3 where the profile expects a scaled Int32 0..10000 would read as
   * 0.123 mmHg). Abstract or vendor-specific types are accepted; nodes that cannot be read are left to
   * the subscription's own check, which names their status.
   */
  static void checkDataTypes(OpcUaClient client, DeviceLinkOptions o, Map<String, NodeId> nodes, NodeId watchdog)
      throws LinkException, UaException {
    List<String> ids = new ArrayList<>(nodes.keySet());
    List<ReadValueId> reads = new ArrayList<>();
    for (String id : ids) {
      reads.add(dataTypeRead(nodes.get(id)));
    }
    if (watchdog != null) {
      reads.add(dataTypeRead(watchdog));
    }
    DataValue[] results = client.read(0.0, TimestampsToReturn.Neither, reads)
        .getResults();
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < reads.size() && results != null && i < results.length; i++) {
      DataValue dv = results[i];
      if (dv == null || dv.getStatusCode() == null || !dv.getStatusCode().isGood() || !(dv.getValue().getValue() instanceof NodeId dt)) {
        continue;
      }
      String actual = builtInName(dt);
      boolean isWatchdog = i == ids.size();
      String expected = isWatchdog ? o.profile().watchdog().dataType() : o.profile().requireSignal(ids.get(i)).dataType();
      if (actual != null && expected != null && !actual.equalsIgnoreCase(expected)) {
        String what = isWatchdog ? "watchdog (" + o.profile().watchdog().nodeIdFor(o.nodeIdReactor()) + ")"
            : ids.get(i) + " (" + o.profile().requireSignal(ids.get(i)).nodeIdFor(o.nodeIdReactor()) + ")";
        wrong.add(what + " is " + actual + " on the device, " + expected + " in the profile");
      }
    }
    if (!wrong.isEmpty()) {
      throw LinkException.configuration("the device does not match profile " + o.profile().model() + ": "
          + String.join("; ", wrong) + " (values would be converted and scaled wrongly: fix the profile's dataType)");
    }
  }

  private static ReadValueId dataTypeRead(NodeId node) {
    return new ReadValueId(node,
        AttributeId.DataType.uid(), null,
        QualifiedName.NULL_VALUE);
  }

  private void subscribe() throws LinkException, UaException {
    OpcUaSubscription sub = new OpcUaSubscription(client, opts.publishingIntervalMsOrDefault());
    // Keep-alive from the device every 2 keep-alive intervals when nothing changes; Milo's watchdog
    // declares the subscription dead after 1.5 × that without any publish response (≈ 3 s by default):
    // quick enough to notice a hung device, lenient enough not to flap on a busy 2-core machine.
    sub.setTargetKeepAliveInterval(Math.max(2.0 * opts.keepAliveIntervalMs(), opts.publishingIntervalMsOrDefault()));
    sub.setSubscriptionListener(subscriptionListener());
    sub.create();
    List<OpcUaMonitoredItem> items = new ArrayList<>();
    for (SignalSpec s : opts.profile().signals()) {
      OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(nodes.get(s.id()));
      item.setSamplingInterval(s.samplingIntervalMsOrDefault());
      double deadbandRaw = rawDeadband(s);
      if (deadbandRaw > 0) {
        item.setFilter(new DataChangeFilter(DataChangeTrigger.StatusValue, uint(DeadbandType.Absolute.getValue()), deadbandRaw));
      }
      item.setUserObject(s);
      items.add(item);
    }
    sub.addMonitoredItems(items);
    List<String> bad = new ArrayList<>();
    for (MonitoredItemServiceOperationResult r : sub.createMonitoredItems()) {
      if (!r.isGood()) {
        SignalSpec s = (SignalSpec) r.monitoredItem().getUserObject().orElseThrow();
        StatusCode sc = r.operationResult().orElse(r.serviceResult());
        bad.add(s.id() + " (" + s.nodeIdFor(opts.nodeIdReactor()) + "): " + Qualities.name(sc));
      }
    }
    if (!bad.isEmpty()) {
      throw LinkException.configuration("the device does not match profile " + opts.profile().model() + ": cannot monitor " + String.join("; ", bad));
    }
  }

  /** The profile's deadband is in engineering units; the device filters raw values. */
  static double rawDeadband(SignalSpec s) {
    double eng = s.deadbandOrZero();
    if (eng <= 0) {
      return 0;
    }
    return Math.abs(s.toRaw(eng) - s.toRaw(0.0));
  }

  private SubscriptionListener subscriptionListener() {
    return new SubscriptionListener() {
      @Override
      public void onDataReceived(OpcUaSubscription subscription, List<OpcUaMonitoredItem> items, List<DataValue> values) {
        Listener l = listener;
        if (l == null || lost) {
          return;
        }
        Instant now = opts.clock().now();
        List<Sample> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
          Object spec = items.get(i).getUserObject().orElse(null);
          if (spec instanceof SignalSpec s) {
            out.add(SampleConverter.toSample(opts.reactorId(), s, values.get(i), now));
          }
        }
        if (!out.isEmpty()) {
          l.onSamples(out);
        }
      }

      @Override
      public void onWatchdogTimerElapsed(OpcUaSubscription subscription) {
        markLost("no publish response or keep-alive from the device within the subscription's watchdog time");
      }

      @Override
      public void onStatusChanged(OpcUaSubscription subscription, StatusCode status) {
        if (status.isBad()) {
          markLost("the device ended the subscription (" + Qualities.name(status) + ")");
        }
      }

      @Override
      public void onTransferFailed(OpcUaSubscription subscription, StatusCode status) {
        markLost("the subscription could not be transferred to a new session (" + Qualities.name(status) + ")");
      }
    };
  }

  private SessionActivityListener sessionListener() {
    return new SessionActivityListener() {
      @Override
      public void onSessionInactive(UaSession session) {
        markLost("session lost (connection closed or keep-alive unanswered)");
      }
    };
  }

  private void markLost(String reason) {
    if (lost) {
      return;
    }
    lost = true;
    Listener l = listener;
    if (l != null) {
      l.onLost(reason);
    }
  }

  boolean isLost() {
    return lost;
  }

  NodeId node(String signalId) {
    return nodes.get(signalId);
  }

  NodeId watchdogNode() {
    return watchdogNode;
  }

  /** Writes one value (Value attribute only, no timestamps: OPC UA Part 4, 5.10.4). Non-blocking. */
  CompletableFuture<StatusCode> write(NodeId node, Variant value) {
    return client.writeValuesAsync(List.of(node), List.of(DataValue.valueOnly(value))).thenApply(l -> l.get(0));
  }

  /** Closes the session and the connection; stops Milo's own reconnect. Non-blocking. */
  CompletableFuture<Void> close() {
    lost = true;
    listener = null;
    return client.disconnectAsync().handle((c, ex) -> null);
  }

  // ---- error messages an operator can act on ----

  private static String unreachable(DeviceLinkOptions o, Throwable e) {
    Throwable root = root(e);
    if (root instanceof ConnectException) {
      return "cannot reach " + o.endpointUrl() + ": connection refused (device or simulator down?)";
    }
    if (e instanceof TimeoutException || root instanceof java.net.SocketTimeoutException
        || root instanceof io.netty.channel.ConnectTimeoutException) {
      return "no answer from " + o.endpointUrl() + " within " + (o.connectTimeoutMs() + o.requestTimeoutMs()) + " ms";
    }
    return "cannot reach " + o.endpointUrl() + ": " + rootMessage(e);
  }

  private static boolean isConfigurationError(UaException e) {
    long code = e.getStatusCode().getValue();
    return code == StatusCodes.Bad_UserAccessDenied || code == StatusCodes.Bad_IdentityTokenInvalid
        || code == StatusCodes.Bad_IdentityTokenRejected || code == StatusCodes.Bad_CertificateUntrusted
        || code == StatusCodes.Bad_SecurityChecksFailed || code == StatusCodes.Bad_CertificateInvalid;
  }

  static String connectFailure(DeviceLinkOptions o, UaException e) {
    long code = e.getStatusCode().getValue();
    String name = Qualities.name(code);
    if (code == StatusCodes.Bad_UserAccessDenied || code == StatusCodes.Bad_IdentityTokenInvalid
        || code == StatusCodes.Bad_IdentityTokenRejected) {
      return "the device refused user '" + o.username() + "' (" + name + "): wrong user name or password";
    }
    if (code == StatusCodes.Bad_CertificateUntrusted || code == StatusCodes.Bad_SecurityChecksFailed
        || code == StatusCodes.Bad_CertificateInvalid) {
      return "certificate check failed (" + name + "): if the device's certificate is in " + o.pkiDir() + "/rejected, move it to "
          + o.pkiDir() + "/trusted/certs; also check that the device trusts HepaLoop's certificate";
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
