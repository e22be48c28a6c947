package io.hepaloop.alarm;

import static io.hepaloop.alarm.AlarmScript.ALARM;
import static io.hepaloop.alarm.AlarmScript.ENGINEER;
import static io.hepaloop.alarm.AlarmScript.OPERATOR;
import static io.hepaloop.alarm.AlarmScript.REACTOR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepaloop.core.Quality;
import io.hepaloop.time.ManualClock;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Operator actions and their refusals, the transition record, routing and allocation. */
class AlarmEngineTest {
  private static final Actor VIEWER = new Actor("vera", Actor.Role.VIEWER);

  /** A refused action throws and changes nothing: same state, no transition. */
  private static void refusedWithoutChange(
      AlarmScript s, ThrowingCallable action, Class<? extends Throwable> type, String message) {
    AlarmState before = s.state();
    int transitions = s.transitions.size();
    assertThatThrownBy(action).isInstanceOf(type).hasMessageContaining(message);
    assertThat(s.state()).isEqualTo(before);
    assertThat(s.transitions).hasSize(transitions);
  }

  @Test
  void acknowledgeWithoutACommentOrByAViewerIsRefused() {
    AlarmScript s = AlarmScript.of("HIGH").run("v 81; =UNACK_ACTIVE");
    refusedWithoutChange(
        s,
        () -> s.engine.acknowledge(REACTOR, ALARM, OPERATOR, " "),
        IllegalArgumentException.class,
        "a comment is required to acknowledge");
    refusedWithoutChange(
        s,
        () -> s.engine.acknowledge(REACTOR, ALARM, OPERATOR, null),
        IllegalArgumentException.class,
        "a comment is required to acknowledge");
    refusedWithoutChange(
        s,
        () -> s.engine.acknowledge(REACTOR, ALARM, VIEWER, "seen"),
        SecurityException.class,
        "vera (VIEWER) may not acknowledge an alarm; that needs the OPERATOR role");
    refusedWithoutChange(
        s,
        () -> s.engine.acknowledge(REACTOR, ALARM, null, "seen"),
        IllegalArgumentException.class,
        "an actor is required");
    s.run("ack; =ACK_ACTIVE");
    refusedWithoutChange(
        s,
        () -> s.engine.acknowledge(REACTOR, ALARM, OPERATOR, "again"),
        IllegalStateException.class,
        "is ACK_ACTIVE, nothing to acknowledge");
  }

  @Test
  void shelvingNeedsACommentAPositiveDurationWithinTheMaximum() {
    AlarmScript s = AlarmScript.of("HIGH").run("v 81");
    refusedWithoutChange(
        s,
        () -> s.engine.shelve(REACTOR, ALARM, Duration.ofHours(9), OPERATOR, "nuisance"),
        IllegalArgumentException.class,
        "shelve duration PT9H exceeds the maximum of PT8H");
    refusedWithoutChange(
        s,
        () -> s.engine.shelve(REACTOR, ALARM, Duration.ZERO, OPERATOR, "nuisance"),
        IllegalArgumentException.class,
        "shelve duration must be positive");
    refusedWithoutChange(
        s,
        () -> s.engine.shelve(REACTOR, ALARM, Duration.ofMinutes(5), OPERATOR, ""),
        IllegalArgumentException.class,
        "a comment is required to shelve");
    s.engine.shelve(REACTOR, ALARM, Duration.ofHours(8), OPERATOR, "nuisance");
    assertThat(s.engine.shelvedUntil(REACTOR, ALARM))
        .isEqualTo(s.clock.now().plusSeconds(8 * 3600));
    refusedWithoutChange(
        s,
        () -> s.engine.shelve(REACTOR, ALARM, Duration.ofMinutes(5), OPERATOR, "more"),
        IllegalStateException.class,
        "is already shelved");
    s.clock.advance(Duration.ofHours(8));
    s.engine.tick();
    assertThat(s.state()).isEqualTo(AlarmState.UNACK_ACTIVE);
    assertThat(s.engine.shelvedUntil(REACTOR, ALARM)).isNull();
    assertThat(s.transitions.get(s.transitions.size() - 1).message()).startsWith("shelve expired");
  }

  @Test
  void outOfServiceIsRefusedForAnOperatorAndAllowedForAnEngineer() {
    AlarmScript s = AlarmScript.of("HIGH").run("v 81");
    refusedWithoutChange(
        s,
        () -> s.engine.removeFromService(REACTOR, ALARM, OPERATOR, "broken probe"),
        SecurityException.class,
        "olga (OPERATOR) may not take out of service an alarm; that needs the ENGINEER role");
    s.engine.removeFromService(REACTOR, ALARM, ENGINEER, "broken probe");
    assertThat(s.state()).isEqualTo(AlarmState.OUT_OF_SERVICE);
    refusedWithoutChange(
        s,
        () -> s.engine.returnToService(REACTOR, ALARM, OPERATOR, "fixed"),
        SecurityException.class,
        "needs the ENGINEER role");
    refusedWithoutChange(
        s,
        () -> s.engine.shelve(REACTOR, ALARM, Duration.ofMinutes(1), ENGINEER, "x"),
        IllegalStateException.class,
        "is out of service and cannot be shelved");
    s.engine.returnToService(REACTOR, ALARM, new Actor("ada", Actor.Role.ADMIN), "fixed");
    assertThat(s.state()).isEqualTo(AlarmState.UNACK_ACTIVE);
  }

  @Test
  void aLatchedAlarmCannotBeResetWhileItsConditionHoldsAndOthersCannotBeReset() {
    AlarmScript latched = AlarmScript.of("HIGH latched").run("v 81; ack");
    refusedWithoutChange(
        latched,
        () -> latched.engine.reset(REACTOR, ALARM, OPERATOR, "try"),
        IllegalStateException.class,
        "cannot be reset while its condition is still active (value 81.0)");
    AlarmScript plain = AlarmScript.of("HIGH").run("v 81");
    refusedWithoutChange(
        plain,
        () -> plain.engine.reset(REACTOR, ALARM, OPERATOR, "try"),
        IllegalStateException.class,
        "is not latched");
  }

  @Test
  void unknownAlarmsAndDuplicateDefinitionsAreRefused() {
    AlarmScript s = AlarmScript.of("HIGH");
    assertThatThrownBy(() -> s.engine.acknowledge("r9", ALARM, OPERATOR, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no alarm 'a1' on reactor 'r9'");
    AlarmDefinition d = AlarmScript.definition("a1", "HIGH");
    assertThatThrownBy(() -> new AlarmScript(d, AlarmScript.definition("a1", "LOW limit=5")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("alarm 'a1' is defined twice for reactor 'r1'");
  }

  @Test
  void aTransitionCarriesTimeIdsValueLimitActorCommentAndMessage() {
    AlarmScript s = AlarmScript.of("HIGH").run("t 12; v 81.5");
    AlarmTransition activated = s.transitions.get(0);
    assertThat(activated.time()).isEqualTo(Instant.parse("2026-01-01T00:00:12Z"));
    assertThat(activated.alarmId()).isEqualTo(ALARM);
    assertThat(activated.reactorId()).isEqualTo(REACTOR);
    assertThat(activated.from()).isEqualTo(AlarmState.NORMAL);
    assertThat(activated.to()).isEqualTo(AlarmState.UNACK_ACTIVE);
    assertThat(activated.value()).isEqualTo(81.5);
    assertThat(activated.limit()).isEqualTo(80);
    assertThat(activated.actor()).isNull();
    assertThat(activated.message()).isEqualTo("activated: HIGH on s, value 81.5, limit 80.0");
    assertThat(activated.isActivation()).isTrue();
    s.clock.advanceSeconds(3);
    s.engine.acknowledge(REACTOR, ALARM, OPERATOR, "going to check the probe");
    AlarmTransition ack = s.transitions.get(1);
    assertThat(ack.time()).isEqualTo(Instant.parse("2026-01-01T00:00:15Z"));
    assertThat(ack.actor()).isEqualTo(OPERATOR);
    assertThat(ack.comment()).isEqualTo("going to check the probe");
    assertThat(ack.message()).startsWith("acknowledged: HIGH on s");
    assertThat(ack.isActivation()).isFalse();
  }

  @Test
  void valuesReachOnlyTheAlarmsOfTheirReactorAndSource() {
    ManualClock clock = new ManualClock();
    List<AlarmTransition> seen = new ArrayList<>();
    AlarmDefinition r1 = AlarmScript.definition("hi", "HIGH");
    AlarmDefinition r1Other = AlarmScript.definition("hi_t", "HIGH signal=temp");
    AlarmDefinition r2 =
        new AlarmDefinition(
            "hi",
            "r2",
            AlarmKind.HIGH,
            "s",
            80,
            0,
            0,
            0,
            AlarmPriority.LOW,
            false,
            0,
            null,
            AlarmScript.RATIONALE);
    AlarmEngine engine =
        new AlarmEngine(clock, List.of(r1, r1Other, r2), Duration.ofHours(1), seen::add);
    engine.onSignal("r2", "s", 99, Quality.GOOD, clock.now());
    engine.onSignal("r3", "s", 99, Quality.GOOD, clock.now());
    engine.onSignal("r1", "nothing", 99, Quality.GOOD, clock.now());
    assertThat(seen).singleElement().satisfies(t -> assertThat(t.reactorId()).isEqualTo("r2"));
    assertThat(engine.state("r1", "hi")).isEqualTo(AlarmState.NORMAL);
    assertThat(engine.state("r1", "hi_t")).isEqualTo(AlarmState.NORMAL);
  }

  @Test
  void aListenerThatThrowsIsCountedAndTheLifecycleGoesOn() {
    ManualClock clock = new ManualClock();
    List<AlarmTransition> seen = new ArrayList<>();
    AlarmEngine engine =
        new AlarmEngine(
            clock,
            List.of(AlarmScript.definition(ALARM, "HIGH")),
            Duration.ofHours(1),
            t -> {
              seen.add(t);
              throw new IllegalStateException("database full");
            });
    engine.onSignal(REACTOR, "s", 81, Quality.GOOD, clock.now());
    engine.acknowledge(REACTOR, ALARM, OPERATOR, "seen");
    assertThat(engine.state(REACTOR, ALARM)).isEqualTo(AlarmState.ACK_ACTIVE);
    assertThat(seen).hasSize(2);
    assertThat(engine.listenerFailures()).isEqualTo(2);
    assertThat(engine.lastListenerFailure()).hasMessage("database full");
  }

  @Test
  void evaluationsWithoutTransitionsAllocateNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    ManualClock clock = new ManualClock();
    List<AlarmDefinition> defs = new ArrayList<>();
    for (String spec :
        new String[] {
          "HIGH db=1 on=5",
          "LOW limit=20",
          "RATE_OF_CHANGE limit=50",
          "BAD_QUALITY_OR_STALE limit=30",
          "DEVIATION limit=5 suppress=MANUAL",
          "LOOP_SATURATED limit=600",
          "LINK_LOST",
          "INTERLOCK_TRIPPED",
          "RATE_OF_CHANGE limit=50 window=600 signal=s2",
          "HEARTBEAT_FAILING",
          "SPOOL_GROWING limit=300",
          "OUR_DECLINE limit=20 window=2",
          "PREDICTED_LOW limit=10 window=3 horizon=3600"
        }) {
      defs.add(AlarmScript.definition("a" + defs.size(), spec));
    }
    List<AlarmTransition> seen = new ArrayList<>();
    AlarmEngine engine = new AlarmEngine(clock, defs, Duration.ofHours(1), seen::add);
    Instant sourceTime = clock.now();
    Runnable cycle =
        () -> {
          engine.onSignal(REACTOR, "s", 50, Quality.GOOD, sourceTime);
          engine.onLoop(REACTOR, "L", "AUTO", 37, 37.1, Quality.GOOD, false);
          engine.onLink(REACTOR, true);
          engine.onInterlock(REACTOR, "I", false);
          engine.onHeartbeat(REACTOR, false);
          engine.onTelemetryBacklog(2.5);
          engine.onOur(REACTOR, null, 100);
          engine.tick();
        };
    for (int i = 0; i < 20_000; i++) {
      cycle.run(); // warm up (class loading, JIT)
    }
    long threadId = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(threadId);
    for (int i = 0; i < 100_000; i++) {
      clock.advanceNanos(100_000); // 100 µs per cycle: 10 s in all
      cycle.run();
    }
    long allocated = threads.getThreadAllocatedBytes(threadId) - before;
    // the windowed kinds close a bucket every few ms here and fit a line each time: still nothing
    assertThat(seen).as("the source time stays fresh: 30 s limit, 12 s in all").isEmpty();
    // tick() reads clock.now() once a second (10 Instants) and the JVM itself allocates a little
    // (a few kB measured); one 16-byte object per evaluation would be 8 MB here.
    assertThat(allocated).as("bytes allocated by 100 000 cycles").isLessThan(32_000);
  }
}
