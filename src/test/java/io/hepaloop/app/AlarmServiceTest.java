package io.hepaloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.alarm.Actor;
import io.hepaloop.alarm.AlarmDefinition;
import io.hepaloop.alarm.AlarmKind;
import io.hepaloop.alarm.AlarmPriority;
import io.hepaloop.alarm.AlarmState;
import io.hepaloop.alarm.AlarmTransition;
import io.hepaloop.alarm.Rationale;
import io.hepaloop.app.AlarmService.ActionResult;
import io.hepaloop.app.AlarmService.Refusal;
import io.hepaloop.bus.Addresses;
import io.hepaloop.bus.HepaEvent;
import io.hepaloop.control.InterlockChange;
import io.hepaloop.control.LoopSnapshot;
import io.hepaloop.core.Quality;
import io.hepaloop.device.LinkState;
import io.hepaloop.device.Sample;
import io.hepaloop.device.SampleBatch;
import io.hepaloop.notify.WebhookNotifier;
import io.hepaloop.telemetry.Spool;
import io.hepaloop.time.ManualClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The alarm service on a real Vert.x event bus with a {@link ManualClock}: inputs reach the engine,
 * transitions reach the bus, actions are refused with their reason, health reaches the registry,
 * notifications escalate. Ticks are driven by the test ({@code tickNow}), not by real time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AlarmServiceTest {
  static final String R = "r1";
  static final Actor OPERATOR = new Actor("olga", Actor.Role.OPERATOR);
  static final Actor VIEWER = new Actor("vera", Actor.Role.VIEWER);
  static final Rationale WHY =
      new Rationale("gas supply failing", "hypoxic hepatocytes", "raise the sweep-gas O2", 600);

  final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T00:00:00Z"));
  final MeterRegistry registry = new SimpleMeterRegistry();
  final List<AlarmTransition> transitions = new CopyOnWriteArrayList<>();
  final List<HepaEvent> events = new CopyOnWriteArrayList<>();
  final AtomicReference<Spool.Backlog> spool = new AtomicReference<>(new Spool.Backlog(0, 0));
  Vertx vertx;
  AlarmService service;

  static AlarmDefinition def(
      String id, AlarmKind kind, String source, double limit, AlarmPriority p) {
    return new AlarmDefinition(id, R, kind, source, limit, 0, 0, 0, p, false, 0, null, WHY);
  }

  static List<AlarmDefinition> definitions() {
    return List.of(
        def("do_outlet_low", AlarmKind.LOW, "do_outlet", 35, AlarmPriority.CRITICAL),
        def("temp_high", AlarmKind.HIGH, "temperature", 38, AlarmPriority.HIGH),
        def("do_deviation", AlarmKind.DEVIATION, "do_outlet", 10, AlarmPriority.MEDIUM),
        def("link_lost", AlarmKind.LINK_LOST, null, 0, AlarmPriority.CRITICAL),
        def("pressure_trip", AlarmKind.INTERLOCK_TRIPPED, "pressure_high", 0, AlarmPriority.HIGH));
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    Codecs.register(vertx);
    vertx
        .eventBus()
        .<AlarmTransition>localConsumer(Addresses.ALARM_EVENTS, m -> transitions.add(m.body()));
    vertx.eventBus().<HepaEvent>localConsumer(Addresses.EVENTS, m -> events.add(m.body()));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private void deploy(AlarmService.Setup setup) throws Exception {
    service =
        new AlarmService(
            vertx,
            Map.of(R, 1.3),
            setup.withTick(Duration.ofHours(1)),
            clock,
            registry,
            spool::get);
    vertx.deployVerticle(service).await(10, TimeUnit.SECONDS);
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.await(10, TimeUnit.SECONDS);
  }

  private void publish(String signal, double value, Quality q) {
    vertx
        .eventBus()
        .publish(
            Addresses.samples(R),
            new SampleBatch(R, List.of(new Sample(R, signal, value, "mmHg", clock.now(), q))));
  }

  /** Waits until the service has handled everything published before (one context, in order). */
  private void sync() throws Exception {
    get(service.inputs());
  }

  private AlarmState state(String alarmId) throws Exception {
    return get(service.alarms()).stream()
        .filter(a -> a.definition().id().equals(alarmId))
        .findFirst()
        .orElseThrow()
        .state();
  }

  private void awaitState(String alarmId, AlarmState s) {
    await().atMost(Duration.ofSeconds(20)).until(() -> state(alarmId) == s);
  }

  private double gauge(String name, String... tags) {
    return registry.get(name).tags(tags).gauge().value();
  }

  @Test
  void aSampleBelowItsLimitBecomesATransitionOnTheAlarmAddressAndAnAlarmEvent() throws Exception {
    deploy(AlarmService.Setup.of(definitions()));
    publish("do_outlet", 31.5, Quality.GOOD);
    await().atMost(Duration.ofSeconds(20)).until(() -> !transitions.isEmpty());
    AlarmTransition t = transitions.get(0);
    assertThat(t.alarmId()).isEqualTo("do_outlet_low");
    assertThat(t.from()).isEqualTo(AlarmState.NORMAL);
    assertThat(t.to()).isEqualTo(AlarmState.UNACK_ACTIVE);
    assertThat(t.value()).isEqualTo(31.5);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> events.stream().anyMatch(e -> "alarm".equals(e.type())));
    HepaEvent e = events.stream().filter(x -> "alarm".equals(x.type())).findFirst().orElseThrow();
    assertThat(e.reactorId()).isEqualTo(R);
    assertThat(e.source()).isEqualTo("do_outlet_low");
    assertThat(e.severity()).isEqualTo("critical");
    assertThat(e.message()).contains("CRITICAL").contains("NORMAL → UNACK_ACTIVE");
    // a good value within the limit is not an alarm
    publish("temperature", 37.0, Quality.GOOD);
    assertThat(state("temp_high")).isEqualTo(AlarmState.NORMAL);
  }

  @Test
  void actionsRunOnTheServiceAndARefusalNamesItsReason() throws Exception {
    deploy(AlarmService.Setup.of(definitions()));
    publish("do_outlet", 30, Quality.GOOD);
    awaitState("do_outlet_low", AlarmState.UNACK_ACTIVE);

    ActionResult byViewer = get(service.acknowledge(R, "do_outlet_low", VIEWER, "seen"));
    assertThat(byViewer.done()).isFalse();
    assertThat(byViewer.refusal()).isEqualTo(Refusal.ROLE_TOO_LOW);
    assertThat(byViewer.detail()).contains("needs the OPERATOR role");
    assertThat(byViewer.alarm().state()).isEqualTo(AlarmState.UNACK_ACTIVE);

    ActionResult unknown = get(service.acknowledge(R, "no_such", OPERATOR, "seen"));
    assertThat(unknown.refusal()).isEqualTo(Refusal.UNKNOWN_ALARM);
    assertThat(unknown.detail()).contains("no alarm 'no_such' on reactor 'r1'");
    assertThat(get(service.acknowledge("r9", "do_outlet_low", OPERATOR, "x")).refusal())
        .isEqualTo(Refusal.UNKNOWN_ALARM);

    ActionResult noComment = get(service.acknowledge(R, "do_outlet_low", OPERATOR, " "));
    assertThat(noComment.refusal()).isEqualTo(Refusal.INVALID_REQUEST);
    assertThat(noComment.detail()).contains("comment");

    ActionResult ack = get(service.acknowledge(R, "do_outlet_low", OPERATOR, "raising O2"));
    assertThat(ack.done()).isTrue();
    assertThat(ack.refusal()).isNull();
    assertThat(ack.alarm().state()).isEqualTo(AlarmState.ACK_ACTIVE);
    assertThat(ack.alarm().last().actor()).isEqualTo(OPERATOR);
    assertThat(ack.alarm().last().comment()).isEqualTo("raising O2");

    ActionResult again = get(service.acknowledge(R, "do_outlet_low", OPERATOR, "again"));
    assertThat(again.refusal()).isEqualTo(Refusal.NOT_ALLOWED_IN_STATE);

    ActionResult shelved =
        get(service.shelve(R, "temp_high", Duration.ofMinutes(30), OPERATOR, "probe swap"));
    assertThat(shelved.done()).isTrue();
    assertThat(shelved.alarm().state()).isEqualTo(AlarmState.SHELVED);
    assertThat(shelved.alarm().shelvedUntil()).isEqualTo(clock.now().plus(Duration.ofMinutes(30)));
    assertThat(get(service.shelve(R, "temp_high", Duration.ofHours(9), OPERATOR, "x")).refusal())
        .isEqualTo(Refusal.INVALID_REQUEST);
    assertThat(get(service.removeFromService(R, "link_lost", OPERATOR, "broken")).refusal())
        .isEqualTo(Refusal.ROLE_TOO_LOW);
    assertThat(get(service.reset(R, "link_lost", OPERATOR, "x")).refusal())
        .isEqualTo(Refusal.NOT_ALLOWED_IN_STATE);
    assertThat(get(service.unshelve(R, "temp_high", OPERATOR, "back")).done()).isTrue();
  }

  @Test
  void loopSnapshotsLinkStatesAndInterlockChangesReachTheEngine() throws Exception {
    deploy(AlarmService.Setup.of(definitions()));
    var bus = vertx.eventBus();
    bus.publish(
        Addresses.control(R),
        new LoopSnapshot(
            R,
            "do_outlet",
            clock.now(),
            "AUTO",
            60,
            45,
            Quality.GOOD,
            50,
            0,
            0,
            0,
            0,
            false,
            false,
            null));
    awaitState("do_deviation", AlarmState.UNACK_ACTIVE);

    bus.publish(
        Addresses.link(R), new LinkState(R, LinkState.State.DISCONNECTED, clock.now(), "lost"));
    awaitState("link_lost", AlarmState.UNACK_ACTIVE);
    bus.publish(
        Addresses.link(R), new LinkState(R, LinkState.State.CONNECTED, clock.now(), "connected"));
    awaitState("link_lost", AlarmState.RTN_UNACK);
    get(service.acknowledge(R, "link_lost", OPERATOR, "was the switch"));
    // stopped on purpose (shutdown) raises nothing
    bus.publish(
        Addresses.link(R), new LinkState(R, LinkState.State.STOPPED, clock.now(), "stopped"));

    bus.publish(
        Addresses.interlocks(R),
        new InterlockChange(R, "pressure_high", true, clock.now(), "pressure 310 above 300"));
    awaitState("pressure_trip", AlarmState.UNACK_ACTIVE);
    bus.publish(
        Addresses.interlocks(R), new InterlockChange(R, "pressure_high", false, clock.now(), null));
    awaitState("pressure_trip", AlarmState.RTN_UNACK);
    assertThat(state("link_lost")).isEqualTo(AlarmState.NORMAL);
  }

  @Test
  void heartbeatBacklogAndOurReachTheirInputsWithTheRightValues() throws Exception {
    deploy(AlarmService.Setup.of(definitions()));
    var bus = vertx.eventBus();
    bus.publish(
        Addresses.link(R),
        new LinkState(
            R,
            LinkState.State.CONNECTED,
            clock.now(),
            "connected; "
                + LinkState.HEARTBEAT_FAILING
                + ": cannot write ns=2;s=wd (Bad_NotWritable)"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Boolean.TRUE.equals(get(service.inputs()).heartbeatFailing().get(R)));
    bus.publish(
        Addresses.link(R), new LinkState(R, LinkState.State.CONNECTED, clock.now(), "connected"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Boolean.FALSE.equals(get(service.inputs()).heartbeatFailing().get(R)));

    // OUR = Q · α · (pO2in − pO2out) = 2 mL/min · 1.3 · (150 − 50) mmHg = 260 nmol/min
    Instant t = clock.now();
    bus.publish(
        Addresses.samples(R),
        new SampleBatch(
            R,
            List.of(
                new Sample(R, "flow", 2.0, "mL/min", t, Quality.GOOD),
                new Sample(R, "do_inlet", 150, "mmHg", t, Quality.GOOD),
                new Sample(R, "do_outlet", 50, "mmHg", t, Quality.GOOD))));
    await().atMost(Duration.ofSeconds(20)).until(() -> get(service.inputs()).our().containsKey(R));
    AlarmService.OurReading our = get(service.inputs()).our().get(R);
    assertThat(our.ourNmolPerMin()).isCloseTo(260, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(our.quality()).isEqualTo(Quality.GOOD);
    assertThat(our.time()).isEqualTo(t);

    // telemetry: 100 points appended, none delivered for 90 s → the oldest is 90 s old
    spool.set(new Spool.Backlog(100, 0));
    get(service.tickNow());
    assertThat(get(service.inputs()).oldestUnsentTelemetryAgeS()).isZero();
    spool.set(new Spool.Backlog(150, 50));
    get(service.tickNow());
    clock.advanceSeconds(90);
    spool.set(new Spool.Backlog(400, 300));
    get(service.tickNow());
    assertThat(get(service.inputs()).oldestUnsentTelemetryAgeS()).isEqualTo(90.0);
    spool.set(new Spool.Backlog(400, 0)); // delivered
    get(service.tickNow());
    assertThat(get(service.inputs()).oldestUnsentTelemetryAgeS()).isZero();
  }

  @Test
  void healthReachesTheRegistryWithAFixedSetOfSeriesRightOnDayThirty() throws Exception {
    deploy(AlarmService.Setup.of(definitions()));
    int meters = registry.getMeters().size();
    // one chattering alarm: 3 activations within a minute
    for (int i = 0; i < 3; i++) {
      publish("temperature", 39, Quality.GOOD);
      publish("temperature", 37, Quality.GOOD);
      sync();
      clock.advanceSeconds(10);
    }
    get(service.tickNow());
    assertThat(gauge("hepaloop.alarm.chattering", "reactor", R)).isEqualTo(1);
    assertThat(gauge("hepaloop.alarm.unacknowledged", "reactor", R, "priority", "high"))
        .isEqualTo(1);
    // a flood: 10 activations within 10 minutes
    for (int i = 0; i < 7; i++) {
      publish("temperature", 39, Quality.GOOD);
      publish("temperature", 37, Quality.GOOD);
      sync();
      clock.advanceSeconds(30);
    }
    get(service.tickNow());
    assertThat(gauge("hepaloop.alarm.activations.10min", "reactor", R)).isEqualTo(10);
    assertThat(gauge("hepaloop.alarm.flood", "reactor", R)).isEqualTo(1);

    // 30 days of an alarm every 20 minutes, another standing since day 1
    publish("do_outlet", 30, Quality.GOOD);
    sync();
    for (int i = 0; i < 30 * 24 * 3; i++) {
      clock.advance(Duration.ofMinutes(20));
      publish("temperature", 39, Quality.GOOD);
      publish("temperature", 37, Quality.GOOD);
      sync();
      if (i % 72 == 0) {
        get(service.tickNow());
      }
    }
    get(service.shelve(R, "temp_high", Duration.ofHours(1), OPERATOR, "probe swap"));
    get(service.tickNow());
    assertThat(gauge("hepaloop.alarm.activations.10min", "reactor", R)).isEqualTo(1);
    assertThat(gauge("hepaloop.alarm.flood", "reactor", R)).isZero();
    assertThat(gauge("hepaloop.alarm.chattering", "reactor", R)).isZero();
    assertThat(gauge("hepaloop.alarm.stale", "reactor", R)).isEqualTo(1);
    assertThat(gauge("hepaloop.alarm.shelved", "reactor", R)).isEqualTo(1);
    assertThat(gauge("hepaloop.alarm.unacknowledged", "reactor", R, "priority", "critical"))
        .isEqualTo(1);
    assertThat(registry.getMeters()).hasSize(meters);
    AlarmService.ReactorHealth h = get(service.health()).get(R);
    assertThat(h.figures().staleCount()).isEqualTo(1);
    assertThat(h.unacknowledged().get(AlarmPriority.CRITICAL)).isEqualTo(1);
  }

  @Test
  void aJournalHearsEveryTransitionAndAFailingJournalStopsNothingElse() throws Exception {
    List<AlarmTransition> journal = new CopyOnWriteArrayList<>();
    deploy(
        AlarmService.Setup.of(definitions())
            .withJournal(
                t -> {
                  journal.add(t);
                  throw new IllegalStateException("disk full");
                }));
    publish("do_outlet", 30, Quality.GOOD);
    awaitState("do_outlet_low", AlarmState.UNACK_ACTIVE);
    get(service.acknowledge(R, "do_outlet_low", OPERATOR, "on it"));
    await().atMost(Duration.ofSeconds(20)).until(() -> transitions.size() == 2);
    assertThat(journal).containsExactlyElementsOf(transitions);
  }

  // ---------------------------------------------------------------- notifications

  record Hook(String path, JsonObject body) {}

  @Test
  void anUnacknowledgedCriticalAlarmEscalatesToTheNextContactUntilAcknowledged() throws Exception {
    List<Hook> received = new CopyOnWriteArrayList<>();
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    vertx
        .createHttpServer()
        .requestHandler(
            req ->
                req.body()
                    .onSuccess(
                        b -> {
                          received.add(new Hook(req.path(), b.toJsonObject()));
                          req.response().setStatusCode(204).end();
                        }))
        .listen(port, "127.0.0.1")
        .await(10, TimeUnit.SECONDS);
    String secret = "a-shared-secret-of-some-length";
    NotificationPlan plan =
        NotificationPlan.builder()
            .webhook("oncall", hook(port, "/oncall", secret))
            .webhook("lead", hook(port, "/lead", secret))
            .route(
                AlarmPriority.CRITICAL,
                new NotificationPlan.Recipients("on-call", List.of("oncall"), List.of()))
            .route(
                AlarmPriority.HIGH,
                new NotificationPlan.Recipients("on-call", List.of("oncall"), List.of()))
            .escalate(
                Set.of(AlarmPriority.CRITICAL),
                Duration.ofMinutes(15),
                List.of(new NotificationPlan.Recipients("shift lead", List.of("lead"), List.of())))
            .build();
    deploy(AlarmService.Setup.of(definitions()).withNotifications(plan));

    Instant since = clock.now();
    publish("do_outlet", 30, Quality.GOOD);
    publish("temperature", 39, Quality.GOOD);
    await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 2);
    Hook first =
        received.stream()
            .filter(h -> h.body().getString("priority").equals("critical"))
            .findFirst()
            .orElseThrow();
    assertThat(first.path()).isEqualTo("/oncall");
    assertThat(first.body().getString("reactor")).isEqualTo(R);
    assertThat(first.body().getString("since")).isEqualTo(since.toString());
    assertThat(first.body().getString("what")).startsWith("do_outlet_low: ");
    assertThat(first.body().getString("action"))
        .isEqualTo(
            "raise the sweep-gas O2 (respond within 10 min; if nothing is done: hypoxic hepatocytes)");

    clock.advance(Duration.ofMinutes(14));
    get(service.tickNow());
    clock.advance(Duration.ofMinutes(1));
    get(service.tickNow());
    await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 3);
    Hook escalated = received.get(2);
    assertThat(escalated.path()).isEqualTo("/lead");
    assertThat(escalated.body().getString("what"))
        .startsWith("ESCALATED, not acknowledged (to shift lead, level 1): do_outlet_low");
    assertThat(escalated.body().getString("id"))
        .isEqualTo(first.body().getString("id") + ":escalation1");
    assertThat(get(service.notificationCounts())[1]).isEqualTo(1);

    get(service.acknowledge(R, "do_outlet_low", OPERATOR, "on it"));
    assertThat(get(service.notificationCounts())[1]).isZero();
    clock.advance(Duration.ofHours(1));
    get(service.tickNow());
    assertThat(get(service.notificationCounts())[0]).isEqualTo(3); // nothing more was sent
  }

  static WebhookNotifier.Options hook(int port, String path, String secret) {
    return new WebhookNotifier.Options(
        URI.create("http://127.0.0.1:" + port + path),
        secret,
        Duration.ofSeconds(5),
        Duration.ofMillis(20),
        Duration.ofMillis(200),
        100);
  }

  @Test
  void aPlanNamingAnUnknownWebhookOrMailWithoutSmtpIsRefused() {
    var r = new NotificationPlan.Recipients("ops", List.of("nope"), List.of());
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> NotificationPlan.builder().route(AlarmPriority.HIGH, r).build())
        .hasMessageContaining("webhook 'nope', which is not defined");
    var m = new NotificationPlan.Recipients("ops", List.of(), List.of("ops@lab.example"));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> NotificationPlan.builder().route(AlarmPriority.HIGH, m).build())
        .hasMessageContaining("no SMTP server");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                NotificationPlan.builder()
                    .escalate(Set.of(AlarmPriority.CRITICAL), Duration.ofMinutes(5), List.of(m))
                    .build())
        .hasMessageContaining("needs a route for CRITICAL");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new NotificationPlan.Recipients("ops", List.of(), List.of("not-an-address")))
        .hasMessageContaining("'not-an-address' is not an e-mail address");
    assertThat(new ArrayList<>(NotificationPlan.none().routes().keySet())).isEmpty();
  }
}
