package io.hepaloop.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A blocking HTTP client for API tests, with the test guard's role header. */
final class ApiClient {
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final String base;

  ApiClient(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** An answer: status, content type and body. */
  record Answer(int status, String contentType, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }

    JsonArray array() {
      return new JsonArray(body);
    }

    boolean isProblem() {
      return contentType != null && contentType.startsWith(Problems.CONTENT_TYPE);
    }
  }

  Answer get(String role, String path) throws Exception {
    return send(role, "GET", path, null);
  }

  Answer put(String role, String path, String body) throws Exception {
    return send(role, "PUT", path, body);
  }

  Answer post(String role, String path, String body) throws Exception {
    return send(role, "POST", path, body);
  }

  Answer send(String role, String method, String path, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (role != null) {
      b.header(TestRoleGuard.ROLE, role).header(TestRoleGuard.USER, role + "-ann");
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(
        r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body());
  }

  String base() {
    return base;
  }

  HttpClient http() {
    return http;
  }
}
