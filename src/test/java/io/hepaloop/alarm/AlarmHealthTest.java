package io.hepaloop.alarm;

import static io.hepaloop.alarm.AlarmScript.OPERATOR;
import static io.hepaloop.alarm.AlarmScript.REACTOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.core.Quality;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Flood, chattering, stale and shelved figures, and their memory over days of accelerated time. */
class AlarmHealthTest {

  /** Twelve HIGH alarms on signals s0..s11 of reactor r1, limit 80. */
  private static AlarmScript twelveAlarms() {
    List<AlarmDefinition> defs = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      defs.add(AlarmScript.definition("hi" + i, "HIGH signal=s" + i));
    }
    return new AlarmScript(defs.toArray(AlarmDefinition[]::new));
  }

  private static void signal(AlarmScript s, int i, double value) {
    s.engine.onSignal(REACTOR, "s" + i, value, Quality.GOOD, s.clock.now());
  }

  @Test
  void tenActivationsWithinTenMinutesAreAFloodNineAreNot() {
    AlarmScript s = twelveAlarms();
    for (int i = 0; i < 9; i++) {
      signal(s, i, 90);
      s.clock.advance(Duration.ofSeconds(50));
    }
    assertThat(s.health.reactor(REACTOR).activationsLast10Min()).isEqualTo(9);
    assertThat(s.health.reactor(REACTOR).flood()).isFalse();
    signal(s, 9, 90); // at 7 min 30 s: ten within ten minutes
    AlarmHealth.Figures r1 = s.health.reactor(REACTOR);
    assertThat(r1.activationsLast10Min()).isEqualTo(10);
    assertThat(r1.flood()).isTrue();
    assertThat(s.health.plant().flood()).isTrue();
    assertThat(s.health.plant().activationsLast10Min()).isEqualTo(10);
    // The first activation, at 0 s, counts until 10 min have passed, not a second longer.
    s.clock.advance(Duration.ofSeconds(150));
    assertThat(s.health.reactor(REACTOR).activationsLast10Min()).isEqualTo(10);
    s.clock.advance(Duration.ofSeconds(1));
    assertThat(s.health.reactor(REACTOR).activationsLast10Min()).isEqualTo(9);
    assertThat(s.health.reactor(REACTOR).flood()).isFalse();
    assertThat(s.health.reactor("r2").activationsLast10Min()).isZero();
  }

  /** Activates alarm hi{@code i} at each of the given seconds (from the script's start). */
  private static void activateAt(AlarmScript s, int i, int... seconds) {
    long start = s.clock.nanoTime();
    for (int at : seconds) {
      s.clock.advanceNanos(start + at * 1_000_000_000L - s.clock.nanoTime());
      signal(s, i, 81);
      signal(s, i, 79);
    }
  }

  @Test
  void threeActivationsWithinAMinuteChatterWithAHintSpreadOverMoreDoNot() {
    AlarmScript slow = twelveAlarms();
    activateAt(slow, 1, 0, 30, 61);
    assertThat(slow.health.reactor(REACTOR).chattering()).isEmpty();

    AlarmScript fast = twelveAlarms();
    activateAt(fast, 3, 0, 29, 58);
    assertThat(fast.transitions.stream().filter(AlarmTransition::isActivation)).hasSize(3);
    List<AlarmHealth.Chattering> chattering = fast.health.reactor(REACTOR).chattering();
    assertThat(chattering)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.alarmId()).isEqualTo("hi3");
              assertThat(c.reactorId()).isEqualTo(REACTOR);
              assertThat(c.activationsLastMinute()).isEqualTo(3);
              assertThat(c.hint()).contains("deadbandInUnits").contains("onDelayS");
            });
    assertThat(fast.health.plant().chattering()).hasSize(1);
    fast.clock.advance(Duration.ofSeconds(2)); // 60 s after the first: still within the minute
    assertThat(fast.health.reactor(REACTOR).chattering()).hasSize(1);
    fast.clock.advance(Duration.ofSeconds(1));
    assertThat(fast.health.reactor(REACTOR).chattering()).as("first of three > 60 s ago").isEmpty();
  }

  @Test
  void anAlarmActiveFor24HoursIsStaleAcknowledgedOrNot() {
    AlarmScript s = twelveAlarms();
    signal(s, 0, 90);
    signal(s, 1, 90);
    s.engine.acknowledge(REACTOR, "hi1", OPERATOR, "known, waiting for maintenance");
    s.clock.advance(Duration.ofHours(24).minusSeconds(1));
    s.engine.tick();
    assertThat(s.health.reactor(REACTOR).staleCount()).isZero();
    s.clock.advance(Duration.ofSeconds(1));
    s.engine.tick();
    assertThat(s.health.reactor(REACTOR).staleCount()).isEqualTo(2);
    assertThat(s.health.plant().staleCount()).isEqualTo(2);
    signal(s, 0, 70);
    assertThat(s.health.reactor(REACTOR).staleCount()).isEqualTo(1);
  }

  @Test
  void shelvedAlarmsAreCountedUntilTheyExpire() {
    AlarmScript s = twelveAlarms();
    signal(s, 0, 90);
    s.engine.shelve(REACTOR, "hi0", Duration.ofMinutes(30), OPERATOR, "probe cleaning");
    s.engine.shelve(REACTOR, "hi5", Duration.ofMinutes(60), OPERATOR, "probe cleaning");
    assertThat(s.health.reactor(REACTOR).shelvedCount()).isEqualTo(2);
    s.clock.advance(Duration.ofMinutes(30));
    s.engine.tick();
    assertThat(s.health.reactor(REACTOR).shelvedCount()).isEqualTo(1);
    s.clock.advance(Duration.ofMinutes(30));
    s.engine.tick();
    assertThat(s.health.plant().shelvedCount()).isZero();
  }

  @Test
  void memoryStaysBoundedOverThreeDaysOfChatteringAndFloods() {
    AlarmScript s = twelveAlarms();
    int maxRetained = 0;
    long activations = 0;
    for (int step = 0; step < 3 * 24 * 3600 / 5; step++) { // 5 s steps for three days
      s.clock.advance(Duration.ofSeconds(5));
      int i = step % 12;
      boolean high = (step / 12) % 2 == 0; // each alarm activates every 2 min: 60 per 10 min
      signal(s, i, high ? 90 : 70);
      s.engine.tick();
      if (high) {
        s.engine.acknowledge(REACTOR, "hi" + i, OPERATOR, "flood drill");
      }
      maxRetained = Math.max(maxRetained, s.health.retainedEntries());
      if (s.transitions.size() > 10_000) {
        for (AlarmTransition t : s.transitions) {
          activations += t.isActivation() ? 1 : 0;
        }
        s.transitions.clear(); // the test's own history; the health keeps its own
      }
    }
    assertThat(activations).as("the run really produced many activations").isGreaterThan(20_000);
    assertThat(s.health.reactor(REACTOR).flood()).isTrue();
    assertThat(maxRetained)
        .as("one activation time per activation in the last 10 min, one entry per alarm")
        .isLessThanOrEqualTo(61 + 12);
    s.clock.advance(Duration.ofHours(1));
    s.engine.tick();
    assertThat(s.health.reactor(REACTOR).activationsLast10Min()).isZero();
    assertThat(s.health.retainedEntries()).as("alarms normal and quiet are forgotten").isZero();
  }
}
