package io.hepaloop.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.alarm.Actor;
import io.hepaloop.alarm.AlarmPriority;
import io.hepaloop.alarm.AlarmState;
import io.hepaloop.alarm.AlarmTransition;
import io.hepaloop.bus.Addresses;
import io.hepaloop.bus.HepaEvent;
import io.hepaloop.core.Quality;
import io.hepaloop.device.Sample;
import io.hepaloop.device.SampleBatch;
import io.hepaloop.plantstate.AlarmHistoryEntry;
import io.hepaloop.plantstate.AlarmHistoryQuery;
import io.hepaloop.plantstate.AlarmJournal;
import io.hepaloop.plantstate.CurrentAlarmState;
import io.hepaloop.recipe.Recipe;
import io.hepaloop.store.Store;
import io.hepaloop.telemetry.Spool;
import io.hepaloop.time.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies that the alarm history records the priority an alarm had when each transition happened:
 * a recipe phase's override while the phase runs, the profile's before and after. The plant's parts
 * as {@code PlantRuntime} joins them: the alarm service on a real event bus, values published as
 * the device link does, the SQLite journal as the service's journal hook; the rows are read back
 * from the database.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AlarmServicePhasePriorityHistoryTest {
  static final String R = AlarmServiceTest.R;
  static final Actor OPERATOR = new Actor("olga", Actor.Role.OPERATOR);

  @TempDir Path dir;
  final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T00:00:00Z"));
  final List<HepaEvent> events = new CopyOnWriteArrayList<>();
  Vertx vertx;
  Store store;
  AlarmJournal journal;
  AlarmService service;

  @BeforeEach
  void start() throws Exception {
    store = Store.open(dir);
    journal = new AlarmJournal(store, clock, AlarmServiceTest.definitions());
    vertx = Vertx.vertx();
    Codecs.register(vertx);
    vertx
        .eventBus()
        .<HepaEvent>localConsumer(
            Addresses.EVENTS,
            m -> {
              if ("alarm".equals(m.body().type())) {
                events.add(m.body());
              }
            });
    service =
        new AlarmService(
            vertx,
            Map.of(R, 1.3),
            AlarmService.Setup.of(AlarmServiceTest.definitions())
                .withTick(Duration.ofHours(1))
                .withJournal(journal::record),
            clock,
            new SimpleMeterRegistry(),
            () -> new Spool.Backlog(0, 0));
    vertx.deployVerticle(service).await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    journal.close();
    store.close();
  }

  @Test
  void eachHistoryRowCarriesThePriorityInForceWhenItHappened() throws Exception {
    publish("temperature", 38.5); // profile: temp_high > 38, HIGH
    clock.advanceSeconds(60);
    publish("temperature", 37.5);
    assertThat(state("temp_high")).isEqualTo(AlarmState.RTN_UNACK);
    get(service.acknowledge(R, "temp_high", OPERATOR, "seen"));
    clock.advanceSeconds(60);

    // The phase tightens the limit and makes the alarm critical.
    get(
        service.phaseAlarmsApplied(
            R,
            new Recipe.PhaseAlarms(
                List.of(
                    new Recipe.AlarmOverride(
                        "temp_high", 37.2, null, null, null, "critical", null)),
                List.of())));
    publish("temperature", 37.5);
    assertThat(state("temp_high")).isEqualTo(AlarmState.UNACK_ACTIVE);
    clock.advanceSeconds(60);
    get(service.acknowledge(R, "temp_high", OPERATOR, "cooling"));
    clock.advanceSeconds(60);

    // The phase ends: the profile's definition again; 37.5 is normal under 38.
    get(service.phaseAlarmsApplied(R, Recipe.PhaseAlarms.NONE));
    publish("temperature", 37.5);
    assertThat(state("temp_high")).isEqualTo(AlarmState.NORMAL);

    journal.flush();
    List<AlarmHistoryEntry> rows =
        new ArrayList<>(journal.history(AlarmHistoryQuery.all().withAlarm("temp_high")).entries());
    java.util.Collections.reverse(rows); // oldest first
    assertThat(rows)
        .extracting(e -> e.transition().to() + " " + e.priority())
        .containsExactly(
            "UNACK_ACTIVE HIGH", // before the phase: the profile's
            "RTN_UNACK HIGH",
            "NORMAL HIGH",
            "UNACK_ACTIVE CRITICAL", // under the phase: the override
            "ACK_ACTIVE CRITICAL",
            "NORMAL HIGH"); // after it: the profile's again
    assertThat(rows)
        .as("the row's priority is the transition's own")
        .allSatisfy(e -> assertThat(e.transition().priority()).isEqualTo(e.priority()));
    assertThat(
            journal.history(AlarmHistoryQuery.all().withPriority(AlarmPriority.CRITICAL)).entries())
        .as("filtering the history by priority finds what happened under the phase")
        .extracting(e -> e.transition().to())
        .containsExactly(AlarmState.ACK_ACTIVE, AlarmState.UNACK_ACTIVE);

    // The live view and the events said the same at the time.
    assertThat(events)
        .filteredOn(e -> "temp_high".equals(e.source()))
        .extracting(HepaEvent::message)
        .anySatisfy(
            m -> assertThat(m).startsWith("Alarm temp_high (CRITICAL): NORMAL → UNACK_ACTIVE"));
    CurrentAlarmState now =
        journal.currentStates().stream()
            .filter(s -> s.alarmId().equals("temp_high"))
            .findFirst()
            .orElseThrow();
    assertThat(now.priority()).isEqualTo(AlarmPriority.HIGH);
  }

  @Test
  void theCurrentStateRowCarriesThePhasePriorityWhileThePhaseRuns() throws Exception {
    get(
        service.phaseAlarmsApplied(
            R,
            new Recipe.PhaseAlarms(
                List.of(new Recipe.AlarmOverride("temp_high", null, null, null, null, "low", null)),
                List.of())));
    publish("temperature", 38.5);
    assertThat(state("temp_high")).isEqualTo(AlarmState.UNACK_ACTIVE);
    journal.flush();
    AlarmTransition last =
        journal.lastTransitions().stream()
            .filter(t -> t.alarmId().equals("temp_high"))
            .findFirst()
            .orElseThrow();
    assertThat(last.priority()).isEqualTo(AlarmPriority.LOW);
    assertThat(
            journal.currentStates().stream()
                .filter(s -> s.alarmId().equals("temp_high"))
                .findFirst()
                .orElseThrow()
                .priority())
        .isEqualTo(AlarmPriority.LOW);
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

  private AlarmState state(String alarmId) throws Exception {
    return get(service.alarms()).stream()
        .filter(a -> a.definition().id().equals(alarmId))
        .findFirst()
        .orElseThrow()
        .state();
  }
}
