package io.hepaloop.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.audit.AuditEntry;
import io.hepaloop.audit.AuditException;
import io.hepaloop.audit.AuditRecord;
import io.hepaloop.control.AutotuneProgress;
import io.hepaloop.control.CommandResult;
import io.hepaloop.control.RelayAutoTuner;
import io.hepaloop.lab.LabAnalytes;
import io.hepaloop.lab.LabSamples;
import io.hepaloop.lab.TestRuns;
import io.hepaloop.store.Store;
import io.hepaloop.time.ManualClock;
import io.hepaloop.users.ApiTokens;
import io.hepaloop.users.PasswordHasher;
import io.hepaloop.users.Role;
import io.hepaloop.users.Sessions;
import io.hepaloop.users.Users;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Login, logout, password, user, token, auto-tune and lab routes answer only once the audit record
 * of what they did is committed, so a kill -9 right after an answer cannot lose the record; and 500
 * problem+json when it could not be written. The routes record to a trail whose commits the test
 * holds back: a route's answer is seen ({@code addHeadersEndHandler}) from the event-loop task that
 * queued the record, or from any before it, by a probe run on the same context after it, so an
 * answer given before the commit cannot go unnoticed however fast the machine is.
 */
class AuditBeforeAnswerTest {
  private static final String PASSWORD = "correct horse battery";
  private static final String LOOP = "/api/reactors/r1/loops/temperature/autotune";
  private static final String RUN = "R1-20260101-000000";
  private static final String SAMPLES = "/api/runs/" + RUN + "/samples";

  @TempDir Path tmp;

  private final ManualClock clock = new ManualClock();
  private final HeldTrail trail = new HeldTrail();
  private final List<String> answers = new CopyOnWriteArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
  private final FakeTuner tuner = new FakeTuner();
  private Store store;
  private Users users;
  private Vertx vertx;
  private Blocking blocking;
  private String base;

  @BeforeEach
  void start() {
    store = Store.open(tmp);
    users = new Users(store, clock, new PasswordHasher(new PasswordHasher.Params(256, 1, 1)));
    Sessions sessions = new Sessions(store, clock, Sessions.Policy.DEFAULT);
    ApiTokens tokens = new ApiTokens(store, clock);
    ApiSecurity security = new ApiSecurity(users, sessions, tokens, clock, null, false);
    users.add("ada", null, Role.ADMIN, PASSWORD.toCharArray(), false);
    users.add("olga", null, Role.OPERATOR, PASSWORD.toCharArray(), false);

    vertx = Vertx.vertx();
    blocking = new Blocking(vertx);
    Router router = Router.router(vertx);
    router.route().failureHandler(rc -> ApiErrors.failure(rc, HttpApi.BODY_LIMIT_BYTES));
    router
        .route("/api/*")
        .handler(BodyHandler.create(false).setBodyLimit(HttpApi.BODY_LIMIT_BYTES))
        .handler(
            rc -> {
              rc.addHeadersEndHandler(
                  v ->
                      answers.add(
                          rc.request().method()
                              + " "
                              + rc.request().path()
                              + " "
                              + rc.response().getStatusCode()));
              rc.next();
            });
    SessionGuard guard = new SessionGuard(vertx, sessions, tokens, false);
    AuditRecorder audit = AuditRecorder.recordingTo(trail, null, AuditSignatures.unchecked());
    new SessionRoutes(security, guard, blocking, audit).mount(router);
    new UserRoutes(security, guard, blocking, audit).mount(router);
    new TokenRoutes(security, guard, blocking, audit).mount(router);
    AutotuneRoutes.mount(router, guard, tuner, audit);
    // a run created at the clock's start; lab samples are entered two days later
    TestRuns.insert(store, RUN, "R1", clock.now(), null);
    clock.advance(Duration.ofDays(2));
    LabRoutes.mount(
        vertx, router, guard, new LabSamples(store, clock, LabAnalytes.defaults(), s -> {}), audit);
    // no recipes: only an unsigned release is asked for, refused before recipes are looked at
    RecipeRoutes.mount(vertx, router, guard, null, audit);
    HttpServer server =
        vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    base = "http://127.0.0.1:" + server.actualPort();
  }

  @AfterEach
  void stop() {
    blocking.close();
    vertx.close().await();
    store.close();
  }

  @Test
  void loginLogoutAndPasswordAnswerOnlyOnceRecorded() {
    Caller ada = new Caller();
    HttpResponse<String> in = afterCommit(ada.login("ada", PASSWORD), "login");
    assertThat(in.statusCode()).as(in.body()).isEqualTo(200);
    ada.took(in);

    HttpResponse<String> wrong =
        afterCommit(new Caller().login("ada", "not the password"), "login_failed");
    assertThat(wrong.statusCode()).isEqualTo(401);

    HttpResponse<String> changed =
        afterCommit(
            ada.post(
                "/api/password",
                new JsonObject()
                    .put("currentPassword", PASSWORD)
                    .put("newPassword", "a brand new password")),
            "password_change");
    assertThat(changed.statusCode()).as(changed.body()).isEqualTo(204);

    HttpResponse<String> out = afterCommit(ada.post("/api/logout", null), "logout");
    assertThat(out.statusCode()).isEqualTo(204);
  }

  @Test
  void userAdministrationAnswersOnlyOnceRecorded() {
    Caller ada = loggedIn("ada");
    HttpResponse<String> added =
        afterCommit(
            ada.post(
                "/api/users",
                new JsonObject()
                    .put("name", "vic")
                    .put("role", "viewer")
                    .put("password", "a long enough password")),
            "user");
    assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
    assertThat(
            afterCommit(
                    ada.put("/api/users/vic/role", new JsonObject().put("role", "operator")),
                    "user")
                .statusCode())
        .isEqualTo(200);
    assertThat(afterCommit(ada.post("/api/users/vic/disable", null), "user").statusCode())
        .isEqualTo(200);
    assertThat(afterCommit(ada.post("/api/users/vic/enable", null), "user").statusCode())
        .isEqualTo(200);
    assertThat(
            afterCommit(
                    ada.post(
                        "/api/users/vic/password",
                        new JsonObject().put("password", "another long password")),
                    "password_change")
                .statusCode())
        .isEqualTo(204);
    HttpResponse<String> taken =
        afterCommit(
            ada.post(
                "/api/users",
                new JsonObject()
                    .put("name", "vic")
                    .put("role", "admin")
                    .put("password", "a long enough password")),
            "user");
    assertThat(taken.statusCode()).as("a refusal is recorded, then answered").isEqualTo(409);
  }

  @Test
  void tokensAnswerOnlyOnceRecorded() {
    Caller ada = loggedIn("ada");
    HttpResponse<String> created =
        afterCommit(
            ada.post("/api/tokens", new JsonObject().put("name", "nightly")), "token_create");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    long id = new JsonObject(created.body()).getLong("id");
    assertThat(
            afterCommit(ada.send("DELETE", "/api/tokens/" + id, null), "token_revoke").statusCode())
        .isEqualTo(204);
  }

  @Test
  void autotuneActionsAnswerOnlyOnceRecorded() {
    Caller ada = loggedIn("ada");
    HttpResponse<String> started =
        afterCommit(ada.post(LOOP, new JsonObject().put("amplitude", 5)), "autotune");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    for (String action : List.of("accept", "reject", "abort")) {
      assertThat(afterCommit(ada.post(LOOP + "/" + action, null), "autotune").statusCode())
          .as(action)
          .isEqualTo(200);
    }
    tuner.refuse = true;
    assertThat(afterCommit(ada.post(LOOP + "/accept", null), "autotune").statusCode())
        .as("a refusal is recorded, then answered")
        .isEqualTo(409);
  }

  @Test
  void labResultsAnswerOnlyOnceRecorded() {
    Caller ada = loggedIn("ada");
    HttpResponse<String> entered = afterCommit(ada.post(SAMPLES, glucose("mg/dL")), "lab_entry");
    assertThat(entered.statusCode()).as(entered.body()).isEqualTo(201);
    String id = new JsonObject(entered.body()).getString("sampleId");
    HttpResponse<String> corrected =
        afterCommit(
            ada.post(
                SAMPLES + "/" + id + "/corrections",
                new JsonObject()
                    .put("value", 4.2)
                    .put("unit", "mmol/L")
                    .put("reason", "wrong tube")),
            "lab_correction");
    assertThat(corrected.statusCode()).as(corrected.body()).isEqualTo(201);
    HttpResponse<String> refused =
        afterCommit(
            ada.post(SAMPLES, glucose("mg/dL").put("analyte", "viability").put("value", 92)),
            "lab_entry");
    assertThat(refused.statusCode()).as("a refusal is recorded, then answered").isEqualTo(400);
  }

  @Test
  void anUnsignedRecipeReleaseIsRefusedOnlyOnceRecorded() {
    Caller ada = loggedIn("ada");
    HttpResponse<String> refused =
        afterCommit(
            ada.post("/api/recipes/maintenance/release", new JsonObject()), "signature_refused");
    assertThat(refused.statusCode()).as(refused.body()).isBetween(400, 499);
    assertThat(refused.body()).contains("electronic signature");
  }

  private static JsonObject glucose(String unit) {
    return new JsonObject()
        .put("analyte", "glucose")
        .put("value", 90.08)
        .put("unit", unit)
        .put("sampledAt", "2026-01-02T06:00:00Z")
        .put("measuredAt", "2026-01-02T16:00:00Z")
        .put("method", "GOD-POD");
  }

  @Test
  void anActionWhoseRecordCannotBeWrittenIsAnswered500() {
    HttpResponse<String> login = notWritten(new Caller().login("ada", PASSWORD), "login");
    assertThat(login.headers().firstValue("Set-Cookie")).as("no session handed out").isEmpty();

    Caller ada = loggedIn("ada");
    notWritten(ada.post("/api/users/olga/disable", null), "user");
    HttpResponse<String> token =
        notWritten(
            ada.post("/api/tokens", new JsonObject().put("name", "nightly")), "token_create");
    assertThat(token.body()).as("no secret handed out").doesNotContain("hlt_");
    notWritten(ada.post(LOOP + "/accept", null), "autotune");
    notWritten(ada.post(SAMPLES, glucose("mg/dL")), "lab_entry");
    HttpResponse<String> failed = notWritten(new Caller().login("olga", "wrong!"), "login_failed");
    assertThat(failed.body()).doesNotContain("wrong user name or password");
  }

  /**
   * Sends {@code request} with commits held; checks that no answer was given by the time the
   * route's record is queued and the task that queued it has ended; commits it; returns the answer.
   */
  private HttpResponse<String> afterCommit(HttpRequest request, String action) {
    Sent sent = sendHeld(request, action);
    int answersBefore = sent.answersBefore;
    CompletableFuture<Integer> probe = new CompletableFuture<>();
    sent.held.context().runOnContext(v -> probe.complete(answers.size()));
    assertThat(probe.orTimeout(30, TimeUnit.SECONDS).join())
        .as(request.method() + " " + request.uri().getPath() + " answered before its record")
        .isEqualTo(answersBefore);
    assertThat(sent.response).isNotDone();
    trail.release(sent.held);
    return sent.response.orTimeout(30, TimeUnit.SECONDS).join();
  }

  /** Sends {@code request}, fails its record, and checks the answer is 500 problem+json. */
  private HttpResponse<String> notWritten(HttpRequest request, String action) {
    Sent sent = sendHeld(request, action);
    sent.held
        .done()
        .completeExceptionally(new AuditException("audit records not written: disk full"));
    HttpResponse<String> r = sent.response.orTimeout(30, TimeUnit.SECONDS).join();
    assertThat(r.statusCode()).as(r.body()).isEqualTo(500);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(Problems.CONTENT_TYPE);
    JsonObject problem = new JsonObject(r.body());
    assertThat(problem.getString("title")).isEqualTo("Audit record not written");
    assertThat(problem.getString("detail"))
        .contains(request.uri().getPath())
        .contains("was carried out, but its audit record could not be written")
        .doesNotContain("disk full");
    return r;
  }

  private record Sent(
      HeldTrail.Held held, CompletableFuture<HttpResponse<String>> response, int answersBefore) {}

  private Sent sendHeld(HttpRequest request, String action) {
    trail.hold(true);
    int answersBefore = answers.size();
    CompletableFuture<HttpResponse<String>> response =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    HeldTrail.Held held = trail.next();
    trail.hold(false);
    assertThat(held).as("no record of " + action + " queued within 30 s").isNotNull();
    assertThat(held.entry().action().id()).isEqualTo(action);
    assertThat(held.context()).as("recorded on the route's context").isNotNull();
    return new Sent(held, response, answersBefore);
  }

  private Caller loggedIn(String name) {
    Caller c = new Caller();
    c.took(c.login(name, PASSWORD));
    return c;
  }

  /** A browser-like caller: the session cookie and CSRF token of its login. */
  private final class Caller {
    private String cookie;
    private String csrf;

    HttpRequest login(String name, String password) {
      return post("/api/login", new JsonObject().put("user", name).put("password", password));
    }

    /** Keeps the session of a login answer ({@code request}'s, or sent now when it is one). */
    void took(HttpRequest request) {
      took(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).join());
    }

    void took(HttpResponse<String> login) {
      assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
      cookie =
          login.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0].split("=", 2)[1];
      csrf = new JsonObject(login.body()).getString("csrfToken");
    }

    HttpRequest post(String path, JsonObject body) {
      return send("POST", path, body);
    }

    HttpRequest put(String path, JsonObject body) {
      return send("PUT", path, body);
    }

    HttpRequest send(String method, String path, JsonObject body) {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(base + path))
              .timeout(Duration.ofSeconds(30))
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body.encode()));
      if (body != null) {
        b.header("Content-Type", "application/json");
      }
      if (cookie != null) {
        b.header("Cookie", SessionGuard.COOKIE + "=" + cookie);
        b.header(SessionGuard.CSRF_HEADER, csrf);
      }
      return b.build();
    }
  }

  /**
   * Where the routes' records go: committed at once, or, while held, queued until the test commits
   * ({@link #release}) or fails them.
   */
  static final class HeldTrail implements Function<AuditEntry, CompletableFuture<AuditRecord>> {
    record Held(AuditEntry entry, Context context, CompletableFuture<AuditRecord> done) {}

    private final BlockingQueue<Held> held = new LinkedBlockingQueue<>();
    private volatile boolean holding;
    private long sequence;

    void hold(boolean on) {
      holding = on;
    }

    @Override
    public synchronized CompletableFuture<AuditRecord> apply(AuditEntry entry) {
      CompletableFuture<AuditRecord> done = new CompletableFuture<>();
      Held h = new Held(entry, Vertx.currentContext(), done);
      if (holding) {
        held.add(h);
      } else {
        release(h);
      }
      return done;
    }

    /** The next record held back; null after 30 s without. */
    Held next() {
      try {
        return held.poll(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }

    synchronized void release(Held h) {
      sequence++;
      h.done()
          .complete(
              new AuditRecord(
                  sequence, java.time.Instant.now(), h.entry(), "0".repeat(64), "f".repeat(64)));
    }
  }

  /** Auto-tune that accepts every action, or refuses accept/reject/abort when told. */
  static final class FakeTuner implements AutotuneAccess {
    volatile boolean refuse;

    @Override
    public Future<CommandResult> start(
        String reactorId, String loopId, RelayAutoTuner.Config config, String actor) {
      return Future.succeededFuture(CommandResult.accepted("auto-tune of " + loopId + " started"));
    }

    @Override
    public Future<AutotuneProgress> progress(String reactorId, String loopId) {
      return Future.succeededFuture(null);
    }

    @Override
    public Future<CommandResult> accept(String reactorId, String loopId, String actor) {
      return Future.succeededFuture(
          refuse ? CommandResult.rejected("no proposal to accept") : CommandResult.accepted("ok"));
    }

    @Override
    public Future<CommandResult> reject(String reactorId, String loopId, String actor) {
      return accept(reactorId, loopId, actor);
    }

    @Override
    public Future<CommandResult> abort(String reactorId, String loopId, String actor) {
      return accept(reactorId, loopId, actor);
    }
  }
}
