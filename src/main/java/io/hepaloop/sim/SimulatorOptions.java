package io.hepaloop.sim;

import io.hepaloop.profile.DeviceProfile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything {@link Simulator#start} needs. Build with {@link #builder()}; every field has a
 * default except the profile.
 *
 * @param profile the device profile whose nodes each reactor exposes (required)
 * @param reactorIds reactor ids; each becomes a folder and fills {@code {reactor}} in NodeIds
 *     (default [r1])
 * @param layout one server per reactor (default) or one shared server
 * @param bindAddress address to listen on and to advertise in endpoint URLs (default 127.0.0.1)
 * @param basePort first port; reactor i listens on basePort + i; 0 = free ports (default 0)
 * @param path endpoint URL path (default: the path of the profile's endpoint URL, else {@code
 *     /hepaloop})
 * @param speed simulated seconds per real second (default 1; 60 = an hour per minute)
 * @param tickMs real-time period of the shared tick that steps every model and publishes values
 *     (default 100, the profile's fastest sampling interval)
 * @param scenario scenario to play on every reactor (default none: steady, no faults)
 * @param allowNone offer the SecurityPolicy None endpoint (default true)
 * @param allowSignAndEncrypt offer Basic256Sha256/SignAndEncrypt (default true)
 * @param allowAnonymous accept anonymous sessions (default true)
 * @param users username → password accepted for username identity (default none)
 * @param trustAllClients accept any client certificate on secure endpoints and store it under
 *     {@code pki/trusted}; false = unknown client certificates go to {@code pki/rejected} and are
 *     refused until moved to {@code pki/trusted/certs} (default true: a simulator on loopback)
 * @param pkiDir where the server certificate (generated once) and the trusted/rejected directories
 *     live (default {@code $TMPDIR/hepaloop-sim-pki})
 * @param sensorNoise whether sensors add noise and quantisation (default true; false = readings
 *     equal the model's true values, for exact assertions)
 * @param seed seed for the sensors' noise (default 1; each reactor and signal derives its own)
 */
public record SimulatorOptions(
    DeviceProfile profile,
    List<String> reactorIds,
    Layout layout,
    String bindAddress,
    int basePort,
    String path,
    double speed,
    long tickMs,
    Scenario scenario,
    boolean allowNone,
    boolean allowSignAndEncrypt,
    boolean allowAnonymous,
    Map<String, String> users,
    boolean trustAllClients,
    Path pkiDir,
    boolean sensorNoise,
    long seed) {

  public SimulatorOptions {
    Objects.requireNonNull(profile, "profile");
    reactorIds = List.copyOf(reactorIds);
    if (reactorIds.isEmpty()) {
      throw new IllegalArgumentException("at least one reactor id is needed");
    }
    if (reactorIds.stream().distinct().count() != reactorIds.size()) {
      throw new IllegalArgumentException("reactor ids must be unique: " + reactorIds);
    }
    for (String id : reactorIds) {
      if (!id.matches("[A-Za-z0-9_-]+")) {
        throw new IllegalArgumentException(
            "reactor id '" + id + "' may only contain letters, digits, '_' and '-'");
      }
    }
    if (!(speed > 0) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException("speed must be > 0, got " + speed);
    }
    if (tickMs < 10) {
      throw new IllegalArgumentException("tickMs must be >= 10, got " + tickMs);
    }
    if (basePort < 0 || basePort > 65535) {
      throw new IllegalArgumentException("basePort must be 0..65535, got " + basePort);
    }
    if (!allowNone && !allowSignAndEncrypt) {
      throw new IllegalArgumentException(
          "at least one security policy must be allowed (None or Basic256Sha256)");
    }
    users = Map.copyOf(users);
    if (!allowAnonymous && users.isEmpty()) {
      throw new IllegalArgumentException(
          "anonymous is not allowed and no users are configured: nobody could connect");
    }
    if (!path.startsWith("/")) {
      path = "/" + path;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  private static String profilePath(DeviceProfile profile) {
    try {
      String url = profile == null || profile.endpoint() == null ? null : profile.endpoint().url();
      String p = url == null ? null : java.net.URI.create(url).getPath();
      return p == null || p.isEmpty() || p.equals("/") ? "/hepaloop" : p;
    } catch (IllegalArgumentException e) {
      return "/hepaloop";
    }
  }

  /** Builder with the defaults listed on the record. */
  public static final class Builder {
    private DeviceProfile profile;
    private List<String> reactorIds = List.of("r1");
    private Layout layout = Layout.SERVER_PER_REACTOR;
    private String bindAddress = "127.0.0.1";
    private int basePort = 0;
    private String path;
    private double speed = 1.0;
    private long tickMs = 100;
    private Scenario scenario;
    private boolean allowNone = true;
    private boolean allowSignAndEncrypt = true;
    private boolean allowAnonymous = true;
    private final Map<String, String> users = new LinkedHashMap<>();
    private boolean trustAllClients = true;
    private Path pkiDir = Path.of(System.getProperty("java.io.tmpdir"), "hepaloop-sim-pki");
    private boolean sensorNoise = true;
    private long seed = 1;

    public Builder profile(DeviceProfile v) {
      profile = v;
      return this;
    }

    public Builder reactorIds(List<String> v) {
      reactorIds = v;
      return this;
    }

    public Builder reactorIds(String... v) {
      reactorIds = List.of(v);
      return this;
    }

    public Builder layout(Layout v) {
      layout = v;
      return this;
    }

    public Builder bindAddress(String v) {
      bindAddress = v;
      return this;
    }

    public Builder basePort(int v) {
      basePort = v;
      return this;
    }

    public Builder path(String v) {
      path = v;
      return this;
    }

    public Builder speed(double v) {
      speed = v;
      return this;
    }

    public Builder tickMs(long v) {
      tickMs = v;
      return this;
    }

    public Builder scenario(Scenario v) {
      scenario = v;
      return this;
    }

    public Builder allowNone(boolean v) {
      allowNone = v;
      return this;
    }

    public Builder allowSignAndEncrypt(boolean v) {
      allowSignAndEncrypt = v;
      return this;
    }

    public Builder allowAnonymous(boolean v) {
      allowAnonymous = v;
      return this;
    }

    public Builder user(String username, String password) {
      users.put(username, password);
      return this;
    }

    public Builder users(Map<String, String> v) {
      users.clear();
      users.putAll(v);
      return this;
    }

    public Builder trustAllClients(boolean v) {
      trustAllClients = v;
      return this;
    }

    public Builder pkiDir(Path v) {
      pkiDir = v;
      return this;
    }

    public Builder sensorNoise(boolean v) {
      sensorNoise = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public SimulatorOptions build() {
      String p = path != null ? path : profilePath(profile);
      return new SimulatorOptions(
          profile,
          reactorIds,
          layout,
          bindAddress,
          basePort,
          p,
          speed,
          tickMs,
          scenario,
          allowNone,
          allowSignAndEncrypt,
          allowAnonymous,
          users,
          trustAllClients,
          pkiDir,
          sensorNoise,
          seed);
    }
  }
}
