package io.hepaloop.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.api.ApiFixture.Client;
import io.hepaloop.api.ApiFixture.Response;
import io.hepaloop.users.Role;
import io.hepaloop.users.Users;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access routes' bad-request corpus: each bad request gets the right status as problem+json
 * naming what is wrong, and the users, sessions and tokens in the database stay exactly as they
 * were.
 */
class BadRequestCorpusTest {
  @TempDir Path tmp;
  ApiFixture f;
  Client admin;

  @BeforeEach
  void start() {
    f = new ApiFixture(tmp);
    f.user("root", Role.ADMIN);
    f.user("olga", Role.OPERATOR);
    admin = f.loggedIn("root");
  }

  @AfterEach
  void stop() {
    f.close();
  }

  /** Sends the request and checks status, problem+json, the detail, and an unchanged database. */
  private JsonObject refused(
      int status, String detailPart, java.util.function.Supplier<Response> call) {
    Map<String, String> before = f.snapshot();
    Response r = call.get();
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.contentType()).startsWith(Problems.CONTENT_TYPE);
    JsonObject problem = r.json();
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("detail")).contains(detailPart);
    assertThat(f.snapshot()).isEqualTo(before);
    return problem;
  }

  private static String field(JsonObject problem, int i) {
    return problem.getJsonArray("errors").getJsonObject(i).getString("field");
  }

  @Test
  void wrongTypesAreNamedFieldByField() {
    JsonObject p =
        refused(
            400,
            "name: expected a string, got a number; role: expected a string, got a boolean;",
            () ->
                admin.send(
                    "POST",
                    "/api/users",
                    new JsonObject()
                        .put("name", 42)
                        .put("role", true)
                        .put("password", "long enough password")
                        .put("mustChangePassword", "yes")));
    assertThat(p.getJsonArray("errors").size()).isEqualTo(3);
    assertThat(field(p, 0)).isEqualTo("name");
    assertThat(p.getJsonArray("errors").getJsonObject(0).getString("problem"))
        .isEqualTo("expected a string, got a number");
    refused(
        400,
        "user: expected a string, got an array",
        () ->
            f.client()
                .send(
                    "POST",
                    "/api/login",
                    new JsonObject()
                        .put("user", new io.vertx.core.json.JsonArray())
                        .put("password", "x")));
    refused(
        400,
        "expiresInDays: must be 1..3650, was 0",
        () ->
            admin.send(
                "POST", "/api/tokens", new JsonObject().put("name", "t").put("expiresInDays", 0)));
    refused(
        400,
        "expiresInDays: expected a whole number, got a number",
        () ->
            admin.send(
                "POST",
                "/api/tokens",
                new JsonObject().put("name", "t").put("expiresInDays", 1.5)));
  }

  @Test
  void malformedEmptyAndNonObjectBodiesAreRefused() {
    refused(
        400,
        "body: malformed JSON",
        () -> admin.raw("POST", "/api/users", "{\"name\": \"x\",", true));
    refused(
        400, "body: a JSON object is required", () -> admin.raw("POST", "/api/users", "", true));
    refused(
        400,
        "body: expected a JSON object, got an array",
        () -> admin.raw("POST", "/api/users", "[1, 2]", true));
    JsonObject p =
        refused(
            400,
            "unknown field",
            () ->
                f.client()
                    .send(
                        "POST",
                        "/api/login",
                        new JsonObject().put("user", "root").put("passwd", "x")));
    assertThat(p.encode()).contains("password").contains("passwd");
  }

  @Test
  void aBodyOverTheLimitIs413() {
    String huge = "{\"name\":\"" + "x".repeat(HttpApi.BODY_LIMIT_BYTES + 10) + "\"}";
    refused(413, "larger than 64 KiB", () -> admin.raw("POST", "/api/users", huge, true));
    refused(413, "larger than 64 KiB", () -> f.client().raw("POST", "/api/login", huge, true));
  }

  @Test
  void invalidValuesAndConflictsChangeNothing() {
    refused(
        400,
        "password too short",
        () ->
            admin.send(
                "POST",
                "/api/users",
                new JsonObject()
                    .put("name", "bob")
                    .put("role", "viewer")
                    .put("password", "short")));
    refused(
        400,
        "unknown role 'god'",
        () -> admin.send("PUT", "/api/users/olga/role", new JsonObject().put("role", "god")));
    refused(
        409,
        "exists already",
        () ->
            admin.send(
                "POST",
                "/api/users",
                new JsonObject()
                    .put("name", "olga")
                    .put("role", "viewer")
                    .put("password", "long enough password")));
    refused(
        409,
        "last enabled admin",
        () -> admin.send("PUT", "/api/users/root/role", new JsonObject().put("role", "viewer")));
    refused(409, "last enabled admin", () -> admin.send("POST", "/api/users/root/disable", null));
    refused(404, "no user 'nobody'", () -> admin.send("POST", "/api/users/nobody/disable", null));
    refused(404, "no live API token 99", () -> admin.send("DELETE", "/api/tokens/99", null));
    refused(400, "id: expected a token id", () -> admin.send("DELETE", "/api/tokens/abc", null));
  }

  @Test
  void missingOrWrongCsrfTokenIs403() {
    JsonObject add =
        new JsonObject()
            .put("name", "bob")
            .put("role", "viewer")
            .put("password", "long enough password");
    refused(
        403, "missing X-CSRF-Token", () -> admin.raw("POST", "/api/users", add.encode(), false));
    admin.csrf = "not-the-token";
    refused(403, "wrong X-CSRF-Token", () -> admin.send("POST", "/api/users", add));
  }

  @Test
  void noExpiredRevokedOrDisabledCredentialsGetIn() {
    refused(401, "not logged in", () -> f.client().get("/api/users"));
    Client bad = f.client();
    bad.bearer = "hlt_guessed";
    refused(401, "unknown API token", () -> bad.get("/api/session"));
    Client basic = f.client();
    refused(
        401,
        "must be 'Bearer",
        () -> {
          basic.authorization = "Basic cm9vdDpyb290";
          return basic.get("/api/session");
        });

    Client olga = f.loggedIn("olga");
    String token =
        olga.send("POST", "/api/tokens", new JsonObject().put("name", "script"))
            .json()
            .getString("token");
    Client script = f.client();
    script.bearer = token;
    assertThat(admin.send("POST", "/api/users/olga/disable", null).status()).isEqualTo(200);
    refused(401, "token's user is disabled", () -> script.get("/api/session"));
    refused(401, "unknown session", () -> olga.get("/api/session"));
    refused(401, "login failed", () -> f.client().login("olga", ApiFixture.PASSWORD));

    f.clock.advance(Duration.ofMinutes(31));
    refused(401, "session has expired", () -> admin.get("/api/users"));
  }

  @Test
  void repeatedWrongPasswordsLockTheAccountAndSay429UntilWhen() {
    for (int i = 1; i < Users.MAX_FAILED_LOGINS; i++) {
      Response wrong = f.client().login("olga", "wrong password!");
      assertThat(wrong.status()).isEqualTo(401);
      assertThat(wrong.json().getString("detail"))
          .isEqualTo("login failed: wrong user name or password");
    }
    assertThat(f.users.get("olga").failedLogins()).isEqualTo(Users.MAX_FAILED_LOGINS - 1);
    // An unknown user is answered alike, so nobody learns which names exist.
    refused(401, "wrong user name or password", () -> f.client().login("nobody", "wrong pass"));
    Response locked = f.client().login("olga", "wrong password!");
    assertThat(locked.status()).isEqualTo(429);
    String until = f.clock.now().plus(Users.LOCKOUT).toString();
    assertThat(locked.json().getString("detail")).contains("until " + until);
    assertThat(locked.headers().firstValue("Retry-After")).hasValue("900");
    refused(429, "until " + until, () -> f.client().login("olga", ApiFixture.PASSWORD));
    f.clock.advance(Users.LOCKOUT);
    assertThat(f.client().login("olga", ApiFixture.PASSWORD).status()).isEqualTo(200);
  }

  @Test
  void unknownRoutesAndMethodsAreProblems() {
    refused(404, "no route /api/nothing", () -> admin.get("/api/nothing"));
    refused(404, "no route /elsewhere", () -> f.client().get("/elsewhere"));
    refused(
        405,
        "DELETE is not allowed on /api/login",
        () -> f.client().send("DELETE", "/api/login", null));
  }
}
