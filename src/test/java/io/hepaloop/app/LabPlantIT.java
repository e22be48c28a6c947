package io.hepaloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.api.ApiSecurity;
import io.hepaloop.api.AuditSignatures;
import io.hepaloop.lab.TestRuns;
import io.hepaloop.store.Store;
import io.hepaloop.telemetry.InfluxConfig;
import io.hepaloop.telemetry.LocalInfluxd;
import io.hepaloop.testing.SimulatedPlant;
import io.hepaloop.time.SystemClock;
import io.hepaloop.users.Role;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
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
  static final String R = SimulatedPlant.R;
  static final String RUN = "r1-20261201-000000";

  @TempDir Path data;
  SimulatedPlant fixture;

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void anEntryOverHttpIsStoredAuditedAndLandsInInfluxAtItsSampleTime() throws Exception {
    fixture = SimulatedPlant.start(data, true);
    LocalInfluxd influxd = fixture.influxd();
    Store store = fixture.store();
    SystemClock clock = SystemClock.INSTANCE;
    ApiSecurity security =
        fixture.secure(
            AuditSignatures.Mode.RESEARCH,
            new SimulatedPlant.User("olga", "Olga Operator", Role.OPERATOR));
    Instant created = Instant.now().minus(Duration.ofHours(30)).truncatedTo(ChronoUnit.SECONDS);
    TestRuns.insert(store, RUN, R, created, null);
    fixture.started(
        PlantRuntime.start(
            new PlantRuntime.Options(
                fixture.config(),
                data,
                RUN,
                InfluxConfig.local(influxd.url(), "hepaloop"),
                false,
                "127.0.0.1",
                0,
                clock,
                security,
                store)));

    SimulatedPlant.Session session = fixture.login("olga", SimulatedPlant.PASSWORD);
    assertThat(session).as("olga logs in").isNotNull();
    Instant sampled = created.plus(Duration.ofHours(6));
    SimulatedPlant.Answer r =
        fixture.send(
            session,
            "POST",
            "/api/runs/" + RUN + "/samples",
            new JsonObject()
                .put("analyte", "albumin")
                .put("value", 31.5)
                .put("unit", "mg/L")
                .put("sampledAt", sampled.toString())
                .put("measuredAt", sampled.plus(Duration.ofHours(20)).toString())
                .put("method", "ELISA"));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
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
}
