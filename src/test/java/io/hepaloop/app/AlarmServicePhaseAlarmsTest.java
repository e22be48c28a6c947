package io.hepaloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.alarm.AlarmPriority;
import io.hepaloop.alarm.AlarmState;
import io.hepaloop.alarm.AlarmTransition;
import io.hepaloop.bus.Addresses;
import io.hepaloop.core.Quality;
import io.hepaloop.device.Sample;
import io.hepaloop.device.SampleBatch;
import io.hepaloop.recipe.Recipe;
import io.hepaloop.telemetry.Spool;
import io.hepaloop.time.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A recipe phase's alarm overrides and suppressions at run time, through {@link
 * AlarmService#applyPhaseAlarms}: on a real event bus with a {@link ManualClock}, values published
 * as the device link does.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AlarmServicePhaseAlarmsTest {
  static final String R = AlarmServiceTest.R;

  final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T00:00:00Z"));
  final List<AlarmTransition> transitions = new CopyOnWriteArrayList<>();
  Vertx vertx;
  AlarmService service;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    Codecs.register(vertx);
    vertx
        .eventBus()
        .<AlarmTransition>localConsumer(Addresses.ALARM_EVENTS, m -> transitions.add(m.body()));
    service =
        new AlarmService(
            vertx,
            Map.of(R, 1.3),
            AlarmService.Setup.of(AlarmServiceTest.definitions()).withTick(Duration.ofHours(1)),
            clock,
            new SimpleMeterRegistry(),
            () -> new Spool.Backlog(0, 0));
    vertx.deployVerticle(service).await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static <T> T get(Future<T> f) throws Exception {
    return f.await(10, TimeUnit.SECONDS);
  }

  private void publish(String signal, double value) throws Exception {
    vertx
        .eventBus()
        .publish(
            Addresses.samples(R),
            new SampleBatch(
                R, List.of(new Sample(R, signal, value, "x", clock.now(), Quality.GOOD))));
    get(service.inputs()); // one context, in order: the sample has been handled
  }

  private AlarmService.AlarmView view(String alarmId) throws Exception {
    return get(service.alarms()).stream()
        .filter(a -> a.definition().id().equals(alarmId))
        .findFirst()
        .orElseThrow();
  }

  private static Recipe.AlarmOverride limit(String id, double limit, String priority) {
    return new Recipe.AlarmOverride(id, limit, null, null, null, priority, null);
  }

  @Test
  void anOverrideThatTightensALimitRaisesTheAlarmAtTheNextValueAndNoneRestoresTheProfile()
      throws Exception {
    publish("temperature", 37.5); // profile limit 38: normal
    assertThat(view("temp_high").state()).isEqualTo(AlarmState.NORMAL);

    List<String> problems =
        get(
            service.phaseAlarmsApplied(
                R,
                new Recipe.PhaseAlarms(List.of(limit("temp_high", 37.2, "critical")), List.of())));
    assertThat(problems).isEmpty();
    assertThat(view("temp_high").definition().limit()).isEqualTo(37.2);
    assertThat(view("temp_high").definition().priority()).isEqualTo(AlarmPriority.CRITICAL);

    publish("temperature", 37.5);
    assertThat(view("temp_high").state()).isEqualTo(AlarmState.UNACK_ACTIVE);
    AlarmTransition raised = transitions.get(transitions.size() - 1);
    assertThat(raised.limit()).isEqualTo(37.2);
    assertThat(raised.to()).isEqualTo(AlarmState.UNACK_ACTIVE);

    // back to the profile: 37.5 is within 38 again, judged at the next value
    get(service.phaseAlarmsApplied(R, Recipe.PhaseAlarms.NONE));
    assertThat(view("temp_high").definition().limit()).isEqualTo(38.0);
    assertThat(view("temp_high").definition().priority()).isEqualTo(AlarmPriority.HIGH);
    publish("temperature", 37.5);
    assertThat(view("temp_high").state()).isEqualTo(AlarmState.RTN_UNACK);
  }

  @Test
  void anAlarmActiveUnderAnOldLimitIsJudgedAfreshWithoutTheOldDeadband() throws Exception {
    get(
        service.phaseAlarmsApplied(
            R,
            new Recipe.PhaseAlarms(
                List.of(new Recipe.AlarmOverride("temp_high", 37.0, 0.5, null, null, null, null)),
                List.of())));
    publish("temperature", 37.4);
    assertThat(view("temp_high").state()).isEqualTo(AlarmState.UNACK_ACTIVE);
    // a looser limit whose deadband would still hold 37.4 (>= 37.6 - 0.5) if the old raw state
    // carried over: the alarm must clear
    get(
        service.phaseAlarmsApplied(
            R,
            new Recipe.PhaseAlarms(
                List.of(new Recipe.AlarmOverride("temp_high", 37.6, 0.5, null, null, null, null)),
                List.of())));
    publish("temperature", 37.4);
    assertThat(view("temp_high").state()).isEqualTo(AlarmState.RTN_UNACK);
  }

  @Test
  void aSuppressedAlarmIsShownSuppressedNeverActivatesAndReturnsWithItsConditionAfterNone()
      throws Exception {
    get(service.phaseAlarmsApplied(R, new Recipe.PhaseAlarms(List.of(), List.of("do_outlet_low"))));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> view("do_outlet_low").state() == AlarmState.SUPPRESSED_BY_DESIGN);
    assertThat(view("do_outlet_low").last().message())
        .contains("suppressed by design: " + AlarmService.PHASE_SUPPRESSION);

    publish("do_outlet", 20); // far below 35
    assertThat(view("do_outlet_low").state()).isEqualTo(AlarmState.SUPPRESSED_BY_DESIGN);
    assertThat(transitions)
        .noneMatch(t -> t.alarmId().equals("do_outlet_low") && t.to().isActive());
    // still listed, with its definition
    assertThat(get(service.alarms()))
        .extracting(a -> a.definition().id())
        .contains("do_outlet_low");

    get(service.phaseAlarmsApplied(R, Recipe.PhaseAlarms.NONE));
    assertThat(view("do_outlet_low").state()).isEqualTo(AlarmState.UNACK_ACTIVE);
    assertThat(view("do_outlet_low").last().message()).contains("suppression by design ended");
  }

  @Test
  void entriesTheReactorLacksOrTheEngineRefusesAreNamedAndLeaveTheBaseDefinition()
      throws Exception {
    List<String> problems =
        get(
            service.phaseAlarmsApplied(
                R,
                new Recipe.PhaseAlarms(
                    List.of(
                        limit("not_here", 1, null),
                        new Recipe.AlarmOverride("do_deviation", 5.0, 6.0, null, null, null, null)),
                    List.of("also_not_here"))));
    assertThat(problems)
        .anyMatch(p -> p.contains("'not_here'"))
        .anyMatch(p -> p.contains("'also_not_here'"))
        .anyMatch(p -> p.contains("'do_deviation' refused") && p.contains("could never clear"));
    assertThat(view("do_deviation").definition().limit()).isEqualTo(10.0);
    assertThat(get(service.phaseAlarmsApplied("r9", Recipe.PhaseAlarms.NONE)))
        .containsExactly("no alarms on reactor 'r9'");
  }

  @Test
  void phaseAlarmsHandedInBeforeStartAreAppliedAtStart() throws Exception {
    AlarmService early =
        new AlarmService(
            vertx,
            Map.of("r2", 1.3),
            AlarmService.Setup.of(
                    List.of(
                        new io.hepaloop.alarm.AlarmDefinition(
                            "temp_high",
                            "r2",
                            io.hepaloop.alarm.AlarmKind.HIGH,
                            "temperature",
                            38,
                            0,
                            0,
                            0,
                            AlarmPriority.HIGH,
                            false,
                            0,
                            null,
                            AlarmServiceTest.WHY)))
                .withTick(Duration.ofHours(1)),
            clock,
            new SimpleMeterRegistry(),
            null);
    early.applyPhaseAlarms("r2", new Recipe.PhaseAlarms(List.of(), List.of("temp_high")));
    vertx.deployVerticle(early).await(10, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> get(early.alarms()).get(0).state() == AlarmState.SUPPRESSED_BY_DESIGN);
  }
}
