package io.hepaloop.sim;

import static org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS;
import static org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig.USER_TOKEN_POLICY_USERNAME;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.IdentityValidator;
import org.eclipse.milo.opcua.sdk.server.nodes.factories.NodeFactory;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.BuildInfo;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Milo OPC UA server on one port, serving one or more simulated reactors. It can be stopped and
 * started again on the same port (a device restart) and silenced (a comms drop); the reactors keep
 * running meanwhile, as a plant does when only its controller's link is down.
 */
final class SimServer {
  private static final Logger LOG = LoggerFactory.getLogger(SimServer.class);

  private final String name;
  private final List<SimulatedReactor> reactors;
  private final SimulatorOptions options;
  private final ServerPki pki;
  private final IdentityValidator identityValidator;
  private final String host;
  private volatile int port;
  private final CommsSilencer silencer = new CommsSilencer();

  private volatile OpcUaServer server;
  private volatile ReactorNamespace namespace;

  SimServer(
      String name,
      List<SimulatedReactor> reactors,
      SimulatorOptions options,
      ServerPki pki,
      IdentityValidator identityValidator,
      String host,
      int port) {
    this.name = name;
    this.reactors = List.copyOf(reactors);
    this.options = options;
    this.pki = pki;
    this.identityValidator = identityValidator;
    this.host = host;
    this.port = port;
  }

  String endpointUrl() {
    return "opc.tcp://" + host + ":" + port + options.path();
  }

  int port() {
    return port;
  }

  /** Before the first start only: another port, when the free port picked was taken meanwhile. */
  synchronized void usePort(int newPort) {
    if (server != null) {
      throw new IllegalStateException("cannot change the port of a running server");
    }
    this.port = newPort;
  }

  List<SimulatedReactor> reactors() {
    return reactors;
  }

  boolean running() {
    return server != null;
  }

  synchronized void start() throws Exception {
    if (server != null) {
      return;
    }
    forgetCachedTypeHierarchies();
    OpcUaServer s =
        new OpcUaServer(
            config(),
            transportProfile ->
                new OpcTcpServerTransport(
                    OpcTcpServerTransportConfig.newBuilder()
                        .setChannelPipelineCustomizer(silencer::install)
                        .build()));
    silencer.accept();
    ReactorNamespace ns = new ReactorNamespace(s, options.profile(), reactors, options.tickMs());
    ns.startup();
    try {
      s.startup().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      ns.shutdown();
      s.shutdown();
      throw new IllegalStateException(
          "simulator server "
              + name
              + " could not listen on "
              + options.bindAddress()
              + ":"
              + port
              + ": "
              + e.getMessage(),
          e);
    }
    namespace = ns;
    server = s;
    LOG.info("simulator server {} listening at {}", name, endpointUrl());
  }

  synchronized void stop() {
    OpcUaServer s = server;
    if (s == null) {
      return;
    }
    server = null;
    ReactorNamespace ns = namespace;
    namespace = null;
    silencer.closeAll(); // before Milo's unbind: no connection accepted meanwhile survives it
    try {
      s.shutdown().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("simulator server {}: error while stopping: {}", name, e.toString());
    }
    if (ns != null) {
      ns.shutdown();
    }
    forgetCachedTypeHierarchies();
    LOG.info("simulator server {} stopped", name);
  }

  /**
   * Milo caches each type's instance hierarchy in a static, JVM-wide cache. A session event handled
   * while a server shuts down builds the session-diagnostics hierarchy against a half-removed
   * address space, and every server started later in the JVM then fails to create session
   * diagnostics (NPE in SessionDiagnosticsVariable). Measured with Milo 1.0.5 on stop/start; the
   * cure is to drop those entries around every stop and start.
   */
  private static void forgetCachedTypeHierarchies() {
    for (NodeId type :
        List.of(
            NodeIds.SessionDiagnosticsObjectType,
            NodeIds.SessionDiagnosticsVariableType,
            NodeIds.SessionSecurityDiagnosticsType,
            NodeIds.SubscriptionDiagnosticsType,
            NodeIds.SessionDiagnosticsArrayType,
            NodeIds.SessionSecurityDiagnosticsArrayType,
            NodeIds.SubscriptionDiagnosticsArrayType)) {
      NodeFactory.invalidateCachedIdh(type);
    }
  }

  void silence() {
    LOG.info("simulator server {}: comms drop begins (server stops answering)", name);
    silencer.silence();
  }

  void resume() {
    silencer.resume();
    LOG.info("simulator server {}: comms drop ends", name);
  }

  boolean silent() {
    return silencer.silent();
  }

  int connections() {
    return silencer.connections();
  }

  /** Called by the tick thread after the reactors have stepped. */
  void publish(long nowNanos) {
    ReactorNamespace ns = namespace;
    if (ns != null) {
      ns.publish(nowNanos);
    }
  }

  int monitoredItemCount() {
    ReactorNamespace ns = namespace;
    return ns == null ? 0 : ns.monitoredItemCount();
  }

  private OpcUaServerConfig config() {
    Set<EndpointConfig> endpoints = new LinkedHashSet<>();
    EndpointConfig.Builder base =
        EndpointConfig.newBuilder()
            .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
            .setBindAddress(options.bindAddress())
            .setBindPort(port)
            .setHostname(host)
            .setPath(options.path())
            .setCertificate(pki.certificate());
    if (options.allowAnonymous()) {
      base.addTokenPolicy(USER_TOKEN_POLICY_ANONYMOUS);
    }
    if (!options.users().isEmpty()) {
      base.addTokenPolicy(USER_TOKEN_POLICY_USERNAME);
    }
    if (options.allowNone()) {
      endpoints.add(
          base.copy()
              .setSecurityPolicy(SecurityPolicy.None)
              .setSecurityMode(MessageSecurityMode.None)
              .build());
    }
    if (options.allowSignAndEncrypt()) {
      endpoints.add(
          base.copy()
              .setSecurityPolicy(SecurityPolicy.Basic256Sha256)
              .setSecurityMode(MessageSecurityMode.SignAndEncrypt)
              .build());
    }
    // Part 6: a discovery endpoint without security, so clients can find the secure endpoints.
    endpoints.add(
        base.copy()
            .setPath(options.path() + "/discovery")
            .setSecurityPolicy(SecurityPolicy.None)
            .setSecurityMode(MessageSecurityMode.None)
            .build());

    return OpcUaServerConfig.builder()
        .setApplicationUri(ServerPki.APPLICATION_URI)
        .setApplicationName(LocalizedText.english("HepaLoop simulator " + name))
        .setProductUri("urn:hepaloop:simulator")
        .setBuildInfo(
            new BuildInfo(
                "urn:hepaloop:simulator",
                "HepaLoop",
                "HepaLoop bioreactor simulator",
                OpcUaServer.SDK_VERSION,
                "",
                DateTime.now()))
        .setEndpoints(endpoints)
        .setCertificateManager(pki.certificateManager())
        .setIdentityValidator(identityValidator)
        .build();
  }
}
