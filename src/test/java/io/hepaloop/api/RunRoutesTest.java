package io.hepaloop.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.app.FakeControlContexts;
import io.hepaloop.app.RunService;
import io.hepaloop.plantstate.RunTables;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.recipe.RecipeLoader;
import io.hepaloop.users.Role;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run routes over a real server, database, audit trail and run service (fake control contexts):
 * create, start, hold, restart, abort and confirm, each audited with the run's id; refusals as 409
 * naming the state; abort e-signed in strict mode; viewers refused; bad bodies answered 400 naming
 * the field.
 */
class RunRoutesTest {
  static final String RECIPE = "hepatocyte-perfusion-standard";
  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path tmp;
  ApiFixture f;
  RunTables tables;
  RunService runs;

  private void start(AuditSignatures.Mode mode) throws Exception {
    f = new ApiFixture(tmp, mode);
    tables = new RunTables(f.store);
    DeviceProfile profile =
        ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));
    runs =
        new RunService(
                tables,
                Path.of("recipes"),
                Map.of("r1", profile, "r2", profile),
                new FakeControlContexts(f.vertx, "r1", "r2"),
                f.clock)
            .withTickMs(0);
    f.vertx.deployVerticle(runs).await(30, TimeUnit.SECONDS);
    RunRoutes.mount(f.api.router(), f.api.guard(), runs, f.api.audit());
    f.users.add("olga", "Olga Operator", Role.OPERATOR, ApiFixture.PASSWORD.toCharArray(), false);
    f.user("vic", Role.VIEWER);
  }

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
      tables.close();
    }
  }

  static JsonObject newRun(String reactor) {
    return new JsonObject()
        .put("reactorId", reactor)
        .put("recipe", RECIPE)
        .put("cellSource", "ipsc_hlc")
        .put("cellsSeeded", 1e7)
        .put("scaffold", "PLGA sponge")
        .put("medium", "HCM")
        .put("reason", "batch 12");
  }

  private void tick() throws Exception {
    runs.tickAll().await(30, TimeUnit.SECONDS);
  }

  private List<Map<String, String>> records(String action, int count) {
    return await()
        .atMost(WAIT)
        .until(() -> AuditRows.of(f.store, action), rows -> rows.size() >= count);
  }

  @Test
  void aRunIsCreatedStartedHeldRestartedAndAbortedEachStepAuditedWithItsRunId() throws Exception {
    start(AuditSignatures.Mode.RESEARCH);
    ApiFixture.Client olga = f.loggedIn("olga");
    ApiFixture.Response created = olga.send("POST", "/api/runs", newRun("r1"));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonObject run = created.json();
    String id = run.getString("runId");
    assertThat(id).startsWith("r1-");
    assertThat(created.headers().firstValue("Location")).contains("/api/runs/" + id);
    assertThat(run.getString("state")).isEqualTo("IDLE");
    assertThat(run.getJsonObject("recipe").getString("sha256"))
        .isEqualTo(RecipeLoader.sha256(Files.readAllBytes(Path.of("recipes", RECIPE + ".yaml"))));
    assertThat(run.getString("operator")).isEqualTo("olga");

    ApiFixture.Response second = olga.send("POST", "/api/runs", newRun("r1"));
    assertThat(second.status()).isEqualTo(409);
    assertThat(second.json().getString("detail")).contains(id).contains("IDLE");

    ApiFixture.Response early = olga.send("POST", "/api/runs/" + id + "/hold", null);
    assertThat(early.status()).isEqualTo(409);
    assertThat(early.json().getString("detail")).contains("IDLE");

    ApiFixture.Response started = olga.send("POST", "/api/runs/" + id + "/start", new JsonObject());
    assertThat(started.status()).as(started.body()).isEqualTo(200);
    assertThat(started.json().getJsonObject("run").getString("phaseId")).isEqualTo("attachment");
    assertThat(
            started
                .json()
                .getJsonObject("run")
                .getJsonArray("openPrompts")
                .getJsonObject(0)
                .getString("id"))
        .isEqualTo("seeded");

    ApiFixture.Response hold =
        olga.send(
            "POST", "/api/runs/" + id + "/hold", new JsonObject().put("reason", "air in line"));
    assertThat(hold.json().getJsonObject("run").getString("state")).isEqualTo("HOLDING");
    tick();
    ApiFixture.Response again = olga.send("POST", "/api/runs/" + id + "/hold", null);
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().getString("detail")).contains("HELD");
    assertThat(olga.send("POST", "/api/runs/" + id + "/restart", null).status()).isEqualTo(200);
    tick();
    ApiFixture.Response confirmed =
        olga.send(
            "POST", "/api/runs/" + id + "/confirm", new JsonObject().put("promptId", "seeded"));
    assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
    assertThat(confirmed.json().getJsonObject("run").getJsonArray("openPrompts")).isEmpty();
    assertThat(
            olga.send(
                    "POST",
                    "/api/runs/" + id + "/confirm",
                    new JsonObject().put("promptId", "seeded"))
                .status())
        .isEqualTo(409);

    ApiFixture.Response note =
        olga.send(
            "POST",
            "/api/runs/" + id + "/notes",
            new JsonObject()
                .put("text", "medium slightly yellow")
                .put("notedAt", "2026-01-01T00:00:00Z"));
    assertThat(note.status()).as(note.body()).isEqualTo(201);
    assertThat(note.json().getJsonArray("notes").getJsonObject(0).getString("user"))
        .isEqualTo("olga");

    ApiFixture.Response aborted = olga.send("POST", "/api/runs/" + id + "/abort", null);
    assertThat(aborted.status()).isEqualTo(200);
    assertThat(aborted.json().getBoolean("signed")).isFalse();
    tick();
    ApiFixture.Response late = olga.send("POST", "/api/runs/" + id + "/start", null);
    assertThat(late.status()).isEqualTo(409);
    assertThat(late.json().getString("detail")).contains("ABORTED");
    JsonObject ended = olga.get("/api/runs/" + id).json();
    assertThat(ended.getString("state")).isEqualTo("ABORTED");
    assertThat(ended.getString("endedAt")).isNotNull();
    assertThat(olga.get("/api/runs?reactorId=r1&state=aborted").json().getJsonArray("runs"))
        .hasSize(1);
    assertThat(olga.get("/api/runs/" + id + "/events").json().getJsonArray("events").size())
        .isGreaterThan(5);

    Map<String, String> create = records("run_create", 1).get(0);
    assertThat(create)
        .containsEntry("user_name", "olga")
        .containsEntry("run_id", id)
        .containsEntry("target", id)
        .containsEntry("reason", "batch 12");
    assertThat(create.get("new_value")).contains(RECIPE).contains("ipsc_hlc");
    assertThat(records("run_start", 2).get(0))
        .containsEntry("run_id", id)
        .containsEntry("old_value", "IDLE")
        .containsEntry("new_value", "RUNNING");
    assertThat(records("run_start", 2).get(1).get("new_value")).startsWith("refused: ");
    assertThat(records("run_start", 2).get(1).get("reason")).contains("ABORTED");
    assertThat(records("run_hold", 3).get(1))
        .containsEntry("old_value", "RUNNING")
        .containsEntry("new_value", "HOLDING")
        .containsEntry("reason", "air in line");
    assertThat(records("run_restart", 1).get(0)).containsEntry("old_value", "HELD");
    assertThat(records("prompt_answer", 2).get(0)).containsEntry("new_value", "seeded answered");
    assertThat(records("operator_note", 1).get(0).get("new_value"))
        .contains("medium slightly yellow");
    assertThat(records("run_abort", 1).get(0))
        .containsEntry("run_id", id)
        .containsEntry("new_value", "ABORTING");
  }

  @Test
  void viewersReadButAreRefusedAndBadBodiesAreAnsweredNamingTheField() throws Exception {
    start(AuditSignatures.Mode.RESEARCH);
    ApiFixture.Client vic = f.loggedIn("vic");
    assertThat(vic.send("POST", "/api/runs", newRun("r1")).status()).isEqualTo(403);
    assertThat(vic.get("/api/runs").status()).isEqualTo(200);
    ApiFixture.Client olga = f.loggedIn("olga");
    Map<String, Object> bad =
        Map.of(
            "cellsSeeded", "lots",
            "cellSource", "liver",
            "reactorId", "r9",
            "recipe", "../etc/passwd",
            "scaffold", 3);
    for (Map.Entry<String, Object> e : bad.entrySet()) {
      ApiFixture.Response r =
          olga.send("POST", "/api/runs", newRun("r1").put(e.getKey(), e.getValue()));
      assertThat(r.status()).as(e + " " + r.body()).isEqualTo(400);
      assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("field"))
          .isEqualTo(e.getKey());
    }
    ApiFixture.Response missing =
        olga.send("POST", "/api/runs", newRun("r1").put("recipe", "nope"));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().getString("detail")).contains(RECIPE);
    ApiFixture.Response unknownField =
        olga.send("POST", "/api/runs", newRun("r1").put("colour", 1));
    assertThat(unknownField.status()).isEqualTo(400);
    assertThat(olga.get("/api/runs").json().getJsonArray("runs")).isEmpty();
    assertThat(olga.get("/api/runs/nope").status()).isEqualTo(404);
    assertThat(olga.get("/api/runs?state=bogus").status()).isEqualTo(400);
    assertThat(olga.send("POST", "/api/runs/nope/start", null).status()).isEqualTo(404);
  }

  @Test
  void strictModeRunsOnlyReleasedRecipesAndAbortNeedsTheRightSignature() throws Exception {
    start(AuditSignatures.Mode.STRICT);
    ApiFixture.Client olga = f.loggedIn("olga");
    ApiFixture.Response unreleased = olga.send("POST", "/api/runs", newRun("r1"));
    assertThat(unreleased.status()).isEqualTo(409);
    assertThat(unreleased.json().getString("detail")).contains("not released");
    String sha = RecipeLoader.sha256(Files.readAllBytes(Path.of("recipes", RECIPE + ".yaml")));
    f.store.transaction(
        c ->
            c.createStatement()
                .executeUpdate(
                    "INSERT INTO recipe_releases VALUES ('"
                        + RECIPE
                        + "', '1.0', '"
                        + sha
                        + "', 'x', 'eve', '2026-01-01T00:00:00.000000Z', 'approved', NULL)"));
    String id = olga.send("POST", "/api/runs", newRun("r1")).json().getString("runId");
    assertThat(olga.send("POST", "/api/runs/" + id + "/start", null).status()).isEqualTo(200);

    ApiFixture.Response unsigned = olga.send("POST", "/api/runs/" + id + "/abort", null);
    assertThat(unsigned.status()).isEqualTo(403);
    assertThat(unsigned.json().getString("detail")).contains("signature");
    ApiFixture.Response wrong =
        olga.send(
            "POST",
            "/api/runs/" + id + "/abort",
            new JsonObject()
                .put(
                    "signature",
                    new JsonObject().put("password", "not it at all").put("meaning", "approved")));
    assertThat(wrong.status()).isEqualTo(403);
    assertThat(olga.get("/api/runs/" + id).json().getString("state")).isEqualTo("RUNNING");

    ApiFixture.Response signed =
        olga.send(
            "POST",
            "/api/runs/" + id + "/abort",
            new JsonObject()
                .put("reason", "contaminated")
                .put(
                    "signature",
                    new JsonObject()
                        .put("password", ApiFixture.PASSWORD)
                        .put("meaning", "approved")));
    assertThat(signed.status()).as(signed.body()).isEqualTo(200);
    assertThat(signed.json().getBoolean("signed")).isTrue();
    assertThat(records("signature_refused", 2))
        .allSatisfy(r -> assertThat(r).containsEntry("run_id", id));
    assertThat(records("run_abort", 1).get(0))
        .containsEntry("signed_by", "Olga Operator")
        .containsEntry("signature_meaning", "approved")
        .containsEntry("reason", "contaminated")
        .containsEntry("run_id", id);
  }
}
