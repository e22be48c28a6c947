package io.hepaloop.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.api.ApiFixture.Client;
import io.hepaloop.api.ApiFixture.Response;
import io.hepaloop.users.Role;
import io.hepaloop.users.Users;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logging in, sessions, the CSRF token, roles, the first admin's forced password change, user
 * administration and API tokens, over real HTTP on loopback.
 */
class ApiAccessTest {
  @TempDir Path tmp;
  ApiFixture f;

  @BeforeEach
  void start() {
    f = new ApiFixture(tmp);
  }

  @AfterEach
  void stop() {
    f.close();
  }

  @Test
  void theFirstAdminMustChangeThePasswordBeforeAnythingElse() {
    String initial = f.users.ensureFirstAdmin().orElseThrow();
    Client admin = f.client();
    Response login = admin.login(Users.FIRST_ADMIN, initial);
    assertThat(login.status()).isEqualTo(200);
    assertThat(login.json().getBoolean("mustChangePassword")).isTrue();
    assertThat(login.headers().firstValue("Set-Cookie").orElseThrow())
        .containsIgnoringCase("HttpOnly")
        .contains("SameSite=Strict")
        .doesNotContain("Secure");

    Response refused = admin.get("/api/users");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().getString("detail")).contains("must change their password");
    assertThat(admin.get("/api/session").json().getString("role")).isEqualTo("admin");

    JsonObject change =
        new JsonObject().put("currentPassword", initial).put("newPassword", "a new long password");
    assertThat(admin.raw("POST", "/api/password", change.encode(), false).status())
        .isEqualTo(403); // no CSRF token
    assertThat(admin.send("POST", "/api/password", change).status()).isEqualTo(204);

    assertThat(admin.get("/api/users").status()).isEqualTo(200);
    assertThat(f.users.get(Users.FIRST_ADMIN).mustChangePassword()).isFalse();
    assertThat(f.client().login(Users.FIRST_ADMIN, initial).status()).isEqualTo(401);
  }

  @Test
  void rolesDecideAndARoleChangeAppliesAtTheNextRequest() {
    f.user("root", Role.ADMIN);
    f.user("vic", Role.VIEWER);
    Client admin = f.loggedIn("root");
    Client vic = f.loggedIn("vic");

    Response refused = vic.get("/api/users");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.contentType()).startsWith(Problems.CONTENT_TYPE);
    assertThat(refused.json().getString("detail"))
        .isEqualTo("needs role admin or higher; user 'vic' has role viewer");

    assertThat(
            admin
                .send("PUT", "/api/users/vic/role", new JsonObject().put("role", "admin"))
                .json()
                .getString("role"))
        .isEqualTo("admin");
    assertThat(vic.get("/api/users").status()).isEqualTo(200);
    assertThat(vic.get("/api/session").json().getString("role")).isEqualTo("admin");
  }

  @Test
  void anAdminAddsDisablesAndResetsUsers() {
    f.user("root", Role.ADMIN);
    Client admin = f.loggedIn("root");
    Response added =
        admin.send(
            "POST",
            "/api/users",
            new JsonObject()
                .put("name", "olga")
                .put("role", "operator")
                .put("displayName", "Olga O.")
                .put("password", "olga's first password"));
    assertThat(added.status()).as(added.toString()).isEqualTo(201);
    assertThat(added.json().getBoolean("mustChangePassword")).isTrue();
    assertThat(added.headers().firstValue("Location")).hasValue("/api/users/olga");

    Client olga = f.client();
    assertThat(olga.login("olga", "olga's first password").status()).isEqualTo(200);
    assertThat(
            admin
                .send(
                    "POST",
                    "/api/users/olga/password",
                    new JsonObject().put("password", "reset pass 12345"))
                .status())
        .isEqualTo(204);
    assertThat(olga.get("/api/session").status()).isEqualTo(401); // the reset ended her session
    Client again = f.client();
    assertThat(again.login("olga", "reset pass 12345").json().getBoolean("mustChangePassword"))
        .isTrue();

    Response disabled = admin.send("POST", "/api/users/olga/disable", null);
    assertThat(disabled.json().getBoolean("disabled")).isTrue();
    assertThat(again.get("/api/session").status()).isEqualTo(401);
    assertThat(f.client().login("olga", "reset pass 12345").status()).isEqualTo(401);
    assertThat(admin.get("/api/users").array().size()).isEqualTo(2);

    Response enabled = admin.send("POST", "/api/users/olga/enable", null);
    assertThat(enabled.status()).as(enabled.body()).isEqualTo(200);
    assertThat(enabled.json().getBoolean("disabled")).isFalse();
    assertThat(f.client().login("olga", "reset pass 12345").status()).isEqualTo(200);

    Response unknown = admin.send("POST", "/api/users/zed/enable", null);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.contentType()).startsWith("application/problem+json");
    assertThat(unknown.json().getString("detail")).contains("no user 'zed'");
    assertThat(anOperator(f).send("POST", "/api/users/olga/enable", null).status())
        .as("admins only")
        .isEqualTo(403);
  }

  private static Client anOperator(ApiFixture f) {
    f.user("opal", Role.OPERATOR);
    return f.loggedIn("opal");
  }

  @Test
  void logoutEndsTheSessionAndClearsTheCookie() {
    f.user("ann", Role.OPERATOR);
    Client ann = f.loggedIn("ann");
    Response out = ann.send("POST", "/api/logout", null);
    assertThat(out.status()).isEqualTo(204);
    assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
    Response after = ann.get("/api/session");
    assertThat(after.status()).isEqualTo(401);
    assertThat(after.json().getString("detail")).startsWith("unknown session");
  }

  @Test
  void aSessionEndsWhenIdleAndAfterItsAbsoluteLifetime() {
    f.user("ann", Role.OPERATOR);
    Client idle = f.loggedIn("ann");
    f.clock.advance(Duration.ofMinutes(29));
    assertThat(idle.get("/api/session").status()).isEqualTo(200); // and touched
    f.clock.advance(Duration.ofMinutes(29));
    assertThat(idle.get("/api/session").status()).isEqualTo(200);
    f.clock.advance(Duration.ofMinutes(31));
    Response expired = idle.get("/api/session");
    assertThat(expired.status()).isEqualTo(401);
    assertThat(expired.json().getString("detail")).contains("expired");

    Client busy = f.loggedIn("ann");
    for (int i = 0; i < 12 * 3 - 1; i++) {
      f.clock.advance(Duration.ofMinutes(20));
      assertThat(busy.get("/api/session").status()).as("after %d min", (i + 1) * 20).isEqualTo(200);
    }
    f.clock.advance(Duration.ofMinutes(20)); // 12 h after login, however busy
    assertThat(busy.get("/api/session").status()).isEqualTo(401);
  }

  @Test
  void anApiTokenIsShownOnceStoredHashedListedAndRevoked() {
    f.user("sam", Role.ENGINEER);
    Client sam = f.loggedIn("sam");
    Response created =
        sam.send("POST", "/api/tokens", new JsonObject().put("name", "nightly export"));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String secret = created.json().getString("token");
    assertThat(secret).startsWith("hlt_");
    assertThat(f.snapshot().get("api_tokens")).doesNotContain(secret);

    Client script = f.client();
    script.bearer = secret;
    Response who = script.get("/api/session");
    assertThat(who.json().getString("user")).isEqualTo("sam");
    assertThat(who.json().getBoolean("viaToken")).isTrue();
    assertThat(who.json().containsKey("csrfToken")).isFalse();
    Response minted = script.send("POST", "/api/tokens", new JsonObject().put("name", "more"));
    assertThat(minted.status()).isEqualTo(403);

    Response listed = sam.get("/api/tokens");
    assertThat(listed.array().size()).isEqualTo(1);
    assertThat(listed.body()).doesNotContain(secret);
    long id = listed.array().getJsonObject(0).getLong("id");
    assertThat(sam.send("DELETE", "/api/tokens/" + id, null).status()).isEqualTo(204);
    Response revoked = script.get("/api/session");
    assertThat(revoked.status()).isEqualTo(401);
    assertThat(revoked.json().getString("detail")).isEqualTo("the API token was revoked");
    assertThat(sam.send("DELETE", "/api/tokens/" + id, null).status()).isEqualTo(404);
  }

  @Test
  void aTokenWithAnExpiryStopsWorkingThen() {
    f.user("sam", Role.VIEWER);
    Client sam = f.loggedIn("sam");
    String secret =
        sam.send("POST", "/api/tokens", new JsonObject().put("name", "ci").put("expiresInDays", 2))
            .json()
            .getString("token");
    Client script = f.client();
    script.bearer = secret;
    f.clock.advance(Duration.ofDays(2).minusMinutes(1));
    assertThat(script.get("/api/tokens").status()).isEqualTo(200);
    f.clock.advance(Duration.ofMinutes(1));
    Response expired = script.get("/api/tokens");
    assertThat(expired.status()).isEqualTo(401);
    assertThat(expired.json().getString("detail")).isEqualTo("the API token has expired");
  }

  @Test
  void metricsHealthAndTheDocumentNeedNoLogin() {
    assertThat(f.client().get("/health").status()).isEqualTo(200);
    assertThat(f.client().get("/metrics").status()).isEqualTo(200);
    Response doc = f.client().get("/openapi.yaml");
    assertThat(doc.status()).isEqualTo(200);
    assertThat(doc.body()).startsWith("openapi: 3.");
  }
}
