package io.hepaloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The HTTP API of a {@link ServeProcess}, as a logged-in user: cookie and CSRF token kept. */
final class ServeClient {
  /** A logged-in session: its cookie, its CSRF token and the login's answer. */
  record Session(String cookie, String csrf, JsonObject login) {}

  /** An answer: status, content type (empty when none) and body. */
  record Answer(int status, String contentType, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }

    JsonArray array() {
      return new JsonArray(body);
    }
  }

  private final HttpClient http;

  ServeClient(HttpClient http) {
    this.http = http;
  }

  /** Logs {@code user} in at {@code base}; the login must be answered 200. */
  Session login(String base, String user, String password) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/login"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        new JsonObject().put("user", user).put("password", password).encode()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("login of %s: %s", user, r.body()).isEqualTo(200);
    String cookie = r.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
    JsonObject body = new JsonObject(r.body());
    return new Session(cookie, body.getString("csrfToken"), body);
  }

  /** Sends {@code body} (none when null) as {@code s}. */
  Answer call(Session s, String method, String base, String path, JsonObject body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Cookie", s.cookie())
            .header("X-CSRF-Token", s.csrf())
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.encode()));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
  }
}
