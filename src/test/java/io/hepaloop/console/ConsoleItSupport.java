package io.hepaloop.console;

import io.hepaloop.api.ApiSecurity;
import io.hepaloop.api.AuditSignatures;
import io.hepaloop.app.PlantRuntime;
import io.hepaloop.audit.AuditTrail;
import io.hepaloop.plant.PlantConfig;
import io.hepaloop.plant.PlantConfigWriter;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.sim.Layout;
import io.hepaloop.sim.SimulatedReactor;
import io.hepaloop.sim.Simulator;
import io.hepaloop.sim.SimulatorOptions;
import io.hepaloop.store.Store;
import io.hepaloop.time.AcceleratedClock;
import io.hepaloop.time.Clock;
import io.hepaloop.time.SystemClock;
import io.hepaloop.users.ApiTokens;
import io.hepaloop.users.PasswordHasher;
import io.hepaloop.users.Role;
import io.hepaloop.users.Sessions;
import io.hepaloop.users.Users;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A running plant for the console's browser tests, built as {@code demo} builds it: our simulator
 * over OPC UA on loopback, a {@link PlantRuntime} with the data directory's database (users,
 * sessions, audit trail, alarm journal, loop settings) and the HTTP API with the console on a free
 * loopback port. No InfluxDB (the console then shows live data only).
 *
 * <p>Three users with {@link #PASSWORD}, none of whom must change it: {@link #ADMIN}, {@link
 * #OPERATOR}, {@link #VIEWER}. The API's clock (sessions, lockouts) is the wall clock plus an
 * offset a test may move forward ({@link #advanceApiClock}), so a session expires without waiting
 * 30 minutes; the plant runs on its own (possibly accelerated) clock.
 */
public final class ConsoleItSupport implements AutoCloseable {
  public static final String ADMIN = "ada";
  public static final String OPERATOR = "otto";
  public static final String VIEWER = "vera";
  public static final String PASSWORD = "correct horse battery";
  public static final Path PROFILE = Path.of("device-profiles/liver-perfusion-bioreactor.yaml");

  /** Wall time plus an offset the test moves forward. */
  public static final class ShiftedClock implements Clock {
    private final AtomicLong offsetNanos = new AtomicLong();

    @Override
    public long nanoTime() {
      return System.nanoTime() + offsetNanos.get();
    }

    @Override
    public Instant now() {
      return Instant.now().plusNanos(offsetNanos.get());
    }

    public void advance(Duration d) {
      offsetNanos.addAndGet(d.toNanos());
    }
  }

  /** How to start: reactors r1..rN (r01..r64 from 10 on), the plant clock's speed. */
  public record Options(int reactors, double speed, Sessions.Policy sessions) {
    public static Options defaults() {
      return new Options(2, 1.0, Sessions.Policy.DEFAULT);
    }

    public Options withReactors(int n) {
      return new Options(n, speed, sessions);
    }

    public Options withSpeed(double s) {
      return new Options(reactors, s, sessions);
    }
  }

  private final Simulator sim;
  private final Store store;
  private final ApiSecurity security;
  private final PlantRuntime plant;
  private final ShiftedClock apiClock;
  private final List<String> reactorIds;

  private ConsoleItSupport(
      Simulator sim,
      Store store,
      ApiSecurity security,
      PlantRuntime plant,
      ShiftedClock apiClock,
      List<String> reactorIds) {
    this.sim = sim;
    this.store = store;
    this.security = security;
    this.plant = plant;
    this.apiClock = apiClock;
    this.reactorIds = reactorIds;
  }

  /** Starts simulator, plant and API in {@code dir} (a fresh temporary directory). */
  public static ConsoleItSupport start(Path dir, Options o) throws Exception {
    return start(dir, o, false);
  }

  /**
   * As {@link #start(Path, Options)}; with {@code localInfluxd} the plant's telemetry goes to a
   * private influxd in {@code dir} (history for the trends), when installed.
   */
  public static ConsoleItSupport start(Path dir, Options o, boolean localInfluxd) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= o.reactors(); i++) {
      ids.add(o.reactors() < 10 ? "r" + i : String.format("r%02d", i));
    }
    Simulator sim =
        Simulator.start(
            SimulatorOptions.builder()
                .profile(ProfileLoader.load(PROFILE))
                .reactorIds(ids)
                .layout(o.reactors() > 4 ? Layout.SHARED_SERVER : Layout.SERVER_PER_REACTOR)
                .speed(o.speed())
                .allowSignAndEncrypt(false)
                .pkiDir(dir.resolve("sim-pki"))
                .build());
    Store store = null;
    ApiSecurity security = null;
    try {
      store = Store.open(dir);
      ShiftedClock apiClock = new ShiftedClock();
      Users users =
          new Users(store, apiClock, new PasswordHasher(new PasswordHasher.Params(256, 1, 1)));
      security =
          new ApiSecurity(
              users,
              new Sessions(store, apiClock, o.sessions()),
              new ApiTokens(store, apiClock),
              apiClock,
              null,
              false,
              AuditTrail.open(store, SystemClock.INSTANCE),
              AuditSignatures.Mode.RESEARCH);
      users.add(ADMIN, "Ada Admin", Role.ADMIN, PASSWORD.toCharArray(), false);
      users.add(OPERATOR, "Otto Operator", Role.OPERATOR, PASSWORD.toCharArray(), false);
      users.add(VIEWER, "Vera Viewer", Role.VIEWER, PASSWORD.toCharArray(), false);
      Map<String, String> endpoints = new LinkedHashMap<>();
      ids.forEach(id -> endpoints.put(id, sim.endpointUrl(id)));
      PlantConfig config =
          PlantConfigWriter.writeSimulated(
              dir.resolve("hepaloop.yaml"), dir, PROFILE.toAbsolutePath(), endpoints);
      Clock plantClock = o.speed() == 1.0 ? SystemClock.INSTANCE : new AcceleratedClock(o.speed());
      PlantRuntime plant =
          PlantRuntime.start(
              new PlantRuntime.Options(
                  config,
                  dir,
                  "console-it",
                  null,
                  localInfluxd,
                  "127.0.0.1",
                  0,
                  plantClock,
                  security,
                  store,
                  Path.of("recipes")));
      return new ConsoleItSupport(sim, store, security, plant, apiClock, List.copyOf(ids));
    } catch (Exception | Error e) {
      if (security != null) {
        security.close();
      }
      if (store != null) {
        store.close();
      }
      sim.close();
      throw e;
    }
  }

  /** {@code http://127.0.0.1:<port>}: the server (the console is at {@code /console/}). */
  public String baseUrl() {
    return "http://127.0.0.1:" + plant.httpPort();
  }

  public List<String> reactorIds() {
    return reactorIds;
  }

  public Simulator sim() {
    return sim;
  }

  /** A simulated reactor, for faults: {@code reactor("r1").sensorBadQuality("do_outlet", true)}. */
  public SimulatedReactor reactor(String reactorId) {
    return sim.reactor(reactorId);
  }

  public PlantRuntime plant() {
    return plant;
  }

  public Store store() {
    return store;
  }

  public ApiSecurity security() {
    return security;
  }

  /** Moves the API's clock (sessions, lockouts) forward: sessions idle longer expire. */
  public void advanceApiClock(Duration d) {
    apiClock.advance(d);
  }

  /** Ends every session of {@code user} on the server, as a disable or logout elsewhere would. */
  public int endSessionsOf(String user) {
    return security.sessions().endAll(user, null);
  }

  /** A plain HTTP client of the API logged in as {@code user} (cookie and CSRF token kept). */
  public ApiClient api(String user) {
    ApiClient c = new ApiClient();
    ApiClient.Response r =
        c.send(
            "POST", "/api/login", "{\"user\":\"" + user + "\",\"password\":\"" + PASSWORD + "\"}");
    if (r.status() != 200) {
      throw new IllegalStateException("login " + user + ": " + r);
    }
    c.cookie = r.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0].split("=", 2)[1];
    c.csrf = new io.vertx.core.json.JsonObject(r.body()).getString("csrfToken");
    return c;
  }

  /** An API client with a session cookie and CSRF token. */
  public final class ApiClient {
    private final HttpClient http =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    String cookie;
    String csrf;

    public record Response(int status, java.net.http.HttpHeaders headers, String body) {}

    public Response send(String method, String path, String jsonBody) {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(baseUrl() + path))
              .timeout(Duration.ofSeconds(30))
              .method(
                  method,
                  jsonBody == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(jsonBody));
      if (jsonBody != null) {
        b.header("Content-Type", "application/json");
      }
      if (cookie != null) {
        b.header("Cookie", "hepaloop_session=" + cookie);
      }
      if (csrf != null) {
        b.header("X-CSRF-Token", csrf);
      }
      try {
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.headers(), r.body());
      } catch (Exception e) {
        throw new IllegalStateException(method + " " + path + ": " + e, e);
      }
    }

    public Response get(String path) {
      return send("GET", path, null);
    }
  }

  @Override
  public void close() {
    try {
      plant.close();
    } finally {
      try {
        security.close();
      } finally {
        try {
          store.close();
        } finally {
          sim.close();
        }
      }
    }
  }
}
