package io.hepaloop.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.audit.AuditVerifier;
import io.hepaloop.control.ControlCommand;
import io.hepaloop.users.Role;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the API records in the audit trail, over a real server, database and trail with a fake
 * plant: logins (failed ones with the name typed and why, never the password), logouts, loop
 * commands with their old and new values, refusals with their reason, user and token
 * administration, and the electronic signature of critical actions in strict and research mode.
 */
class AuditApiTest {
  static final String LOOP = "/api/reactors/r1/loops/temperature";
  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path tmp;
  ApiFixture f;
  FakePlantAccess plant;

  private void start(AuditSignatures.Mode mode) {
    f = new ApiFixture(tmp, mode);
    plant = new FakePlantAccess("r1");
    PlantRoutes.mount(f.api.router(), f.api.guard(), plant, f.api.audit());
    f.users.add("eve", "Eve Engineer", Role.ENGINEER, ApiFixture.PASSWORD.toCharArray(), false);
    f.user("olga", Role.OPERATOR);
    f.user("root", Role.ADMIN);
  }

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  private List<Map<String, String>> awaitRecords(String action, int count) {
    return await()
        .atMost(WAIT)
        .until(() -> AuditRows.of(f.store, action), rows -> rows.size() >= count);
  }

  private static JsonObject signature(String password, String meaning) {
    return new JsonObject().put("password", password).put("meaning", meaning);
  }

  @Test
  void loginsFailedLoginsAndLogoutsAreRecordedWithoutThePassword() {
    start(AuditSignatures.Mode.STRICT);
    assertThat(f.client().login("olga", "not her password at all").status()).isEqualTo(401);
    assertThat(f.client().login("mallory", "guessing-a-password").status()).isEqualTo(401);
    ApiFixture.Client olga = f.loggedIn("olga");
    assertThat(olga.send("POST", "/api/logout", null).status()).isEqualTo(204);

    List<Map<String, String>> failed = awaitRecords("login_failed", 2);
    assertThat(failed.get(0)).containsEntry("user_name", "olga").containsEntry("role", null);
    assertThat(failed.get(0).get("reason")).isEqualTo("wrong password");
    assertThat(failed.get(1)).containsEntry("user_name", "mallory");
    assertThat(failed.get(1).get("reason")).isEqualTo("unknown user");
    assertThat(awaitRecords("login", 1).get(0))
        .containsEntry("user_name", "olga")
        .containsEntry("role", "operator");
    assertThat(awaitRecords("logout", 1).get(0)).containsEntry("user_name", "olga");
    assertThat(AuditRows.all(f.store).toString())
        .doesNotContain("not her password at all")
        .doesNotContain("guessing-a-password")
        .doesNotContain(ApiFixture.PASSWORD);
  }

  @Test
  void aSetpointIsRecordedWithItsOldAndNewValueAndARefusalWithItsReason() {
    start(AuditSignatures.Mode.STRICT);
    ApiFixture.Client olga = f.loggedIn("olga");
    ApiFixture.Response ok =
        olga.send(
            "PUT",
            LOOP + "/setpoint",
            new JsonObject().put("setpoint", 37.5).put("comment", "warmer for maturation"));
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    Map<String, String> set = awaitRecords("setpoint", 1).get(0);
    assertThat(set)
        .containsEntry("user_name", "olga")
        .containsEntry("role", "operator")
        .containsEntry("target", "r1/temperature")
        .containsEntry("old_value", "30 °C")
        .containsEntry("new_value", "37.5 °C")
        .containsEntry("reason", "warmer for maturation")
        .containsEntry("signed_by", null);

    ApiFixture.Response refused =
        olga.send("PUT", LOOP + "/setpoint", new JsonObject().put("setpoint", 45));
    assertThat(refused.status()).isEqualTo(422);
    Map<String, String> r = awaitRecords("setpoint", 2).get(1);
    assertThat(r)
        .containsEntry("old_value", "37.5 °C")
        .containsEntry("new_value", "refused: 45 °C");
    assertThat(r.get("reason")).contains("outside the allowed range [30, 39]");
    assertThat(plant.commands).hasSize(1);

    // a malformed request is answered, not recorded
    assertThat(
            olga.send("PUT", LOOP + "/setpoint", new JsonObject().put("setpoint", "hot")).status())
        .isEqualTo(400);
    f.audit.flush();
    assertThat(AuditRows.of(f.store, "setpoint")).hasSize(2);
  }

  @Test
  void strictModeRefusesATuningChangeWithoutSignatureOrWithAWrongPasswordAndSignsTheRightOne() {
    start(AuditSignatures.Mode.STRICT);
    ApiFixture.Client eve = f.loggedIn("eve");

    ApiFixture.Response unsigned =
        eve.send("PUT", LOOP + "/tuning", new JsonObject().put("gain", 3));
    assertThat(unsigned.status()).as(unsigned.body()).isEqualTo(403);
    assertThat(unsigned.json().getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("signature");
    ApiFixture.Response wrong =
        eve.send(
            "PUT",
            LOOP + "/tuning",
            new JsonObject().put("gain", 3).put("signature", signature("a wrong one", "approved")));
    assertThat(wrong.status()).as(wrong.body()).isEqualTo(403);
    assertThat(wrong.body()).contains("wrong password");
    assertThat(plant.commands).as("nothing was sent to the controller").isEmpty();

    List<Map<String, String>> refusals = awaitRecords("signature_refused", 2);
    assertThat(refusals.get(0))
        .containsEntry("user_name", "eve")
        .containsEntry("target", "r1/temperature/main");
    assertThat(refusals.get(0).get("reason")).contains("needs an electronic signature");
    assertThat(refusals.get(1).get("reason")).contains("wrong password");
    assertThat(refusals.get(1).get("new_value")).startsWith("refused: tuning gain=3 ");
    assertThat(AuditRows.all(f.store).toString()).doesNotContain("a wrong one");

    ApiFixture.Response signed =
        eve.send(
            "PUT",
            LOOP + "/tuning",
            new JsonObject()
                .put("gain", 3)
                .put("comment", "less overshoot")
                .put("signature", signature(ApiFixture.PASSWORD, "approved")));
    assertThat(signed.status()).as(signed.body()).isEqualTo(200);
    assertThat(signed.json().getBoolean("signed")).isTrue();
    assertThat(plant.commands).singleElement().isInstanceOf(ControlCommand.SetTuning.class);
    Map<String, String> tuning = awaitRecords("tuning", 1).get(0);
    assertThat(tuning.get("old_value")).startsWith("gain=2 integralTimeS=100 derivativeTimeS=0");
    assertThat(tuning.get("new_value")).startsWith("gain=3 integralTimeS=100 derivativeTimeS=0");
    assertThat(tuning)
        .containsEntry("reason", "less overshoot")
        .containsEntry("signed_by", "Eve Engineer")
        .containsEntry("signature_meaning", "approved");
    assertThat(tuning.get("signed_at")).isNotNull();

    // an interlock reset is critical too
    ApiFixture.Response reset =
        eve.send(
            "POST",
            "/api/reactors/r1/interlocks/temperature_high_high/reset",
            new JsonObject().put("signature", signature(ApiFixture.PASSWORD, "performed")));
    assertThat(reset.status()).as(reset.body()).isEqualTo(200);
    assertThat(awaitRecords("interlock_reset", 1).get(0))
        .containsEntry("target", "r1/temperature_high_high")
        .containsEntry("old_value", "tripped (temperature 41 °C)")
        .containsEntry("new_value", "reset")
        .containsEntry("signature_meaning", "performed");

    f.audit.flush();
    assertThat(AuditVerifier.verify(tmp).intact()).isTrue();
  }

  @Test
  void researchModeLetsACriticalActionThroughUnsignedAndStillChecksAGivenSignature() {
    start(AuditSignatures.Mode.RESEARCH);
    ApiFixture.Client eve = f.loggedIn("eve");
    assertThat(eve.send("PUT", LOOP + "/tuning", new JsonObject().put("gain", 4)).status())
        .isEqualTo(200);
    assertThat(awaitRecords("tuning", 1).get(0)).containsEntry("signed_by", null);
    ApiFixture.Response wrong =
        eve.send(
            "PUT",
            LOOP + "/tuning",
            new JsonObject().put("gain", 5).put("signature", signature("wrong!", "approved")));
    assertThat(wrong.status()).isEqualTo(403);
    assertThat(plant.commands).hasSize(1);
    assertThat(awaitRecords("signature_refused", 1)).hasSize(1);
  }

  @Test
  void userAndTokenAdministrationIsRecorded() {
    start(AuditSignatures.Mode.STRICT);
    ApiFixture.Client root = f.loggedIn("root");
    assertThat(
            root.send(
                    "POST",
                    "/api/users",
                    new JsonObject()
                        .put("name", "vic")
                        .put("role", "viewer")
                        .put("password", "a long enough password"))
                .status())
        .isEqualTo(201);
    assertThat(
            root.send("PUT", "/api/users/vic/role", new JsonObject().put("role", "operator"))
                .status())
        .isEqualTo(200);
    assertThat(root.send("POST", "/api/users/vic/disable", null).status()).isEqualTo(200);
    assertThat(root.send("POST", "/api/users/vic/enable", null).status()).isEqualTo(200);
    ApiFixture.Response token =
        root.send("POST", "/api/tokens", new JsonObject().put("name", "nightly export"));
    assertThat(token.status()).isEqualTo(201);
    long id = token.json().getLong("id");
    assertThat(root.send("DELETE", "/api/tokens/" + id, null).status()).isEqualTo(204);

    List<Map<String, String>> users = awaitRecords("user", 4);
    assertThat(users.get(0).get("new_value")).startsWith("added: role=viewer");
    assertThat(users.get(1))
        .containsEntry("target", "vic")
        .containsEntry("old_value", "role=viewer")
        .containsEntry("new_value", "role=operator");
    assertThat(users.get(2))
        .containsEntry("old_value", "enabled")
        .containsEntry("new_value", "disabled");
    assertThat(users.get(3))
        .containsEntry("target", "vic")
        .containsEntry("old_value", "disabled")
        .containsEntry("new_value", "enabled");
    assertThat(users).allSatisfy(u -> assertThat(u).containsEntry("user_name", "root"));
    assertThat(awaitRecords("token_create", 1).get(0).get("target")).isEqualTo("root/token/" + id);
    assertThat(awaitRecords("token_revoke", 1).get(0).get("new_value")).isEqualTo("revoked");
    assertThat(AuditRows.all(f.store).toString()).doesNotContain("a long enough password");
  }

  @Test
  void autotuneActionsAreRecordedAppliedOrRefused() {
    start(AuditSignatures.Mode.STRICT);
    AutotuneAccess tuner =
        new AutotuneAccess() {
          @Override
          public io.vertx.core.Future<io.hepaloop.control.CommandResult> start(
              String reactorId,
              String loopId,
              io.hepaloop.control.RelayAutoTuner.Config config,
              String actor) {
            return io.vertx.core.Future.succeededFuture(
                io.hepaloop.control.CommandResult.accepted(
                    "Auto-tune of loop " + loopId + " started"));
          }

          @Override
          public io.vertx.core.Future<io.hepaloop.control.AutotuneProgress> progress(
              String reactorId, String loopId) {
            return io.vertx.core.Future.succeededFuture(null);
          }

          @Override
          public io.vertx.core.Future<io.hepaloop.control.CommandResult> accept(
              String reactorId, String loopId, String actor) {
            return io.vertx.core.Future.succeededFuture(
                io.hepaloop.control.CommandResult.rejected("no proposal to accept"));
          }

          @Override
          public io.vertx.core.Future<io.hepaloop.control.CommandResult> reject(
              String reactorId, String loopId, String actor) {
            return accept(reactorId, loopId, actor);
          }

          @Override
          public io.vertx.core.Future<io.hepaloop.control.CommandResult> abort(
              String reactorId, String loopId, String actor) {
            return accept(reactorId, loopId, actor);
          }
        };
    AutotuneRoutes.mount(f.api.router(), f.api.guard(), tuner, f.api.audit());
    ApiFixture.Client eve = f.loggedIn("eve");
    ApiFixture.Response started =
        eve.send("POST", LOOP + "/autotune", new JsonObject().put("amplitude", 5));
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    assertThat(eve.send("POST", LOOP + "/autotune/accept", null).status()).isEqualTo(409);
    List<Map<String, String>> rows = awaitRecords("autotune", 2);
    assertThat(rows.get(0))
        .containsEntry("user_name", "eve")
        .containsEntry("target", "r1/temperature")
        .containsEntry("new_value", "start");
    assertThat(rows.get(1))
        .containsEntry("new_value", "refused: accept")
        .containsEntry("reason", "no proposal to accept");
  }
}
