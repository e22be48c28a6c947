package io.hepaloop.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.control.LoopMode;
import io.hepaloop.control.PidTuning;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The auto-tune routes over HTTP on loopback, in front of the harness's production control. */
class AutotuneRoutesTest {
  static final String LOOP = "/api/reactors/bench/loops/temperature/autotune";
  final AutotuneTestServer server = new AutotuneTestServer();
  final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void close() {
    server.close();
  }

  HttpResponse<String> send(String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonObject problem(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(Problems.CONTENT_TYPE);
    return new JsonObject(r.body());
  }

  long operatorEvents(String source) {
    return server.with(
        h ->
            h.events().stream()
                .filter(
                    e ->
                        e.type().equals("operator")
                            && (source == null || e.source().equals(source)))
                .count());
  }

  PidTuning tuning() {
    return server.with(h -> h.control().loop("temperature").pid().tuning());
  }

  boolean running() {
    return server.with(h -> h.control().loop("temperature").autotuneRunning());
  }

  @Test
  void anEngineerStartsWatchesAndAcceptsAndTheLoopRunsTheProposal() throws Exception {
    HttpResponse<String> started =
        send("POST", LOOP, AutotuneTestServer.ENGINEER_TOKEN, "{\"amplitude\": 8}");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    JsonObject s = new JsonObject(started.body());
    assertThat(s.getString("message")).contains("started by anna").contains("± 8.00");
    assertThat(s.getJsonObject("autotune").getString("phase")).isEqualTo("running");
    assertThat(s.getJsonObject("autotune").getJsonObject("relay").getDouble("hysteresis"))
        .isEqualTo(0.05); // the loop's default where the body gives none

    // a viewer may watch
    server.run(300);
    HttpResponse<String> watched = send("GET", LOOP, AutotuneTestServer.VIEWER_TOKEN, null);
    assertThat(watched.statusCode()).isEqualTo(200);
    JsonObject p = new JsonObject(watched.body());
    assertThat(p.getString("startedBy")).isEqualTo("anna");
    assertThat(p.getDouble("elapsedS")).isBetween(290.0, 301.0);
    assertThat(p.getInteger("cyclesSeen")).isPositive();
    assertThat(p.getDouble("periodSoFarS")).isPositive();
    assertThat(p.getJsonObject("currentTuning").getDouble("gain")).isEqualTo(64.0);
    assertThat(p.getValue("proposal")).isNull();
    // but not act
    assertThat(
            problem(send("POST", LOOP + "/abort", AutotuneTestServer.VIEWER_TOKEN, null), 403)
                .getString("detail"))
        .contains("engineer");
    assertThat(running()).isTrue();
    // accepting a test still running is a conflict, not a half-applied tuning
    assertThat(
            problem(send("POST", LOOP + "/accept", AutotuneTestServer.ENGINEER_TOKEN, null), 409)
                .getString("detail"))
        .contains("it is running");

    for (int i = 0; i < 400 && running(); i++) {
      server.run(10);
    }
    JsonObject ready =
        new JsonObject(send("GET", LOOP, AutotuneTestServer.VIEWER_TOKEN, null).body());
    assertThat(ready.getString("phase")).isEqualTo("proposal_ready");
    JsonObject proposal = ready.getJsonObject("proposal");
    assertThat(proposal.getString("rule")).isEqualTo("Tyreus-Luyben PID");
    assertThat(proposal.getString("shaping")).contains("PV resolution 0.01");

    HttpResponse<String> accepted =
        send("POST", LOOP + "/accept", AutotuneTestServer.ENGINEER_TOKEN, null);
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
    assertThat(new JsonObject(accepted.body()).getJsonObject("autotune").getString("decidedBy"))
        .isEqualTo("anna");
    PidTuning now = server.with(h -> h.control().loop("temperature").pid().tuning());
    assertThat(now.gain()).isEqualTo(proposal.getJsonObject("tuning").getDouble("gain"));
    assertThat(operatorEvents("anna")).isEqualTo(2L);
    LoopMode mode = server.with(h -> h.control().loop("temperature").mode());
    assertThat(mode).isEqualTo(LoopMode.AUTO);
  }

  @Test
  void badRequestsAreAnsweredWithProblemsAndChangeNothing() throws Exception {
    String eng = AutotuneTestServer.ENGINEER_TOKEN;
    assertThat(problem(send("POST", LOOP, null, null), 401).getString("title"))
        .isEqualTo("Not authenticated");
    assertThat(problem(send("POST", LOOP, AutotuneTestServer.VIEWER_TOKEN, null), 403)).isNotNull();
    JsonObject wrongType = problem(send("POST", LOOP, eng, "{\"amplitude\": \"ten\"}"), 400);
    assertThat(wrongType.getJsonArray("errors").getJsonObject(0).getString("field"))
        .isEqualTo("amplitude");
    assertThat(problem(send("POST", LOOP, eng, "{\"amplitude\": -1}"), 400).getString("detail"))
        .contains("amplitude")
        .contains("> 0");
    assertThat(
            problem(send("POST", LOOP, eng, "{\"hysteresis\": 0.5, \"maxDeviation\": 0.2}"), 400)
                .getString("detail"))
        .contains("maxDeviation");
    assertThat(problem(send("POST", LOOP, eng, "{\"amplitud\": 5}"), 400).getString("detail"))
        .contains("amplitud")
        .contains("unknown field");
    assertThat(problem(send("POST", LOOP, eng, "{not json"), 400).getString("detail"))
        .contains("not a JSON object");
    assertThat(problem(send("POST", LOOP, eng, "{\"pi\": 1}"), 400).getString("detail"))
        .contains("true or false");
    assertThat(problem(send("POST", LOOP, eng, "[" + "1,".repeat(5000) + "1]"), 413)).isNotNull();
    assertThat(
            problem(send("POST", "/api/reactors/r9/loops/temperature/autotune", eng, null), 404)
                .getString("detail"))
        .contains("no reactor 'r9'");
    assertThat(
            problem(send("POST", "/api/reactors/bench/loops/ph/autotune", eng, null), 404)
                .getString("detail"))
        .contains("no loop 'ph'");
    assertThat(problem(send("GET", LOOP, eng, null), 404).getString("detail"))
        .contains("has had no auto-tune");
    // a relay that would leave the heater's range is refused by the controller: 409
    assertThat(problem(send("POST", LOOP, eng, "{\"amplitude\": 90}"), 409).getString("detail"))
        .contains("lower the amplitude");
    assertThat(running()).isFalse();
    assertThat(operatorEvents(null)).isZero();
  }

  @Test
  void anEngineerAbortsARunningTestAndRejectsAProposal() throws Exception {
    String eng = AutotuneTestServer.ENGINEER_TOKEN;
    assertThat(send("POST", LOOP, eng, null).statusCode()).isEqualTo(202);
    assertThat(problem(send("POST", LOOP, eng, null), 409).getString("detail"))
        .contains("already auto-tuning");
    server.run(60);
    HttpResponse<String> aborted = send("POST", LOOP + "/abort", eng, null);
    assertThat(aborted.statusCode()).isEqualTo(200);
    JsonObject a = new JsonObject(aborted.body()).getJsonObject("autotune");
    assertThat(a.getString("phase")).isEqualTo("aborted");
    assertThat(a.getString("reason")).isEqualTo("aborted by anna");
    assertThat(running()).isFalse();

    assertThat(send("POST", LOOP, eng, "{}").statusCode()).isEqualTo(202);
    for (int i = 0; i < 400 && running(); i++) {
      server.run(10);
    }
    PidTuning before = server.with(h -> h.control().loop("temperature").pid().tuning());
    HttpResponse<String> rejected = send("POST", LOOP + "/reject", eng, null);
    assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(200);
    assertThat(new JsonObject(rejected.body()).getJsonObject("autotune").getString("phase"))
        .isEqualTo("rejected");
    assertThat(tuning()).isEqualTo(before);
  }
}
