package io.hepaloop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.hepaloop.cli.ServeClient.Answer;
import io.hepaloop.cli.ServeClient.Session;
import io.hepaloop.notify.WebhookNotifier;
import io.hepaloop.sim.Simulator;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8's process-level test: {@code hepaloop serve} as a separate JVM on our simulator over OPC
 * UA on loopback, notifying a real HTTP receiver (HMAC checked) and a real SMTP server (GreenMail).
 * The admin logs in with the initial password and changes it, adds an operator and a viewer; a
 * sensor fault in the simulator raises {@code do_outlet_bad}, seen on the SSE stream; the viewer's
 * acknowledge is refused (403) and changes nothing; the operator's is applied; both notifications
 * arrive; after SIGTERM and a new start on the same data directory the alarm is still acknowledged
 * by the same user with the same comment, and its history is there.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class AlarmProcessIT {
  static final String R = ServeProcess.R;
  static final String ALARM = "do_outlet_bad";
  static final String SECRET = "a-webhook-secret-of-some-length";
  static final Duration LONG = ServeProcess.LONG;

  record Received(long timestamp, String signature, JsonObject body, String raw) {}

  @TempDir Path dir;
  final List<Received> webhook = new CopyOnWriteArrayList<>();
  final Vertx receiverVertx = Vertx.vertx();
  final HttpClient http = HttpClient.newHttpClient();
  final ServeClient client = new ServeClient(http);
  Simulator sim;
  GreenMail smtp;
  ServeProcess serve;

  @AfterEach
  void stop() throws Exception {
    if (serve != null) {
      serve.process.destroyForcibly();
    }
    if (sim != null) {
      sim.close();
    }
    if (smtp != null) {
      smtp.stop();
    }
    receiverVertx.close().await(10, TimeUnit.SECONDS);
  }

  private Session login(String base, String user, String password) throws Exception {
    return client.login(base, user, password);
  }

  private Answer call(Session s, String method, String base, String path, JsonObject body)
      throws Exception {
    return client.call(s, method, base, path, body);
  }

  private JsonObject alarm(Session s, String base) throws Exception {
    Answer list = call(s, "GET", base, "/api/alarms?reactor=" + R, null);
    assertThat(list.status()).as(list.body()).isEqualTo(200);
    return list.array().stream()
        .map(JsonObject.class::cast)
        .filter(a -> ALARM.equals(a.getString("alarmId")))
        .findFirst()
        .orElseThrow();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private int startWebhookReceiver() throws Exception {
    int port = freePort();
    receiverVertx
        .createHttpServer()
        .requestHandler(
            req ->
                req.body()
                    .onSuccess(
                        b -> {
                          webhook.add(
                              new Received(
                                  Long.parseLong(req.getHeader("X-HepaLoop-Timestamp")),
                                  req.getHeader("X-HepaLoop-Signature"),
                                  new JsonObject(b.toString()),
                                  b.toString()));
                          req.response().setStatusCode(204).end();
                        }))
        .listen(port, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
    return port;
  }

  /** SSE events as received: type and data. */
  record Sse(String type, String data) {}

  /** Reads {@code GET /api/stream} with the session's cookie on a thread of its own. */
  private List<Sse> stream(String base, Session s) throws Exception {
    List<Sse> events = new CopyOnWriteArrayList<>();
    HttpResponse<InputStream> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/stream"))
                .header("Accept", "text/event-stream")
                .header("Cookie", s.cookie())
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String type = "message";
                StringBuilder data = new StringBuilder();
                String line;
                while ((line = in.readLine()) != null) {
                  if (line.isEmpty()) {
                    if (data.length() > 0) {
                      events.add(new Sse(type, data.toString()));
                    }
                    type = "message";
                    data.setLength(0);
                  } else if (line.startsWith("event:")) {
                    type = line.substring(6).strip();
                  } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                  }
                }
              } catch (Exception e) {
                // the server went away
              }
            },
            "sse-reader");
    reader.setDaemon(true);
    reader.start();
    return events;
  }

  @Test
  void aFaultIsAlarmedNotifiedAcknowledgedByTheOperatorOnlyAndSurvivesARestart() throws Exception {
    int hookPort = startWebhookReceiver();
    int smtpPort = freePort();
    smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    ServeProcess.Plant plant = ServeProcess.simulatedPlant(dir);
    sim = plant.sim();
    Path data = plant.data();
    Path config = plant.config();
    Files.writeString(dir.resolve("webhook.key"), SECRET + "\n");
    Files.writeString(
        config,
        Files.readString(config)
            + "notifications:\n"
            + "  webhooks:\n"
            + "    - url: http://127.0.0.1:"
            + hookPort
            + "/oncall\n"
            + "      secretFile: webhook.key\n"
            + "      priorities: [critical, high]\n"
            + "  smtp:\n"
            + "    host: 127.0.0.1\n"
            + "    port: "
            + smtpPort
            + "\n"
            + "    startTls: false\n"
            + "    from: hepaloop@lab.example\n"
            + "  contacts:\n"
            + "    - name: night-shift\n"
            + "      email: night@lab.example\n"
            + "      priorities: [critical, high]\n"
            + "  retry: { firstS: 0.2, maxS: 2 }\n");

    serve = new ServeProcess(config, dir.resolve("serve-1.err"));
    String base = serve.base(true);

    // the first admin: the printed password, which must be changed before anything else
    String initial =
        Files.readString(data.resolve(HttpSecurityOptions.INITIAL_PASSWORD_FILE)).strip();
    assertThat(serve.out.toString()).contains(initial);
    Session admin = login(base, "admin", initial);
    assertThat(admin.login().getBoolean("mustChangePassword")).isTrue();
    assertThat(call(admin, "GET", base, "/api/alarms", null).status()).isEqualTo(403);
    Answer changed =
        call(
            admin,
            "POST",
            base,
            "/api/password",
            new JsonObject()
                .put("currentPassword", initial)
                .put("newPassword", "the admin's own long password"));
    assertThat(changed.status()).as(changed.body()).isBetween(200, 204);
    admin = login(base, "admin", "the admin's own long password");
    for (String[] u :
        new String[][] {
          {"olga", "operator", "olga's operator password"},
          {"vera", "viewer", "vera's viewer password"}
        }) {
      Answer added =
          call(
              admin,
              "POST",
              base,
              "/api/users",
              new JsonObject()
                  .put("name", u[0])
                  .put("role", u[1])
                  .put("password", u[2])
                  .put("mustChangePassword", false));
      assertThat(added.status()).as(added.body()).isBetween(200, 201);
    }
    Session operator = login(base, "olga", "olga's operator password");
    Session viewer = login(base, "vera", "vera's viewer password");

    // the plant runs: the alarm is defined and normal
    await()
        .atMost(LONG)
        .untilAsserted(
            () ->
                assertThat(
                        call(viewer, "GET", base, "/api/reactors/" + R, null)
                            .json()
                            .getJsonObject("link")
                            .getString("state"))
                    .isEqualTo("CONNECTED"));
    assertThat(alarm(viewer, base).getString("state")).isEqualTo("NORMAL");
    List<Sse> events = stream(base, viewer);

    Instant faultAt = Instant.now();
    sim.reactor(R).sensorBadQuality("do_outlet", true);

    // on the stream: NORMAL -> UNACK_ACTIVE
    await()
        .atMost(LONG)
        .until(
            () ->
                events.stream()
                    .filter(e -> e.type().equals("alarm"))
                    .map(e -> new JsonObject(e.data()))
                    .anyMatch(
                        a ->
                            ALARM.equals(a.getString("alarmId"))
                                && "UNACK_ACTIVE".equals(a.getString("to"))));
    assertThat(alarm(viewer, base).getString("state")).isEqualTo("UNACK_ACTIVE");

    // the viewer may not acknowledge: 403, problem+json, nothing changed
    JsonObject ack =
        new JsonObject()
            .put(
                "alarms",
                new JsonArray().add(new JsonObject().put("reactorId", R).put("alarmId", ALARM)))
            .put("comment", "probe checked, replacing it");
    Answer refused = call(viewer, "POST", base, "/api/alarms/acknowledge", ack);
    assertThat(refused.status()).as(refused.body()).isEqualTo(403);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(alarm(operator, base).getString("state")).isEqualTo("UNACK_ACTIVE");

    // the operator may, with the cookie and the CSRF token
    Answer done = call(operator, "POST", base, "/api/alarms/acknowledge", ack);
    assertThat(done.status()).as(done.body()).isEqualTo(200);
    assertThat(alarm(viewer, base).getString("state")).isEqualTo("ACK_ACTIVE");
    await()
        .atMost(LONG)
        .until(
            () ->
                events.stream()
                    .filter(e -> e.type().equals("alarm"))
                    .map(e -> new JsonObject(e.data()))
                    .anyMatch(
                        a ->
                            ALARM.equals(a.getString("alarmId"))
                                && "ACK_ACTIVE".equals(a.getString("to"))
                                && "olga".equals(a.getString("user"))));

    // the webhook: signed, what, where, since when, the action
    await()
        .atMost(LONG)
        .until(() -> webhook.stream().anyMatch(h -> h.body().getString("what").startsWith(ALARM)));
    Received hook =
        webhook.stream()
            .filter(h -> h.body().getString("what").startsWith(ALARM))
            .findFirst()
            .orElseThrow();
    assertThat(hook.signature())
        .isEqualTo(WebhookNotifier.signature(SECRET, hook.timestamp(), hook.raw()));
    assertThat(hook.body().getString("priority")).isEqualTo("high");
    assertThat(hook.body().getString("reactor")).isEqualTo(R);
    assertThat(Instant.parse(hook.body().getString("since")))
        .isAfter(faultAt.minusSeconds(5))
        .isBefore(Instant.now());
    assertThat(hook.body().getString("action")).startsWith("Check the probe");

    // the mail to the contact
    await()
        .atMost(LONG)
        .until(
            () ->
                Arrays.stream(smtp.getReceivedMessages())
                    .anyMatch(m -> subject(m).contains(ALARM)));
    MimeMessage mail =
        Arrays.stream(smtp.getReceivedMessages())
            .filter(m -> subject(m).contains(ALARM))
            .findFirst()
            .orElseThrow();
    assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("night@lab.example");
    assertThat(mail.getSubject()).contains("HIGH").contains(R);
    assertThat(mail.getContent().toString())
        .contains("Where:")
        .contains("Since:")
        .contains("Action:  Check the probe");

    // SIGTERM, then a new start on the same data directory
    assertThat(serve.terminate()).isEqualTo(143);
    serve = new ServeProcess(config, dir.resolve("serve-2.err"));
    String again = serve.base(false);
    assertThat(serve.out.toString()).doesNotContain("initial password");
    await() // changed: the file would only mislead
        .atMost(LONG)
        .until(() -> !Files.exists(data.resolve(HttpSecurityOptions.INITIAL_PASSWORD_FILE)));
    Session operator2 = login(again, "olga", "olga's operator password");
    await()
        .atMost(LONG)
        .untilAsserted(
            () -> assertThat(alarm(operator2, again).getString("state")).isEqualTo("ACK_ACTIVE"));
    Answer history =
        call(operator2, "GET", again, "/api/alarms/history?reactor=" + R + "&alarm=" + ALARM, null);
    assertThat(history.status()).as(history.body()).isEqualTo(200);
    List<JsonObject> rows =
        history.json().getJsonArray("entries").stream().map(JsonObject.class::cast).toList();
    assertThat(rows)
        .anySatisfy(
            r -> {
              assertThat(r.getString("from")).isEqualTo("NORMAL");
              assertThat(r.getString("to")).isEqualTo("UNACK_ACTIVE");
            })
        .anySatisfy(
            r -> {
              assertThat(r.getString("to")).isEqualTo("ACK_ACTIVE");
              assertThat(r.getString("user")).isEqualTo("olga");
              assertThat(r.getString("role")).isEqualTo("OPERATOR");
              assertThat(r.getString("comment")).isEqualTo("probe checked, replacing it");
            });
    Answer acked =
        call(
            operator2,
            "GET",
            again,
            "/api/alarms/history?reactor=" + R + "&state=ack_active",
            null);
    assertThat(acked.json().getJsonArray("entries").getJsonObject(0).getString("user"))
        .isEqualTo("olga");
    assertThat(serve.terminate()).isEqualTo(143);
  }

  private static String subject(MimeMessage m) {
    try {
      return m.getSubject();
    } catch (Exception e) {
      return "";
    }
  }
}
