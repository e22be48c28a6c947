package io.hepaloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.api.ApiSecurity;
import io.hepaloop.api.AuditSignatures;
import io.hepaloop.api.SessionGuard;
import io.hepaloop.audit.AuditTrail;
import io.hepaloop.lab.TestRuns;
import io.hepaloop.plant.PlantConfig;
import io.hepaloop.plant.PlantConfigWriter;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.sim.Layout;
import io.hepaloop.sim.Simulator;
import io.hepaloop.sim.SimulatorOptions;
import io.hepaloop.store.Store;
import io.hepaloop.telemetry.InfluxConfig;
import io.hepaloop.telemetry.LocalInfluxd;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running plant with its database serves the lab routes ({@link PlantRuntime#mountApi}) and
 * writes what they store to its InfluxDB at the sample time: an operator's entry over HTTP on a
 * plant in the loop with a simulator and a real influxd.
 */
class LabPlantIT {
  static final String R = "r1";
  static final String RUN = "r1-20261201-000000";
  static final String PASSWORD = "correct horse battery";
  static final Path PROFILE = Path.of("device-profiles/liver-perfusion-bioreactor.yaml");

  @TempDir Path data;
  Simulator sim;
  LocalInfluxd influxd;
  Store store;
  ApiSecurity security;
  PlantRuntime plant;
  final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  @AfterEach
  void stop() {
    if (plant != null) {
      plant.close();
    }
    if (security != null) {
      security.close();
    }
    if (store != null) {
      store.close();
    }
    if (sim != null) {
      sim.close();
    }
    if (influxd != null) {
      influxd.close();
    }
  }

  @Test
  void anEntryOverHttpIsStoredAuditedAndLandsInInfluxAtItsSampleTime() throws Exception {
    sim =
        Simulator.start(
            SimulatorOptions.builder()
                .profile(ProfileLoader.load(PROFILE))
                .reactorIds(List.of(R))
                .layout(Layout.SERVER_PER_REACTOR)
                .basePort(0)
                .seed(1)
                .pkiDir(data.resolve("pki").resolve("simulator"))
                .build());
    influxd = LocalInfluxd.launchIn(data.resolve("influxd"));
    PlantConfig config =
        PlantConfigWriter.writeSimulated(
            data.resolve("hepaloop.yaml"),
            data,
            PROFILE.toAbsolutePath(),
            Map.of(R, sim.endpointUrl(R)));
    store = Store.open(data);
    SystemClock clock = SystemClock.INSTANCE;
    Users users = new Users(store, clock, new PasswordHasher(new PasswordHasher.Params(256, 1, 1)));
    users.add("olga", "Olga Operator", Role.OPERATOR, PASSWORD.toCharArray(), false);
    security =
        new ApiSecurity(
            users,
            new Sessions(store, clock, Sessions.Policy.DEFAULT),
            new ApiTokens(store, clock),
            clock,
            null,
            false,
            AuditTrail.open(store, clock),
            AuditSignatures.Mode.RESEARCH);
    Instant created = Instant.now().minus(Duration.ofHours(30)).truncatedTo(ChronoUnit.SECONDS);
    TestRuns.insert(store, RUN, R, created, null);
    plant =
        PlantRuntime.start(
            new PlantRuntime.Options(
                config,
                data,
                RUN,
                InfluxConfig.local(influxd.url(), "hepaloop"),
                false,
                "127.0.0.1",
                0,
                clock,
                security,
                store));

    String[] session = login("olga");
    Instant sampled = created.plus(Duration.ofHours(6));
    HttpResponse<String> r =
        post(
            session,
            "/api/runs/" + RUN + "/samples",
            new JsonObject()
                .put("analyte", "albumin")
                .put("value", 31.5)
                .put("unit", "mg/L")
                .put("sampledAt", sampled.toString())
                .put("measuredAt", sampled.plus(Duration.ofHours(20)).toString())
                .put("method", "ELISA"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(new JsonObject(r.body()).getString("canonicalUnit")).isEqualTo("µg/mL");

    try (InfluxDB influx = InfluxDBFactory.connect(influxd.url())) {
      List<List<Object>> rows =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () ->
                      rows(
                          influx,
                          "SELECT value_canonical, unit FROM lab_sample WHERE run = '"
                              + RUN
                              + "' AND reactor = 'r1' AND analyte = 'albumin'"),
                  l -> !l.isEmpty());
      assertThat(((Number) rows.get(0).get(0)).longValue()).isEqualTo(sampled.toEpochMilli());
      assertThat(((Number) rows.get(0).get(1)).doubleValue()).isEqualTo(31.5);
      assertThat(rows.get(0).get(2)).isEqualTo("mg/L");
    }
  }

  private static List<List<Object>> rows(InfluxDB influx, String q) {
    QueryResult.Result res =
        influx.query(new Query(q, "hepaloop"), TimeUnit.MILLISECONDS).getResults().get(0);
    if (res.hasError()) {
      return List.of(); // the database may not exist yet
    }
    return res.getSeries() == null ? List.of() : res.getSeries().get(0).getValues();
  }

  private String[] login(String user) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/api/login"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        new JsonObject().put("user", user).put("password", PASSWORD).encode()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String cookie =
        r.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0].split("=", 2)[1];
    return new String[] {cookie, new JsonObject(r.body()).getString("csrfToken")};
  }

  private HttpResponse<String> post(String[] session, String path, JsonObject body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base() + path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("Cookie", SessionGuard.COOKIE + "=" + session[0])
            .header(SessionGuard.CSRF_HEADER, session[1])
            .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String base() {
    return "http://127.0.0.1:" + plant.httpPort();
  }
}
