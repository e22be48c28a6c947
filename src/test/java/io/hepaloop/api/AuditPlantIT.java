package io.hepaloop.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.alarm.AlarmDefinition;
import io.hepaloop.alarm.AlarmKind;
import io.hepaloop.alarm.AlarmPriority;
import io.hepaloop.alarm.Rationale;
import io.hepaloop.app.AlarmService;
import io.hepaloop.app.PlantRuntime;
import io.hepaloop.audit.AuditVerification;
import io.hepaloop.audit.AuditVerifier;
import io.hepaloop.sim.Simulator;
import io.hepaloop.store.Store;
import io.hepaloop.testing.SimulatedPlant;
import io.hepaloop.testing.SimulatedPlant.Answer;
import io.hepaloop.testing.SimulatedPlant.Session;
import io.hepaloop.testing.ThreadDumpOnFailure;
import io.hepaloop.time.SystemClock;
import io.hepaloop.users.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit trail of the real plant: our simulator over OPC UA, the whole {@link PlantRuntime} with
 * the session guard, real logins over HTTP, in strict e-signature mode. A failed login, a setpoint
 * and the acknowledgement of an alarm raised by a sensor fault in the simulator each leave a record
 * with the right user, old and new value and run id; a tuning change without signature, or with a
 * wrong password, is refused with nothing changed (the wrong password recorded), and with the right
 * one applied and signed. After shutdown the chain verifies intact.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(ThreadDumpOnFailure.class)
class AuditPlantIT {
  static final String R = SimulatedPlant.R;
  static final String RUN = "audit-it-run";
  static final String PASSWORD = SimulatedPlant.PASSWORD;
  static final String LOOP = "/api/reactors/r1/loops/temperature";
  static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path data;
  SimulatedPlant fixture;
  Store store;
  PlantRuntime plant;

  @AfterEach
  void stop() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
  }

  private Answer send(Session s, String method, String path, JsonObject body) throws Exception {
    return fixture.send(s, method, path, body);
  }

  private Session login(String user, String password) throws Exception {
    return fixture.login(user, password);
  }

  private List<Map<String, String>> records(String action, int count) {
    return await().atMost(WAIT).until(() -> AuditRows.of(store, action), l -> l.size() >= count);
  }

  private JsonObject loop(Session s) throws Exception {
    return send(s, "GET", LOOP, null).json().getJsonObject("settings");
  }

  @Test
  void humanActionsOnTheRealPlantLeaveAnIntactSignedTrail() throws Exception {
    fixture = SimulatedPlant.start(data, false);
    Simulator sim = fixture.sim();
    store = fixture.store();
    SystemClock clock = SystemClock.INSTANCE;
    ApiSecurity security =
        fixture.secure(
            AuditSignatures.Mode.STRICT,
            new SimulatedPlant.User("olga", "Olga Operator", Role.OPERATOR),
            new SimulatedPlant.User("eve", "Eve Engineer", Role.ENGINEER));
    AlarmDefinition outletBad =
        new AlarmDefinition(
            "do_outlet_bad",
            R,
            AlarmKind.BAD_QUALITY_OR_STALE,
            "do_outlet",
            60,
            0,
            0,
            0,
            AlarmPriority.HIGH,
            false,
            0,
            null,
            new Rationale(
                "outlet oxygen sensor failed",
                "the oxygen cascade runs blind",
                "check the outlet pO2 probe",
                300));
    plant =
        fixture.started(
            PlantRuntime.start(
                new PlantRuntime.Options(
                    fixture.config(), data, RUN, null, false, "127.0.0.1", 0, clock, security),
                AlarmService.Setup.of(List.of(outletBad))));

    // a failed login: the name typed, why, never the password
    assertThat(login("olga", "not the password")).isNull();
    Map<String, String> failed = records("login_failed", 1).get(0);
    assertThat(failed).containsEntry("user_name", "olga").containsEntry("reason", "wrong password");
    assertThat(AuditRows.all(store).toString()).doesNotContain("not the password");

    Session olga = login("olga", PASSWORD);
    assertThat(olga).isNotNull();
    await()
        .atMost(WAIT)
        .until(
            () ->
                plant.linkState(R) != null
                    && plant.linkState(R).state().name().equals("CONNECTED"));

    // a setpoint: old value read from the controller, new value as accepted
    double before = loop(olga).getDouble("setpoint");
    double wanted = before == 37.0 ? 36.5 : 37.0;
    Answer sp =
        send(
            olga,
            "PUT",
            LOOP + "/setpoint",
            new JsonObject().put("setpoint", wanted).put("comment", "per protocol"));
    assertThat(sp.status()).as(sp.body()).isEqualTo(200);
    assertThat(loop(olga).getDouble("setpoint")).isEqualTo(wanted);
    Map<String, String> set = records("setpoint", 1).get(0);
    assertThat(set)
        .containsEntry("user_name", "olga")
        .containsEntry("role", "operator")
        .containsEntry("target", "r1/temperature")
        .containsEntry("old_value", PlantRoutes.value(before, "°C"))
        .containsEntry("new_value", PlantRoutes.value(wanted, "°C"))
        .containsEntry("reason", "per protocol")
        .containsEntry("run_id", RUN);

    // an alarm raised by a sensor fault, acknowledged over HTTP: one record with its states
    sim.reactor(R).sensorBadQuality("do_outlet", true);
    await()
        .atMost(WAIT)
        .until(
            () -> {
              JsonArray a = new JsonArray(send(olga, "GET", "/api/alarms?reactor=r1", null).body());
              return a.stream()
                  .map(JsonObject.class::cast)
                  .anyMatch(
                      x ->
                          x.getString("alarmId").equals("do_outlet_bad")
                              && x.getString("state").equalsIgnoreCase("unack_active"));
            });
    Answer ack =
        send(
            olga,
            "POST",
            "/api/alarms/acknowledge",
            new JsonObject()
                .put(
                    "alarms",
                    new JsonArray()
                        .add(new JsonObject().put("reactorId", R).put("alarmId", "do_outlet_bad")))
                .put("comment", "probe being swapped"));
    assertThat(ack.status()).as(ack.body()).isEqualTo(200);
    Map<String, String> acked = records("acknowledge", 1).get(0);
    assertThat(acked)
        .containsEntry("user_name", "olga")
        .containsEntry("target", "r1/do_outlet_bad")
        .containsEntry("old_value", "unack_active")
        .containsEntry("new_value", "ack_active")
        .containsEntry("reason", "probe being swapped")
        .containsEntry("run_id", RUN);

    // tuning is critical: strict mode needs a signature
    Session eve = login("eve", PASSWORD);
    double gain = loop(eve).getJsonObject("tuning").getJsonObject("main").getDouble("gain");
    double newGain = gain * 1.5;
    Answer unsigned = send(eve, "PUT", LOOP + "/tuning", new JsonObject().put("gain", newGain));
    assertThat(unsigned.status()).as(unsigned.body()).isEqualTo(403);
    Answer wrong =
        send(
            eve,
            "PUT",
            LOOP + "/tuning",
            new JsonObject()
                .put("gain", newGain)
                .put(
                    "signature",
                    new JsonObject().put("password", "not eve's").put("meaning", "approved")));
    assertThat(wrong.status()).as(wrong.body()).isEqualTo(403);
    assertThat(loop(eve).getJsonObject("tuning").getJsonObject("main").getDouble("gain"))
        .as("nothing changed")
        .isEqualTo(gain);
    List<Map<String, String>> refusals = records("signature_refused", 2);
    assertThat(refusals.get(1)).containsEntry("user_name", "eve");
    assertThat(refusals.get(1).get("reason")).contains("wrong password");
    assertThat(AuditRows.of(store, "tuning")).isEmpty();

    Answer signed =
        send(
            eve,
            "PUT",
            LOOP + "/tuning",
            new JsonObject()
                .put("gain", newGain)
                .put("comment", "less overshoot after the heater swap")
                .put(
                    "signature",
                    new JsonObject().put("password", PASSWORD).put("meaning", "approved")));
    assertThat(signed.status()).as(signed.body()).isEqualTo(200);
    assertThat(loop(eve).getJsonObject("tuning").getJsonObject("main").getDouble("gain"))
        .isEqualTo(newGain);
    Map<String, String> tuning = records("tuning", 1).get(0);
    assertThat(tuning)
        .containsEntry("user_name", "eve")
        .containsEntry("role", "engineer")
        .containsEntry("target", "r1/temperature/main")
        .containsEntry("signed_by", "Eve Engineer")
        .containsEntry("signature_meaning", "approved")
        .containsEntry("run_id", RUN);
    assertThat(tuning.get("old_value")).startsWith("gain=" + PlantRoutes.value(gain, "") + " ");
    assertThat(tuning.get("new_value")).startsWith("gain=" + PlantRoutes.value(newGain, "") + " ");

    // shutdown: the HTTP server stops, then the trail writes what is queued and anchors
    fixture.closePlant();
    plant = null;
    security.close();
    AuditVerification v = AuditVerifier.verify(data);
    assertThat(v.intact()).as(v.toString()).isTrue();
    assertThat(v.unanchored()).as("the last anchor covers every record").isZero();
    assertThat(AuditRows.all(store)).extracting(r -> r.get("action")).contains("login");
  }
}
