package io.hepaloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.hepaloop.alarm.Actor;
import io.hepaloop.alarm.AlarmDefinition;
import io.hepaloop.alarm.AlarmKind;
import io.hepaloop.alarm.AlarmPriority;
import io.hepaloop.alarm.AlarmState;
import io.hepaloop.alarm.AlarmTransition;
import io.hepaloop.alarm.Rationale;
import io.hepaloop.bus.Addresses;
import io.hepaloop.bus.HepaEvent;
import io.hepaloop.notify.MailNotifier;
import io.hepaloop.notify.WebhookNotifier;
import io.hepaloop.plant.PlantConfig;
import io.hepaloop.plant.PlantConfigWriter;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.sim.Layout;
import io.hepaloop.sim.Simulator;
import io.hepaloop.sim.SimulatorOptions;
import io.hepaloop.testing.ThreadDumpOnFailure;
import io.hepaloop.time.SystemClock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alarm service in the real plant: our simulator over OPC UA on loopback, the whole {@link
 * PlantRuntime}, a sensor fault injected in the simulator. The alarm's transition arrives on {@link
 * Addresses#ALARM_EVENTS} and as an {@code alarm} event, a real HTTP receiver gets the signed JSON,
 * a real SMTP server (GreenMail) the mail, {@code /metrics} shows it unacknowledged; an operator
 * acknowledges it through the service and the escalation stops.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(ThreadDumpOnFailure.class)
class AlarmServiceIT {
  static final String R = "r1";
  static final String SECRET = "a-shared-secret-of-some-length";
  static final Path PROFILE = Path.of("device-profiles/liver-perfusion-bioreactor.yaml");

  record Received(String path, long timestamp, String signature, String body) {}

  @TempDir Path data;
  final List<Received> webhook = new CopyOnWriteArrayList<>();
  final List<AlarmTransition> transitions = new CopyOnWriteArrayList<>();
  final List<HepaEvent> alarmEvents = new CopyOnWriteArrayList<>();
  final Vertx receiverVertx = Vertx.vertx();
  Simulator sim;
  PlantRuntime plant;
  GreenMail smtp;

  @AfterEach
  void stop() throws Exception {
    if (plant != null) {
      plant.close();
    }
    if (sim != null) {
      sim.close();
    }
    if (smtp != null) {
      smtp.stop();
    }
    receiverVertx.close().await(10, TimeUnit.SECONDS);
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
                                  req.path(),
                                  Long.parseLong(req.getHeader("X-HepaLoop-Timestamp")),
                                  req.getHeader("X-HepaLoop-Signature"),
                                  b.toString()));
                          req.response().setStatusCode(204).end();
                        }))
        .listen(port, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
    return port;
  }

  private NotificationPlan plan(int hookPort, int smtpPort) {
    return NotificationPlan.builder()
        .webhook(
            "oncall",
            new WebhookNotifier.Options(
                URI.create("http://127.0.0.1:" + hookPort + "/oncall"),
                SECRET,
                Duration.ofSeconds(5),
                Duration.ofMillis(50),
                Duration.ofMillis(500),
                100))
        .smtp(
            new MailNotifier.Options(
                "127.0.0.1",
                smtpPort,
                false,
                "hepaloop",
                "a-secret-password",
                "hepaloop@lab.example",
                Duration.ofMillis(50),
                Duration.ofMillis(500),
                100))
        .route(
            AlarmPriority.CRITICAL,
            new NotificationPlan.Recipients(
                "on-call", List.of("oncall"), List.of("oncall@lab.example")))
        .escalate(
            Set.of(AlarmPriority.CRITICAL),
            Duration.ofMinutes(10),
            List.of(
                new NotificationPlan.Recipients(
                    "shift lead", List.of(), List.of("lead@lab.example"))))
        .build();
  }

  @Test
  void aSensorFaultBecomesAnAlarmThatIsNotifiedSignedAndMailedAndAnOperatorAcknowledges()
      throws Exception {
    int hookPort = startWebhookReceiver();
    int smtpPort = freePort();
    smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    smtp.setUser("hepaloop@lab.example", "hepaloop", "a-secret-password");

    sim =
        Simulator.start(
            SimulatorOptions.builder()
                .profile(ProfileLoader.load(PROFILE))
                .reactorIds(List.of(R))
                .layout(Layout.SERVER_PER_REACTOR)
                .basePort(0)
                .seed(1)
                .pkiDir(data.resolve("pki").resolve("simulator"))
                .build());
    PlantConfig config =
        PlantConfigWriter.writeSimulated(
            data.resolve("hepaloop.yaml"),
            data,
            PROFILE.toAbsolutePath(),
            Map.of(R, sim.endpointUrl(R)));
    AlarmDefinition outletBad =
        new AlarmDefinition(
            "do_outlet_bad",
            R,
            AlarmKind.BAD_QUALITY_OR_STALE,
            "do_outlet",
            60,
            0,
            0,
            0,
            AlarmPriority.CRITICAL,
            false,
            0,
            null,
            new Rationale(
                "outlet oxygen sensor failed",
                "the oxygen cascade runs blind; hypoxia goes unseen",
                "check the outlet pO2 probe and its cable",
                300));
    plant =
        PlantRuntime.start(
            new PlantRuntime.Options(
                config, data, "it-run", null, false, "127.0.0.1", 0, SystemClock.INSTANCE),
            AlarmService.Setup.of(List.of(outletBad)).withNotifications(plan(hookPort, smtpPort)));
    var bus = plant.vertx().eventBus();
    bus.<AlarmTransition>localConsumer(Addresses.ALARM_EVENTS, m -> transitions.add(m.body()));
    bus.<HepaEvent>localConsumer(
        Addresses.EVENTS,
        m -> {
          if ("alarm".equals(m.body().type())) {
            alarmEvents.add(m.body());
          }
        });
    AlarmService alarms = plant.alarms();

    // good samples flow: the alarm stays normal
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                plant.linkState(R) != null
                    && plant.linkState(R).state().name().equals("CONNECTED"));
    assertThat(alarms.alarms().await(10, TimeUnit.SECONDS).get(0).state())
        .isEqualTo(AlarmState.NORMAL);

    sim.reactor(R).sensorBadQuality("do_outlet", true);

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> transitions.stream().anyMatch(t -> t.to() == AlarmState.UNACK_ACTIVE));
    AlarmTransition raised = transitions.get(0);
    assertThat(raised.reactorId()).isEqualTo(R);
    assertThat(raised.alarmId()).isEqualTo("do_outlet_bad");
    assertThat(raised.from()).isEqualTo(AlarmState.NORMAL);
    await().atMost(Duration.ofSeconds(30)).until(() -> !alarmEvents.isEmpty());
    assertThat(alarmEvents.get(0).severity()).isEqualTo("critical");

    // the webhook receiver gets the signed JSON
    await().atMost(Duration.ofSeconds(60)).until(() -> !webhook.isEmpty());
    Received hook = webhook.get(0);
    assertThat(hook.path()).isEqualTo("/oncall");
    assertThat(hook.signature())
        .isEqualTo(WebhookNotifier.signature(SECRET, hook.timestamp(), hook.body()));
    JsonObject body = new JsonObject(hook.body());
    assertThat(body.getString("priority")).isEqualTo("critical");
    assertThat(body.getString("reactor")).isEqualTo(R);
    assertThat(body.getString("since")).isEqualTo(raised.time().toString());
    assertThat(body.getString("what")).startsWith("do_outlet_bad: ");
    assertThat(body.getString("action")).startsWith("check the outlet pO2 probe and its cable");

    // the SMTP server gets the mail
    await().atMost(Duration.ofSeconds(60)).until(() -> smtp.getReceivedMessages().length == 1);
    MimeMessage mail = smtp.getReceivedMessages()[0];
    assertThat(mail.getSubject()).startsWith("[HepaLoop CRITICAL] reactor r1: do_outlet_bad");
    assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("oncall@lab.example");
    assertThat(mail.getContent().toString())
        .contains("Action:  check the outlet pO2 probe and its cable");

    // /metrics shows it waiting for an acknowledgement
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                metrics()
                    .contains(
                        "hepaloop_alarm_unacknowledged{priority=\"critical\",reactor=\"r1\"} 1.0"));
    // the device link's heartbeat counter of skipped beats is exposed beside the session gauge
    assertThat(metrics())
        .contains("hepaloop_device_sessions_open 1.0")
        .containsPattern("(?m)^hepaloop_device_heartbeats_skipped_total [0-9.]+$");
    assertThat(alarms.notificationCounts().await(10, TimeUnit.SECONDS)[1])
        .as("alarms escalating")
        .isEqualTo(1);

    AlarmService.ActionResult ack =
        alarms
            .acknowledge(R, "do_outlet_bad", new Actor("olga", Actor.Role.OPERATOR), "probe swap")
            .await(10, TimeUnit.SECONDS);
    assertThat(ack.done()).isTrue();
    assertThat(ack.alarm().state()).isEqualTo(AlarmState.ACK_ACTIVE);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> transitions.stream().anyMatch(t -> t.to() == AlarmState.ACK_ACTIVE));
    assertThat(alarms.notificationCounts().await(10, TimeUnit.SECONDS)[1])
        .as("alarms escalating after the acknowledgement")
        .isZero();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                metrics()
                    .contains(
                        "hepaloop_alarm_unacknowledged{priority=\"critical\",reactor=\"r1\"} 0.0"));
  }

  private String metrics() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plant.httpPort() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
