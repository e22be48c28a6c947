package io.hepaloop.alarm;

import static io.hepaloop.alarm.AlarmScript.ENGINEER;
import static io.hepaloop.alarm.AlarmScript.OPERATOR;
import static io.hepaloop.alarm.AlarmScript.REACTOR;
import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.core.Quality;
import io.hepaloop.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Restart round trip: run an engine, keep the last transition of each alarm (as the store does),
 * build a fresh engine on the same definitions, restore, and check that states, views and the
 * operator actions that follow are as before, without any new announcement.
 */
class AlarmRestoreTest {
  private static final List<AlarmDefinition> DEFINITIONS =
      List.of(
          AlarmScript.definition("unacked", "HIGH signal=s1"),
          AlarmScript.definition("acked", "HIGH signal=s2 realarm=1800"),
          AlarmScript.definition("shelved", "HIGH signal=s3"),
          AlarmScript.definition("shelved_short", "HIGH signal=s4"),
          AlarmScript.definition("oos", "HIGH signal=s5"),
          AlarmScript.definition("latched", "HIGH signal=s6 latched"),
          AlarmScript.definition("rtn", "HIGH signal=s7"),
          AlarmScript.definition("quiet", "HIGH signal=s8"));

  private final ManualClock clock = new ManualClock();

  private static Map<String, AlarmTransition> lastPerAlarm(List<AlarmTransition> ts) {
    Map<String, AlarmTransition> last = new LinkedHashMap<>();
    for (AlarmTransition t : ts) {
      last.put(t.reactorId() + "/" + t.alarmId(), t);
    }
    return last;
  }

  @Test
  void aFreshEngineRestoredFromTheLastTransitionsHasTheSameStatesAndActionsStillWork() {
    List<AlarmTransition> before = new ArrayList<>();
    AlarmEngine first = new AlarmEngine(clock, DEFINITIONS, Duration.ofHours(8), before::add);
    for (int i = 1; i <= 7; i++) {
      first.onSignal(REACTOR, "s" + i, 90, Quality.GOOD, clock.now());
    }
    first.acknowledge(REACTOR, "acked", OPERATOR, "on my way");
    first.shelve(REACTOR, "shelved", Duration.ofHours(2), OPERATOR, "probe cleaning");
    first.shelve(REACTOR, "shelved_short", Duration.ofMinutes(5), OPERATOR, "quick check");
    first.removeFromService(REACTOR, "oos", ENGINEER, "probe broken");
    first.acknowledge(REACTOR, "latched", OPERATOR, "seen");
    first.onSignal(REACTOR, "s6", 50, Quality.GOOD, clock.now()); // latch holds
    first.onSignal(REACTOR, "s7", 50, Quality.GOOD, clock.now()); // returns unacknowledged
    List<AlarmView> viewsBefore = first.alarms();

    clock.advance(Duration.ofMinutes(10)); // the restart takes ten minutes
    List<AlarmTransition> after = new ArrayList<>();
    List<AlarmDefinition> withoutQuiet = DEFINITIONS.subList(0, 7);
    AlarmEngine second = new AlarmEngine(clock, withoutQuiet, Duration.ofHours(8), after::add);
    List<AlarmTransition> stored = new ArrayList<>(lastPerAlarm(before).values());
    stored.add(
        new AlarmTransition(
            clock.now(),
            "removed",
            REACTOR,
            AlarmState.NORMAL,
            AlarmState.UNACK_ACTIVE,
            1,
            0,
            null,
            null,
            "activated"));
    List<String> skipped = second.restore(stored);

    assertThat(skipped).containsExactly("r1/removed: no such alarm defined any more");
    assertThat(after).as("restoring announces nothing").isEmpty();
    assertThat(second.state(REACTOR, "unacked")).isEqualTo(AlarmState.UNACK_ACTIVE);
    assertThat(second.state(REACTOR, "acked")).isEqualTo(AlarmState.ACK_ACTIVE);
    assertThat(second.state(REACTOR, "shelved")).isEqualTo(AlarmState.SHELVED);
    assertThat(second.state(REACTOR, "shelved_short")).isEqualTo(AlarmState.SHELVED);
    assertThat(second.state(REACTOR, "oos")).isEqualTo(AlarmState.OUT_OF_SERVICE);
    assertThat(second.state(REACTOR, "latched")).isEqualTo(AlarmState.ACK_ACTIVE);
    assertThat(second.state(REACTOR, "rtn")).isEqualTo(AlarmState.RTN_UNACK);
    assertThat(second.shelvedUntil(REACTOR, "shelved"))
        .isEqualTo(viewsBefore.get(2).shelvedUntil())
        .isEqualTo(clock.now().plus(Duration.ofMinutes(110)));
    AlarmView acked = second.alarm(REACTOR, "acked");
    assertThat(acked.acknowledgedBy()).isEqualTo("olga");
    assertThat(acked.acknowledgeComment()).isEqualTo("on my way");
    assertThat(acked.activeSince()).isEqualTo(clock.now().minus(Duration.ofMinutes(10)));
    assertThat(acked.value()).isEqualTo(90);
    assertThat(second.alarm(REACTOR, "latched").latched()).isTrue();

    // a shelve that ended during the restart expires at the first tick, as a shelve does
    second.tick();
    assertThat(after).hasSize(1);
    assertThat(after.get(0).alarmId()).isEqualTo("shelved_short");
    assertThat(after.get(0).message()).startsWith("shelve expired");

    // the operator actions work on the restored states
    second.acknowledge(REACTOR, "unacked", OPERATOR, "after restart");
    assertThat(second.state(REACTOR, "unacked")).isEqualTo(AlarmState.ACK_ACTIVE);
    second.unshelve(REACTOR, "shelved", OPERATOR, "done");
    assertThat(second.state(REACTOR, "shelved")).isNotEqualTo(AlarmState.SHELVED);
    second.returnToService(REACTOR, "oos", ENGINEER, "probe replaced");
    assertThat(second.state(REACTOR, "oos")).isNotEqualTo(AlarmState.OUT_OF_SERVICE);
    second.onSignal(REACTOR, "s6", 50, Quality.GOOD, clock.now());
    assertThat(second.state(REACTOR, "latched"))
        .as("the latch holds")
        .isEqualTo(AlarmState.ACK_ACTIVE);
    second.reset(REACTOR, "latched", OPERATOR, "cause removed");
    assertThat(second.state(REACTOR, "latched")).isEqualTo(AlarmState.NORMAL);
    second.acknowledge(REACTOR, "rtn", OPERATOR, "seen late");
    assertThat(second.state(REACTOR, "rtn")).isEqualTo(AlarmState.NORMAL);

    // the acknowledged alarm re-alarms 30 min after its acknowledgement, not after the restart
    second.onSignal(REACTOR, "s2", 90, Quality.GOOD, clock.now());
    clock.advance(Duration.ofMinutes(19));
    second.tick();
    assertThat(second.state(REACTOR, "acked")).isEqualTo(AlarmState.ACK_ACTIVE);
    clock.advance(Duration.ofMinutes(1));
    second.tick();
    assertThat(second.state(REACTOR, "acked")).isEqualTo(AlarmState.UNACK_ACTIVE);
  }

  @Test
  void anActiveAlarmWhoseCauseWentAwayDuringTheRestartReturnsToNormalUnacknowledged() {
    List<AlarmTransition> before = new ArrayList<>();
    AlarmEngine first = new AlarmEngine(clock, DEFINITIONS, Duration.ofHours(8), before::add);
    first.onSignal(REACTOR, "s1", 90, Quality.GOOD, clock.now());
    List<AlarmTransition> after = new ArrayList<>();
    AlarmEngine second = new AlarmEngine(clock, DEFINITIONS, Duration.ofHours(8), after::add);
    assertThat(second.restore(before)).isEmpty();
    second.onSignal(REACTOR, "s1", 50, Quality.GOOD, clock.now());
    assertThat(after)
        .singleElement()
        .satisfies(t -> assertThat(t.to()).isEqualTo(AlarmState.RTN_UNACK));
  }

  @Test
  void theViewShowsKindPriorityStateValueTimesAndRationale() {
    AlarmScript s = AlarmScript.of("HIGH").run("t 5; v 81; t 10; ack; t 2; v 82");
    AlarmView v = s.engine.alarm(REACTOR, AlarmScript.ALARM);
    assertThat(v.id()).isEqualTo("a1");
    assertThat(v.reactorId()).isEqualTo(REACTOR);
    assertThat(v.kind()).isEqualTo(AlarmKind.HIGH);
    assertThat(v.priority()).isEqualTo(AlarmPriority.HIGH);
    assertThat(v.state()).isEqualTo(AlarmState.ACK_ACTIVE);
    assertThat(v.value()).isEqualTo(82);
    assertThat(v.activeSince()).isEqualTo(s.clock.now().minusSeconds(12));
    assertThat(v.lastChange()).isEqualTo(s.clock.now().minusSeconds(2));
    assertThat(v.acknowledgedBy()).isEqualTo("olga");
    assertThat(v.acknowledgeComment()).isEqualTo("seen");
    assertThat(v.shelvedUntil()).isNull();
    assertThat(v.latched()).isFalse();
    assertThat(v.message()).startsWith("acknowledged");
    assertThat(v.rationale()).isEqualTo(AlarmScript.RATIONALE);
    s.run("shelve 60");
    assertThat(s.engine.alarms(REACTOR))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.shelvedUntil()).isEqualTo(s.clock.now().plusSeconds(60));
              assertThat(a.message()).contains("until " + s.clock.now().plusSeconds(60));
            });
    assertThat(s.engine.alarms("r9")).isEmpty();
    assertThat(s.engine.alarms()).hasSize(1);
    AlarmView fresh = AlarmScript.of("LOW").engine.alarms().get(0);
    assertThat(fresh.lastChange()).isNull();
    assertThat(fresh.activeSince()).isNull();
    assertThat(fresh.value()).isNaN();
  }
}
