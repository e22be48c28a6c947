package io.hepaloop.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.app.PlantRecipes;
import io.hepaloop.plantstate.RecipeReleases;
import io.hepaloop.recipe.RecipeLoader;
import io.hepaloop.users.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recipes over a real server, database and audit trail: the list with versions, hashes, problems
 * and releases; a release always e-signed (research mode too), refused and recorded with a wrong or
 * missing password, linked to its signed audit record, and 409 for a version released already.
 */
class RecipeRoutesTest {
  static final String STANDARD = "hepatocyte-perfusion-standard";
  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path tmp;
  ApiFixture f;
  Path recipes;

  @BeforeEach
  void start() throws Exception {
    f = new ApiFixture(tmp.resolve("data"), AuditSignatures.Mode.RESEARCH);
    recipes = Files.createDirectories(tmp.resolve("recipes"));
    Files.copy(Path.of("recipes", STANDARD + ".yaml"), recipes.resolve(STANDARD + ".yaml"));
    Files.writeString(recipes.resolve("broken.yaml"), "name: broken\nversion: \"1\"\n");
    RecipeRoutes.mount(
        f.vertx,
        f.api.router(),
        f.api.guard(),
        new PlantRecipes(recipes, List.of(FakePlantAccess.PROFILE), new RecipeReleases(f.store)),
        f.api.audit());
    f.users.add("eve", "Eve Engineer", Role.ENGINEER, ApiFixture.PASSWORD.toCharArray(), false);
    f.user("olga", Role.OPERATOR);
  }

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  private static JsonObject release(String password) {
    return new JsonObject()
        .put("reason", "reviewed for the March cultures")
        .put("signature", new JsonObject().put("password", password).put("meaning", "approved"));
  }

  private JsonObject recipe(ApiFixture.Client c, String name) {
    JsonArray list = c.get("/api/recipes").json().getJsonArray("recipes");
    for (int i = 0; i < list.size(); i++) {
      if (name.equals(list.getJsonObject(i).getString("name"))) {
        return list.getJsonObject(i);
      }
    }
    throw new AssertionError("no recipe " + name + " in " + list);
  }

  private List<Map<String, String>> awaitRecords(String action, int count) {
    return await()
        .atMost(WAIT)
        .until(() -> AuditRows.of(f.store, action), rows -> rows.size() >= count);
  }

  @Test
  void theListShowsVersionHashPhasesAndProblemsOfEachFile() throws Exception {
    ApiFixture.Client olga = f.loggedIn("olga");
    JsonObject standard = recipe(olga, STANDARD);
    String sha = RecipeLoader.sha256(Files.readAllBytes(recipes.resolve(STANDARD + ".yaml")));
    assertThat(standard.getString("sha256")).isEqualTo(sha);
    assertThat(standard.getBoolean("valid")).isTrue();
    assertThat(standard.getBoolean("released")).isFalse();
    assertThat(standard.getString("version")).isNotBlank();
    assertThat(standard.getJsonArray("phases").getJsonObject(0).getString("id"))
        .isEqualTo("attachment");
    JsonObject broken = recipe(olga, "broken");
    assertThat(broken.getBoolean("valid")).isFalse();
    assertThat(broken.getJsonArray("problems").getString(0)).contains("broken.yaml:");
  }

  @Test
  void aReleaseIsSignedRecordedAndLinkedAndTheSameVersionTwiceIsAConflict() throws Exception {
    ApiFixture.Client eve = f.loggedIn("eve");
    String path = "/api/recipes/" + STANDARD + "/release";
    ApiFixture.Response ok = eve.send("POST", path, release(ApiFixture.PASSWORD));
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    assertThat(ok.json().getBoolean("released")).isTrue();
    assertThat(ok.json().getString("releasedBy")).isEqualTo("Eve Engineer");
    assertThat(ok.json().getString("meaning")).isEqualTo("approved");
    long seq = ok.json().getLong("auditSeq");

    Map<String, String> record = awaitRecords("recipe_release", 1).get(0);
    assertThat(record)
        .containsEntry("user_name", "eve")
        .containsEntry("target", "recipe/" + STANDARD)
        .containsEntry("signed_by", "Eve Engineer")
        .containsEntry("reason", "reviewed for the March cultures");
    assertThat(record.get("new_value")).contains(ok.json().getString("sha256"));
    assertThat(Long.parseLong(record.get("seq"))).isEqualTo(seq);
    assertThat(recipe(eve, STANDARD).getBoolean("released")).isTrue();

    ApiFixture.Response again = eve.send("POST", path, release(ApiFixture.PASSWORD));
    assertThat(again.status()).as(again.body()).isEqualTo(409);
    assertThat(again.json().getString("detail")).contains("was released by Eve Engineer");
    Map<String, String> refused = awaitRecords("recipe_release", 2).get(1);
    assertThat(refused.get("new_value")).startsWith(AuditRecorder.REFUSED);
    assertThat(new RecipeReleases(f.store).all()).hasSize(1);
  }

  @Test
  void aWrongOrMissingPasswordIsRefusedAndRecordedEvenInResearchMode() {
    ApiFixture.Client eve = f.loggedIn("eve");
    String path = "/api/recipes/" + STANDARD + "/release";
    ApiFixture.Response wrong = eve.send("POST", path, release("not the password at all"));
    assertThat(wrong.status()).as(wrong.body()).isEqualTo(403);
    ApiFixture.Response missing =
        eve.send("POST", path, new JsonObject().put("reason", "no signature"));
    assertThat(missing.status()).as(missing.body()).isEqualTo(403);
    assertThat(missing.json().getString("detail")).contains("always needs an electronic signature");

    List<Map<String, String>> refusals = awaitRecords("signature_refused", 2);
    assertThat(refusals)
        .allSatisfy(r -> assertThat(r.get("target")).isEqualTo("recipe/" + STANDARD));
    assertThat(refusals.get(0).get("reason")).contains("wrong password");
    assertThat(AuditRows.all(f.store).toString()).doesNotContain("not the password at all");
    assertThat(new RecipeReleases(f.store).all()).isEmpty();
  }

  @Test
  void onlyEngineersReleaseAndUnknownOrInvalidRecipesAreNamed() {
    ApiFixture.Client olga = f.loggedIn("olga");
    assertThat(
            olga.send("POST", "/api/recipes/" + STANDARD + "/release", release(ApiFixture.PASSWORD))
                .status())
        .isEqualTo(403);
    ApiFixture.Client eve = f.loggedIn("eve");
    ApiFixture.Response unknown =
        eve.send("POST", "/api/recipes/nope/release", release(ApiFixture.PASSWORD));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().getString("detail")).contains("nope.yaml");
    ApiFixture.Response invalid =
        eve.send("POST", "/api/recipes/broken/release", release(ApiFixture.PASSWORD));
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(
            eve.send("POST", "/api/recipes/..%2Fetc/release", release(ApiFixture.PASSWORD))
                .status())
        .isIn(400, 404);
  }
}
