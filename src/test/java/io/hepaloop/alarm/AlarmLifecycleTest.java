package io.hepaloop.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every lifecycle transition as a table: a definition, a script of process values, clock steps and
 * operator actions, and the state expected after each. See {@link AlarmScript} for the notation.
 */
class AlarmLifecycleTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        c(
            "activates at once without on-delay",
            "HIGH",
            "v 79; =NORMAL; v 80; =NORMAL; v 81; =UNACK_ACTIVE"),
        c(
            "on-delay: the condition must hold continuously",
            "HIGH on=10",
            "v 81; =NORMAL; t 5; =NORMAL; v 79; t 6; =NORMAL; v 81; t 9.9; =NORMAL; t 0.1;"
                + " =UNACK_ACTIVE"),
        c(
            "deadband: a HIGH clears only below limit - deadband",
            "HIGH db=2",
            "v 81; =UNACK_ACTIVE; ack; =ACK_ACTIVE; v 79; =ACK_ACTIVE; v 78; =ACK_ACTIVE; v 80.5;"
                + " =ACK_ACTIVE; v 77.9; =NORMAL; v 80; =NORMAL; v 80.1; =UNACK_ACTIVE"),
        c(
            "deadband: a LOW clears only above limit + deadband",
            "LOW limit=20 db=1",
            "v 21; =NORMAL; v 19; =UNACK_ACTIVE; v 20.5; =UNACK_ACTIVE; v 21; =UNACK_ACTIVE; v 21.1;"
                + " =RTN_UNACK"),
        c(
            "HIGH_HIGH activates above its limit",
            "HIGH_HIGH limit=90",
            "v 89; =NORMAL; v 91; =UNACK_ACTIVE"),
        c(
            "LOW_LOW activates below its limit",
            "LOW_LOW limit=10",
            "v 11; =NORMAL; v 9; =UNACK_ACTIVE"),
        c(
            "off-delay: normal must hold continuously before return to normal",
            "HIGH off=5",
            "v 81; ack; v 70; t 4; =ACK_ACTIVE; v 81; t 2; v 70; t 4.9; =ACK_ACTIVE; t 0.1; =NORMAL"),
        c(
            "acknowledged while active, then returns to normal",
            "HIGH",
            "v 81; =UNACK_ACTIVE; ack; =ACK_ACTIVE; v 70; =NORMAL"),
        c(
            "returns to normal unacknowledged, then acknowledged",
            "HIGH",
            "v 81; v 70; =RTN_UNACK; ack; =NORMAL"),
        c(
            "returned unacknowledged and active again",
            "HIGH",
            "v 81; v 70; =RTN_UNACK; v 81; =UNACK_ACTIVE"),
        c(
            "shelved while active expires by itself back to active",
            "HIGH",
            "v 81; =UNACK_ACTIVE; shelve 60; =SHELVED; t 59; =SHELVED; t 1; =UNACK_ACTIVE"),
        c(
            "shelved while active expires to normal when the condition cleared",
            "HIGH",
            "v 81; shelve 60; v 70; =SHELVED; t 60; =NORMAL"),
        c(
            "shelving hides a new activation until unshelved",
            "HIGH",
            "shelve 600; v 81; =SHELVED; t 10; =SHELVED; unshelve; =UNACK_ACTIVE"),
        c(
            "returned unacknowledged, shelved, expires to normal",
            "HIGH",
            "v 81; v 70; =RTN_UNACK; shelve 60; =SHELVED; t 60; =NORMAL"),
        c(
            "shelving outranks suppression; expiry gives way to it, its end to the condition",
            "HIGH suppress=MANUAL",
            "v 81; shelve 60; loop MANUAL; =SHELVED; t 60; =SUPPRESSED_BY_DESIGN; loop AUTO;"
                + " =UNACK_ACTIVE"),
        c(
            "unshelved after the condition cleared is normal",
            "HIGH",
            "v 81; ack; shelve 60; v 70; unshelve; =NORMAL"),
        c(
            "suppressed by design while loop L is in MANUAL; still active when it ends",
            "HIGH suppress=MANUAL",
            "v 81; =UNACK_ACTIVE; loop manual; =SUPPRESSED_BY_DESIGN; v 70; v 81;"
                + " =SUPPRESSED_BY_DESIGN; loop AUTO; =UNACK_ACTIVE"),
        c(
            "suppression by design ends with the condition normal",
            "HIGH suppress=MANUAL",
            "loop MANUAL; v 81; =SUPPRESSED_BY_DESIGN; v 70; loop AUTO; =NORMAL"),
        c(
            "out of service by an engineer, back in service while normal",
            "HIGH",
            "v 81; oos; =OUT_OF_SERVICE; v 70; v 81; v 70; =OUT_OF_SERVICE; rts; =NORMAL"),
        c(
            "out of service hides an activation; back in service it alarms",
            "HIGH",
            "oos; v 81; =OUT_OF_SERVICE; rts; =UNACK_ACTIVE"),
        c(
            "out of service outranks shelving",
            "HIGH",
            "v 81; shelve 60; =SHELVED; oos; =OUT_OF_SERVICE; t 120; =OUT_OF_SERVICE; rts;"
                + " =UNACK_ACTIVE"),
        c(
            "latched: stays active after the condition clears until reset",
            "HIGH latched",
            "v 81; v 70; =UNACK_ACTIVE; ack; =ACK_ACTIVE; t 3600; =ACK_ACTIVE; reset; =NORMAL"),
        c(
            "latched and reset before acknowledgement: returned unacknowledged",
            "HIGH latched",
            "v 81; v 70; reset; =RTN_UNACK; ack; =NORMAL"),
        c(
            "latched: a new excursion while latched does not announce again",
            "HIGH latched",
            "v 81; ack; v 70; v 81; =ACK_ACTIVE; v 70; reset; =NORMAL"),
        c(
            "re-alarm: acknowledged but still active after reAlarmAfterS",
            "HIGH realarm=300",
            "v 81; ack; t 299; =ACK_ACTIVE; t 1; =UNACK_ACTIVE; ack; =ACK_ACTIVE; t 300;"
                + " =UNACK_ACTIVE"),
        c(
            "no re-alarm once the condition has cleared",
            "HIGH realarm=300",
            "v 81; ack; v 70; =NORMAL; t 600; =NORMAL"),
        c("no re-alarm when reAlarmAfterS is 0", "HIGH", "v 81; ack; t 86400; =ACK_ACTIVE"),
        c(
            "bad quality alarms, good quality returns to normal",
            "BAD_QUALITY_OR_STALE limit=30",
            "v 5; =NORMAL; bad; =UNACK_ACTIVE; v 5; =RTN_UNACK"),
        c(
            "stale: no new sample for longer than the limit",
            "BAD_QUALITY_OR_STALE limit=30",
            "v 5; t 30; =NORMAL; t 0.5; =UNACK_ACTIVE; v 5; =RTN_UNACK"),
        c(
            "stale: age counts from arrival, not from an old source time (a lagging device clock)",
            "BAD_QUALITY_OR_STALE limit=30",
            "vold 5 45; =NORMAL; t 30; =NORMAL; t 0.5; =UNACK_ACTIVE; vold 5 45; =RTN_UNACK"),
        c(
            "bad quality freezes a limit alarm instead of clearing it",
            "HIGH",
            "v 81; bad; =UNACK_ACTIVE; v 70; =RTN_UNACK"),
        c(
            "link lost and back",
            "LINK_LOST",
            "link up; =NORMAL; link down; =UNACK_ACTIVE; link up; =RTN_UNACK"),
        c(
            "link lost shorter than its on-delay does not alarm",
            "LINK_LOST on=5",
            "link down; t 4; link up; t 10; =NORMAL; link down; t 5; =UNACK_ACTIVE"),
        c(
            "interlock tripped, acknowledged, cleared",
            "INTERLOCK_TRIPPED",
            "ilock trip; =UNACK_ACTIVE; ack; =ACK_ACTIVE; ilock clear; =NORMAL"),
        c(
            "loop saturated for longer than T",
            "LOOP_SATURATED limit=120",
            "sat 1; t 119; =NORMAL; t 1; =UNACK_ACTIVE; sat 0; =RTN_UNACK"),
        c(
            "loop saturation interrupted restarts the count",
            "LOOP_SATURATED limit=120",
            "sat 1; t 100; sat 0; sat 1; t 100; =NORMAL; t 20; =UNACK_ACTIVE"),
        c(
            "deviation from the loop setpoint with deadband",
            "DEVIATION limit=2 db=0.5",
            "loop AUTO 37 38.9; =NORMAL; loop AUTO 37 34.5; =UNACK_ACTIVE; loop AUTO 37 38.6;"
                + " =UNACK_ACTIVE; loop AUTO 37 38.4; =RTN_UNACK"),
        c(
            "rate of change above the limit per minute, over the window",
            "RATE_OF_CHANGE limit=5",
            "v 0; ramp 1 5 5; =NORMAL; ramp 1 5 1; =UNACK_ACTIVE; ack; ramp 0 5 14; =NORMAL"),
        c(
            "a slow change does not trip the rate alarm",
            "RATE_OF_CHANGE limit=5",
            "v 0; ramp 0.2 5 40; =NORMAL; ramp -0.2 5 40; =NORMAL; ramp 2 5 6; =UNACK_ACTIVE"),
        c(
            "a falling rate trips it too",
            "RATE_OF_CHANGE limit=5",
            "v 100; ramp -1 5 6; =UNACK_ACTIVE"),
        c(
            "rate of change over a ten-minute window: a one-minute burst averages out, a sustained"
                + " ramp trips it",
            "RATE_OF_CHANGE limit=5 window=600",
            "v 0; ramp 0 10 30; ramp 1 10 6; ramp 0 10 30; =NORMAL; ramp 1 10 60; =UNACK_ACTIVE"),
        c(
            "heartbeat failing, with on-delay, acknowledged, cleared",
            "HEARTBEAT_FAILING on=3",
            "hb fail; t 2; =NORMAL; hb ok; t 5; hb fail; t 3; =UNACK_ACTIVE; ack; =ACK_ACTIVE;"
                + " hb ok; =NORMAL"),
        c(
            "heartbeat failing latched needs a reset after it works again",
            "HEARTBEAT_FAILING latched",
            "hb fail; ack; hb ok; =ACK_ACTIVE; reset; =NORMAL"),
        c(
            "spool growing above the backlog age, deadband on the way back",
            "SPOOL_GROWING limit=300 db=60",
            "spool 0; =NORMAL; spool 301; =UNACK_ACTIVE; spool 250; =UNACK_ACTIVE; spool 239;"
                + " =RTN_UNACK; ack; =NORMAL"),
        c(
            "spool growing shelved expires back into the active state",
            "SPOOL_GROWING limit=300",
            "spool 400; shelve 60; =SHELVED; t 59; =SHELVED; t 1; =UNACK_ACTIVE"),
        c(
            "heartbeat alarm suppressed by design while the loop is in MANUAL",
            "HEARTBEAT_FAILING suppress=MANUAL",
            "loop MANUAL; hb fail; =SUPPRESSED_BY_DESIGN; loop AUTO; =UNACK_ACTIVE"),
        c(
            "OUR decline fires only when the window is full and the fall exceeds the limit",
            "OUR_DECLINE limit=20 window=3600 db=5",
            "ours 100 10 120; ours 50 10 120; =NORMAL; ours 50 10 125; =UNACK_ACTIVE; ack;"
                + " ours 100 10 400; =NORMAL"),
        c(
            "OUR decline re-alarms when still active after acknowledgement",
            "OUR_DECLINE limit=20 window=3600 realarm=600",
            "ours 100 10 360; ours 50 10 60; =UNACK_ACTIVE; ack; =ACK_ACTIVE; ours 50 10 59;"
                + " =ACK_ACTIVE; ours 50 10 2; =UNACK_ACTIVE"));
  }

  private static Arguments c(String name, String spec, String script) {
    return Arguments.of(name, spec, script);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void lifecycle(String name, String spec, String script) {
    AlarmScript s = AlarmScript.of(spec).run(script);
    s.assertTransitionsChain();
    assertThat(s.transitions).as("at least one transition happened").isNotEmpty();
  }
}
