package io.hepaloop.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The auto-tune routes of a running {@code serve} or {@code demo}, over HTTP with an API token
 * ({@code Authorization: Bearer}). Blocking: the CLI's main thread, never an event loop.
 */
final class TuneClient {
  /** An answer: the status and its JSON body (a problem on 4xx/5xx). */
  record Answer(int status, JsonObject body) {
    boolean ok() {
      return status / 100 == 2;
    }

    /** The problem's detail, or the body. */
    String detail() {
      return body.getString("detail", body.encode());
    }
  }

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;
  private final String token;

  TuneClient(String url, String token, String reactorId, String loopId) {
    this.base =
        url.replaceAll("/+$", "")
            + "/api/reactors/"
            + URLEncoder.encode(reactorId, StandardCharsets.UTF_8)
            + "/loops/"
            + URLEncoder.encode(loopId, StandardCharsets.UTF_8)
            + "/autotune";
    this.token = token;
  }

  Answer start(JsonObject body) throws IOException, InterruptedException {
    return send("POST", "", body.encode());
  }

  Answer progress() throws IOException, InterruptedException {
    return send("GET", "", null);
  }

  /** accept, reject or abort. */
  Answer action(String name) throws IOException, InterruptedException {
    return send("POST", "/" + name, null);
  }

  private Answer send(String method, String suffix, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + suffix))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/json");
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new IOException(
          "no HepaLoop answers at "
              + URI.create(base).resolve("/")
              + " (is serve or demo running?)",
          e);
    }
    JsonObject json;
    try {
      json = r.body().isBlank() ? new JsonObject() : new JsonObject(r.body());
    } catch (DecodeException | ClassCastException e) {
      json = new JsonObject().put("detail", "HTTP " + r.statusCode() + ": " + r.body());
    }
    return new Answer(r.statusCode(), json);
  }
}
