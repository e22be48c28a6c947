package io.hepaloop.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.users.Role;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's files as the server serves them: {@code /} and {@code /console} lead to {@code
 * /console/}; the console's own files must be revalidated (no build step renames them), the
 * vendored uPlot may be kept a day; every answer carries a CSP that allows only this origin's
 * scripts; nothing outside the web root is reachable; and {@code GET /api/plant} is behind the
 * session guard.
 */
class ConsoleRoutesTest {
  @TempDir Path tmp;
  ApiFixture f;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    f = new ApiFixture(tmp);
    PlantFactsRoutes.mount(
        f.api.router(),
        f.api.guard(),
        List.of(
            new PlantFactsRoutes.ReactorFacts(
                "r1",
                "Reactor one",
                ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml")),
                2_000_000L)));
  }

  @AfterEach
  void stop() {
    f.close();
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(f.base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse("");
  }

  @Test
  void theRootAndTheBarePathLeadToTheConsole() throws Exception {
    for (String path : List.of("/", "/console")) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(302);
      assertThat(header(r, "Location")).as(path).isEqualTo("/console/");
    }
  }

  @Test
  void theConsoleIsRevalidatedAndMayRunOnlyThisOriginsScripts() throws Exception {
    HttpResponse<String> index = get("/console/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(header(index, "Content-Type")).startsWith("text/html");
    assertThat(index.body()).contains("<script type=\"module\" src=\"js/app.js\"></script>");
    assertThat(header(index, "Cache-Control")).isEqualTo("no-cache");
    String csp = header(index, "Content-Security-Policy");
    assertThat(csp).contains("script-src 'self'").contains("frame-ancestors 'none'");
    assertThat(csp).doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
    assertThat(header(index, "X-Content-Type-Options")).isEqualTo("nosniff");

    HttpResponse<String> app = get("/console/js/app.js");
    assertThat(app.statusCode()).isEqualTo(200);
    assertThat(header(app, "Content-Type")).startsWith("text/javascript");
    assertThat(header(app, "Cache-Control")).isEqualTo("no-cache");
    String lastModified = header(app, "Last-Modified");
    assertThat(lastModified).isNotEmpty();
    HttpResponse<String> again =
        http.send(
            HttpRequest.newBuilder(URI.create(f.base + "/console/js/app.js"))
                .header("If-Modified-Since", lastModified)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(again.statusCode()).isEqualTo(304);
  }

  @Test
  void uplotComesFromItsWebJarAndMayBeKeptADay() throws Exception {
    HttpResponse<String> js = get("/console/vendor/uplot/uPlot.esm.js");
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.body()).contains("export");
    assertThat(header(js, "Cache-Control")).isEqualTo("public, max-age=86400");
    assertThat(get("/console/vendor/uplot/uPlot.min.css").statusCode()).isEqualTo(200);
  }

  @Test
  void nothingOutsideTheWebRootIsServed() throws Exception {
    assertThat(get("/console/no-such-file.js").statusCode()).isEqualTo(404);
    // logback.xml lies on the class path beside webroot: no spelling of ".." reaches it.
    for (String path :
        List.of(
            "/console/../logback.xml",
            "/console/%2e%2e/logback.xml",
            "/console/..%2flogback.xml",
            "/console/js/..%2f..%2flogback.xml",
            "/console/vendor/uplot/../../../../../../../logback.xml",
            "/console/vendor/uplot/..%2f..%2f..%2f..%2f..%2f..%2f..%2flogback.xml")) {
      HttpResponse<String> r = get(path);
      assertThat(r.body()).as(path).doesNotContain("<configuration");
      assertThat(r.statusCode()).as(path).isGreaterThanOrEqualTo(400);
    }
  }

  @Test
  void plantFactsNeedASessionAndTellUnitsRangesAlphaAndCells() throws Exception {
    assertThat(get("/api/plant").statusCode()).isEqualTo(401);
    f.user("vic", Role.VIEWER);
    ApiFixture.Response r = f.loggedIn("vic").get("/api/plant");
    assertThat(r.status()).isEqualTo(200);
    JsonObject reactor = r.json().getJsonArray("reactors").getJsonObject(0);
    assertThat(reactor.getString("reactorId")).isEqualTo("r1");
    assertThat(reactor.getLong("cellsSeeded")).isEqualTo(2_000_000L);
    assertThat(reactor.getDouble("oxygenSolubilityNmolPerMlMmHg")).isPositive();
    JsonObject temperature = reactor.getJsonArray("signals").getJsonObject(0);
    assertThat(temperature.getString("signal")).isEqualTo("temperature");
    assertThat(temperature.getString("unit")).isEqualTo("°C");
    assertThat(temperature.getString("kind")).isEqualTo("sensor");
    assertThat(temperature.getJsonObject("range").getDouble("max")).isEqualTo(60.0);
  }
}
