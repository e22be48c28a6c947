package io.hepaloop.testing;

import io.hepaloop.api.ApiSecurity;
import io.hepaloop.api.AuditSignatures;
import io.hepaloop.api.SessionGuard;
import io.hepaloop.app.PlantRuntime;
import io.hepaloop.audit.AuditTrail;
import io.hepaloop.plant.PlantConfig;
import io.hepaloop.plant.PlantConfigWriter;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.sim.Layout;
import io.hepaloop.sim.Simulator;
import io.hepaloop.sim.SimulatorOptions;
import io.hepaloop.store.Store;
import io.hepaloop.telemetry.LocalInfluxd;
import io.hepaloop.time.Clock;
import io.hepaloop.time.SystemClock;
import io.hepaloop.users.ApiTokens;
import io.hepaloop.users.PasswordHasher;
import io.hepaloop.users.Role;
import io.hepaloop.users.Sessions;
import io.hepaloop.users.Users;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One reactor ({@link #R}) of the real plant for integration tests, in a test's data directory: our
 * simulator over OPC UA on loopback, the plant config written for it, the data directory's database
 * and, when asked, a private influxd. A test adds the API's security with its users ({@link
 * #secure}) and starts the {@link PlantRuntime} with its own options ({@link #started}), then talks
 * to it over HTTP as a logged-in user ({@link #login}, {@link #send}). {@link #close} stops what
 * was started, plant first.
 */
public final class SimulatedPlant implements AutoCloseable {
  public static final String R = "r1";
  public static final String PASSWORD = "correct horse battery";
  public static final Path PROFILE = Path.of("device-profiles/liver-perfusion-bioreactor.yaml");

  /** A user of the plant's API; every one has {@link #PASSWORD}, none must change it. */
  public record User(String name, String displayName, Role role) {}

  /** A logged-in caller: the session cookie and its CSRF token. */
  public record Session(String cookie, String csrf) {}

  /** An HTTP answer: status and body. */
  public record Answer(int status, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  private final Path data;
  private final Simulator sim;
  private LocalInfluxd influxd;
  private PlantConfig config;
  private Store store;
  private ApiSecurity security;
  private PlantRuntime plant;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  private SimulatedPlant(Path data, Simulator sim) {
    this.data = data;
    this.sim = sim;
  }

  /**
   * Starts the simulator of {@link #R} (seed 1, its own server), with {@code influxd} a private
   * influxd in {@code data/influxd}, writes the plant config into {@code data} and opens the
   * database there.
   */
  public static SimulatedPlant start(Path data, boolean influxd) throws Exception {
    SimulatedPlant p =
        new SimulatedPlant(data, simulator(data.resolve("pki").resolve("simulator")));
    try {
      if (influxd) {
        p.influxd = LocalInfluxd.launchIn(data.resolve("influxd"));
      }
      p.config =
          PlantConfigWriter.writeSimulated(
              data.resolve("hepaloop.yaml"),
              data,
              PROFILE.toAbsolutePath(),
              Map.of(R, p.sim.endpointUrl(R)));
      p.store = Store.open(data);
      return p;
    } catch (Exception | Error e) {
      p.close();
      throw e;
    }
  }

  /**
   * Our simulator of {@link #R} with {@link #PROFILE}: seed 1, its own server on a free port, its
   * PKI in {@code pkiDir}.
   */
  public static Simulator simulator(Path pkiDir) throws Exception {
    return Simulator.start(
        SimulatorOptions.builder()
            .profile(ProfileLoader.load(PROFILE))
            .reactorIds(List.of(R))
            .layout(Layout.SERVER_PER_REACTOR)
            .basePort(0)
            .seed(1)
            .pkiDir(pkiDir)
            .build());
  }

  /**
   * The API's security on the wall clock, sessions with the default policy, signatures in {@code
   * mode}, the audit trail in the database; {@code users} are added first.
   */
  public ApiSecurity secure(AuditSignatures.Mode mode, User... users) {
    Clock clock = SystemClock.INSTANCE;
    Users all = new Users(store, clock, new PasswordHasher(new PasswordHasher.Params(256, 1, 1)));
    for (User u : users) {
      all.add(u.name(), u.displayName(), u.role(), PASSWORD.toCharArray(), false);
    }
    security =
        new ApiSecurity(
            all,
            new Sessions(store, clock, Sessions.Policy.DEFAULT),
            new ApiTokens(store, clock),
            clock,
            null,
            false,
            AuditTrail.open(store, clock),
            mode);
    return security;
  }

  /** Takes the started plant into this fixture (closed by it); returns it. */
  public PlantRuntime started(PlantRuntime runtime) {
    plant = runtime;
    return runtime;
  }

  /** Closes the plant now (its HTTP server stops, the audit trail writes what is queued). */
  public void closePlant() {
    if (plant != null) {
      plant.close();
      plant = null;
    }
  }

  public Path data() {
    return data;
  }

  public Simulator sim() {
    return sim;
  }

  public LocalInfluxd influxd() {
    return influxd;
  }

  public PlantConfig config() {
    return config;
  }

  public Store store() {
    return store;
  }

  public ApiSecurity security() {
    return security;
  }

  public PlantRuntime plant() {
    return plant;
  }

  /** {@code http://127.0.0.1:<port>} of the running plant. */
  public String base() {
    return "http://127.0.0.1:" + plant.httpPort();
  }

  /** Logs {@code user} in over HTTP; null when the login is refused (not 200). */
  public Session login(String user, String password) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/api/login"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        new JsonObject().put("user", user).put("password", password).encode()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      return null;
    }
    String cookie =
        r.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0].split("=", 2)[1];
    return new Session(cookie, new JsonObject(r.body()).getString("csrfToken"));
  }

  /** Sends {@code body} (none when null) as {@code s} (anonymous when null). */
  public Answer send(Session s, String method, String path, JsonObject body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base() + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (s != null) {
      b.header("Cookie", SessionGuard.COOKIE + "=" + s.cookie());
      b.header(SessionGuard.CSRF_HEADER, s.csrf());
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }

  /**
   * Stops the plant, the API's security, the database, the simulator and influxd, in that order.
   */
  @Override
  public void close() {
    closePlant();
    if (security != null) {
      security.close();
    }
    if (store != null) {
      store.close();
    }
    sim.close();
    if (influxd != null) {
      influxd.close();
    }
  }
}
