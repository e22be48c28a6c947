package io.hepaloop.device;

import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.time.Clock;
import io.hepaloop.time.SystemClock;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * Everything one {@link DeviceLink} needs. The plant configuration is resolved into this record
 * (credentials already read from the environment); the link never reads files or variables itself,
 * except its key store under {@link #pkiDir}.
 *
 * @param reactorId reactor id: event-bus addresses and every Sample carry it
 * @param profile device model: which nodes to subscribe and write, scaling, ranges
 * @param endpointUrl {@code opc.tcp://host:port/path} of the device; the host and port of the URL
 *     win over whatever the server advertises (servers behind NAT or on 0.0.0.0 advertise
 *     unreachable names)
 * @param securityPolicy {@code None} or {@code Basic256Sha256} (default None)
 * @param securityMode {@code None}, {@code Sign} or {@code SignAndEncrypt} (default None)
 * @param username null for anonymous
 * @param password already resolved (never logged: {@link #toString()} masks it)
 * @param nodeIdReactor what replaces {@code {reactor}} in the profile's NodeIds (default:
 *     reactorId), for a gateway that names the reactor differently from the plant configuration
 * @param pkiDir directory of the client's key store ({@code own/}), trusted and issuer certificates
 *     ({@code trusted/certs}, {@code issuer/certs}) and rejected server certificates ({@code
 *     rejected/}); needed for any security other than None
 * @param serverTrust how server certificates are checked (default: the trust list)
 * @param clock time for LinkState and events and for samples without a device timestamp
 * @param backoff reconnect delays (default 200 ms doubling to 1 s)
 * @param keepAliveIntervalMs how often the session is probed; a dead peer is noticed after about
 *     {@code keepAliveIntervalMs × (keepAliveFailuresAllowed + 1)} (default 1000 ms)
 * @param keepAliveFailuresAllowed missed keep-alives tolerated before the link is declared lost
 *     (default 1)
 * @param keepAliveTimeoutMs how long one keep-alive read may take (default 2000 ms: on a busy
 *     2-core machine starting 64 links, 1 s timed out and answers arrived late)
 * @param requestTimeoutMs timeout of every OPC UA request, writes included (default 5000 ms)
 * @param connectTimeoutMs TCP connect timeout (default 3000 ms)
 * @param publishingIntervalMs subscription publishing interval; null = the shortest sampling
 *     interval of the profile, so every sample is published as soon as it is taken
 * @param configurationRetryMs retry delay after a configuration failure (wrong password, untrusted
 *     certificate, profile not matching the device): slow, because retrying a wrong password every
 *     second can lock the account on a real PLC (default 15000 ms)
 * @param heartbeat what the watchdog heartbeat proves (default {@link HeartbeatSource#CONTROLLER}:
 *     that the reactor's control loops run); a link deployed without a controller must say {@link
 *     HeartbeatSource#LINK}
 */
public record DeviceLinkOptions(
    String reactorId,
    DeviceProfile profile,
    String endpointUrl,
    String securityPolicy,
    String securityMode,
    String username,
    String password,
    String nodeIdReactor,
    Path pkiDir,
    ServerTrust serverTrust,
    Clock clock,
    Backoff backoff,
    long keepAliveIntervalMs,
    int keepAliveFailuresAllowed,
    long keepAliveTimeoutMs,
    long requestTimeoutMs,
    long connectTimeoutMs,
    Double publishingIntervalMs,
    long configurationRetryMs,
    HeartbeatSource heartbeat) {

  /**
   * What keeps the device's watchdog fed. The heartbeat exists so that the device puts its outputs
   * safe when the controller stops controlling; a link that beats on its own would keep a device
   * happy while a stalled loop leaves an actuator at its last value.
   */
  public enum HeartbeatSource {
    /**
     * Production ({@code serve}, {@code demo}, {@code tune}): the link writes the heartbeat only
     * while the reactor's {@code ReactorController} reports that every loop has executed within a
     * few of its periods ({@link io.hepaloop.bus.Addresses#controllerAlive}). No controller, no
     * heartbeat.
     */
    CONTROLLER,
    /**
     * The link beats on its own timer, proving only that the link is alive: for a link deployed
     * without a controller ({@code bench link}, {@code bench telemetry}, tests of the link alone).
     */
    LINK
  }

  /** How the link decides whether to trust the device's certificate. */
  public enum ServerTrust {
    /**
     * Only certificates in {@code pkiDir/trusted/certs} (or issued by {@code pkiDir/issuer/certs});
     * others land in {@code pkiDir/rejected}.
     */
    TRUST_LIST,
    /** Any certificate (Milo's default); for first commissioning and tests only. */
    ANY
  }

  private static final Set<String> POLICIES = Set.of("None", "Basic256Sha256");
  private static final Set<String> MODES = Set.of("None", "Sign", "SignAndEncrypt");

  public DeviceLinkOptions {
    Objects.requireNonNull(reactorId, "reactorId");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(endpointUrl, "endpointUrl");
    securityPolicy = securityPolicy == null ? "None" : securityPolicy;
    securityMode = securityMode == null ? "None" : securityMode;
    if (!POLICIES.contains(securityPolicy)) {
      throw new IllegalArgumentException(
          "reactor "
              + reactorId
              + ": securityPolicy must be one of "
              + POLICIES
              + ", got '"
              + securityPolicy
              + "'");
    }
    if (!MODES.contains(securityMode)) {
      throw new IllegalArgumentException(
          "reactor "
              + reactorId
              + ": securityMode must be one of "
              + MODES
              + ", got '"
              + securityMode
              + "'");
    }
    if ("None".equals(securityPolicy) != "None".equals(securityMode)) {
      throw new IllegalArgumentException(
          "reactor "
              + reactorId
              + ": securityPolicy "
              + securityPolicy
              + " does not go with securityMode "
              + securityMode);
    }
    if (!"None".equals(securityPolicy) && pkiDir == null) {
      throw new IllegalArgumentException(
          "reactor "
              + reactorId
              + ": security "
              + securityPolicy
              + " needs a pkiDir for the client key pair and trust list");
    }
    if (username != null && password == null) {
      throw new IllegalArgumentException(
          "reactor "
              + reactorId
              + ": user '"
              + username
              + "' has no password (is its environment variable set?)");
    }
    if (!endpointUrl.startsWith("opc.tcp://")) {
      throw new IllegalArgumentException(
          "reactor "
              + reactorId
              + ": endpoint URL must start with opc.tcp://, got '"
              + endpointUrl
              + "'");
    }
    if (profile.watchdog() == null && !profile.actuators().isEmpty()) {
      throw new IllegalArgumentException(
          "reactor "
              + reactorId
              + ": profile "
              + profile.model()
              + " has actuators but no watchdog node for the heartbeat");
    }
    heartbeat = heartbeat == null ? HeartbeatSource.CONTROLLER : heartbeat;
    nodeIdReactor = nodeIdReactor == null ? reactorId : nodeIdReactor;
    serverTrust = serverTrust == null ? ServerTrust.TRUST_LIST : serverTrust;
    clock = clock == null ? SystemClock.INSTANCE : clock;
    backoff = backoff == null ? Backoff.DEFAULT : backoff;
    if (keepAliveIntervalMs <= 0
        || requestTimeoutMs <= 0
        || connectTimeoutMs <= 0
        || keepAliveFailuresAllowed < 0
        || configurationRetryMs <= 0
        || keepAliveTimeoutMs <= 0) {
      throw new IllegalArgumentException(
          "reactor " + reactorId + ": keep-alive, request and connect timeouts must be positive");
    }
  }

  public static Builder builder(String reactorId, DeviceProfile profile, String endpointUrl) {
    return new Builder(reactorId, profile, endpointUrl);
  }

  public boolean secure() {
    return !"None".equals(securityPolicy);
  }

  /**
   * Effective publishing interval: the option, or the shortest sampling interval of the profile.
   */
  public double publishingIntervalMsOrDefault() {
    if (publishingIntervalMs != null) {
      return publishingIntervalMs;
    }
    return profile.signals().stream()
        .mapToDouble(s -> s.samplingIntervalMsOrDefault())
        .min()
        .orElse(500.0);
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "DeviceLinkOptions[reactorId="
        + reactorId
        + ", profile="
        + profile.model()
        + ", endpointUrl="
        + endpointUrl
        + ", security="
        + securityPolicy
        + "/"
        + securityMode
        + ", user="
        + (username == null ? "anonymous" : username)
        + ", password="
        + (password == null ? "none" : "***")
        + ", nodeIdReactor="
        + nodeIdReactor
        + ", pkiDir="
        + pkiDir
        + ", serverTrust="
        + serverTrust
        + ", backoff="
        + backoff
        + ", heartbeat="
        + heartbeat
        + "]";
  }

  /** Fluent construction with the defaults documented on the record. */
  public static final class Builder {
    private final String reactorId;
    private final DeviceProfile profile;
    private final String endpointUrl;
    private String securityPolicy = "None";
    private String securityMode = "None";
    private String username;
    private String password;
    private String nodeIdReactor;
    private Path pkiDir;
    private ServerTrust serverTrust = ServerTrust.TRUST_LIST;
    private Clock clock = SystemClock.INSTANCE;
    private Backoff backoff = Backoff.DEFAULT;
    private long keepAliveIntervalMs = 1000;
    private int keepAliveFailuresAllowed = 1;
    private long keepAliveTimeoutMs = 2000;
    private long requestTimeoutMs = 5000;
    private long connectTimeoutMs = 3000;
    private Double publishingIntervalMs;
    private long configurationRetryMs = 15_000;
    private HeartbeatSource heartbeat = HeartbeatSource.CONTROLLER;

    private Builder(String reactorId, DeviceProfile profile, String endpointUrl) {
      this.reactorId = reactorId;
      this.profile = profile;
      this.endpointUrl = endpointUrl;
    }

    public Builder security(String policy, String mode) {
      this.securityPolicy = policy;
      this.securityMode = mode;
      return this;
    }

    public Builder user(String username, String password) {
      this.username = username;
      this.password = password;
      return this;
    }

    public Builder nodeIdReactor(String v) {
      this.nodeIdReactor = v;
      return this;
    }

    public Builder pkiDir(Path v) {
      this.pkiDir = v;
      return this;
    }

    public Builder serverTrust(ServerTrust v) {
      this.serverTrust = v;
      return this;
    }

    public Builder clock(Clock v) {
      this.clock = v;
      return this;
    }

    public Builder backoff(Backoff v) {
      this.backoff = v;
      return this;
    }

    public Builder keepAlive(long intervalMs, int failuresAllowed) {
      this.keepAliveIntervalMs = intervalMs;
      this.keepAliveFailuresAllowed = failuresAllowed;
      return this;
    }

    public Builder keepAliveTimeoutMs(long v) {
      this.keepAliveTimeoutMs = v;
      return this;
    }

    public Builder requestTimeoutMs(long v) {
      this.requestTimeoutMs = v;
      return this;
    }

    public Builder connectTimeoutMs(long v) {
      this.connectTimeoutMs = v;
      return this;
    }

    public Builder publishingIntervalMs(Double v) {
      this.publishingIntervalMs = v;
      return this;
    }

    public Builder configurationRetryMs(long v) {
      this.configurationRetryMs = v;
      return this;
    }

    public Builder heartbeat(HeartbeatSource v) {
      this.heartbeat = v;
      return this;
    }

    public DeviceLinkOptions build() {
      return new DeviceLinkOptions(
          reactorId,
          profile,
          endpointUrl,
          securityPolicy,
          securityMode,
          username,
          password,
          nodeIdReactor,
          pkiDir,
          serverTrust,
          clock,
          backoff,
          keepAliveIntervalMs,
          keepAliveFailuresAllowed,
          keepAliveTimeoutMs,
          requestTimeoutMs,
          connectTimeoutMs,
          publishingIntervalMs,
          configurationRetryMs,
          heartbeat);
    }
  }
}
