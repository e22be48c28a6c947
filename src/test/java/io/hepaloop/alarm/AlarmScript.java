package io.hepaloop.alarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.core.Quality;
import io.hepaloop.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One alarm on reactor "r1" driven by a tiny script, so lifecycle cases read as a table. The
 * definition spec is "KIND key=value ..." (limit, db, on, off, realarm, suppress=MODE, latched,
 * window, horizon); the script is steps separated by ";":
 *
 * <pre>
 *   v X          signal "s" = X, Good, source time now
 *   vold X S     signal "s" = X, Good, source time S seconds ago
 *   bad          signal "s" Bad quality
 *   t S          advance the clock S seconds, then tick
 *   loop MODE [SP PV [SAT]]   snapshot of loop "L" (defaults 37 37 0)
 *   sat 0|1      loop "L" in AUTO, saturated or not
 *   link up|down, ilock trip|clear
 *   ramp STEP DT N           N samples each STEP higher, DT seconds apart (ticking)
 *   hb fail|ok   heartbeat failing or working
 *   spool S      telemetry backlog: oldest unsent point S seconds old
 *   our X        OUR of "r1" = X nmol/min, now
 *   ours X DT N  N OUR values X, DT seconds apart (ticking)
 *   ack, unshelve, reset      as operator "olga"; oos, rts as engineer "erik"
 *   shelve S     shelve for S seconds
 *   =STATE       the alarm is in STATE now
 * </pre>
 */
final class AlarmScript {
  static final String REACTOR = "r1";
  static final String ALARM = "a1";
  static final Actor OPERATOR = new Actor("olga", Actor.Role.OPERATOR);
  static final Actor ENGINEER = new Actor("erik", Actor.Role.ENGINEER);
  static final Rationale RATIONALE =
      new Rationale("cause text", "consequence text", "corrective action text", 300);

  final ManualClock clock = new ManualClock();
  final List<AlarmTransition> transitions = new ArrayList<>();
  final AlarmHealth health = new AlarmHealth(clock);
  final AlarmEngine engine;
  private double lastValue = 0;

  AlarmScript(AlarmDefinition... definitions) {
    engine =
        new AlarmEngine(
            clock,
            List.of(definitions),
            Duration.ofHours(8),
            t -> {
              transitions.add(t);
              health.onTransition(t);
            });
  }

  static AlarmScript of(String spec) {
    return new AlarmScript(definition(ALARM, spec));
  }

  static AlarmDefinition definition(String id, String spec) {
    String[] words = spec.trim().split("\\s+");
    AlarmKind kind = AlarmKind.valueOf(words[0]);
    double limit = 80;
    double db = 0;
    double on = 0;
    double off = 0;
    double reAlarm = 0;
    boolean latched = false;
    Suppression suppression = null;
    String signal = "s";
    double window = 0;
    double horizon = 0;
    for (int i = 1; i < words.length; i++) {
      String[] kv = words[i].split("=");
      switch (kv[0]) {
        case "limit" -> limit = Double.parseDouble(kv[1]);
        case "db" -> db = Double.parseDouble(kv[1]);
        case "on" -> on = Double.parseDouble(kv[1]);
        case "off" -> off = Double.parseDouble(kv[1]);
        case "realarm" -> reAlarm = Double.parseDouble(kv[1]);
        case "latched" -> latched = true;
        case "suppress" -> suppression = new Suppression("L", kv[1]);
        case "signal" -> signal = kv[1];
        case "window" -> window = Double.parseDouble(kv[1]);
        case "horizon" -> horizon = Double.parseDouble(kv[1]);
        default -> throw new IllegalArgumentException("unknown spec word " + words[i]);
      }
    }
    String source =
        switch (kind) {
          case DEVIATION, LOOP_SATURATED -> "L";
          case INTERLOCK_TRIPPED -> "I";
          case LINK_LOST, HEARTBEAT_FAILING, SPOOL_GROWING, OUR_DECLINE -> null;
          default -> signal;
        };
    return new AlarmDefinition(
        id,
        REACTOR,
        kind,
        source,
        limit,
        db,
        on,
        off,
        AlarmPriority.HIGH,
        latched,
        reAlarm,
        suppression,
        RATIONALE,
        window,
        horizon);
  }

  AlarmScript run(String script) {
    for (String step : script.split(";")) {
      step(step.trim());
    }
    return this;
  }

  private void step(String step) {
    String[] w = step.split("\\s+");
    switch (w[0]) {
      case "v" -> value(Double.parseDouble(w[1]), Quality.GOOD, 0);
      case "vold" -> value(Double.parseDouble(w[1]), Quality.GOOD, Double.parseDouble(w[2]));
      case "bad" -> value(lastValue, Quality.BAD, 0);
      case "t" -> {
        clock.advanceSeconds(Double.parseDouble(w[1]));
        engine.tick();
      }
      case "loop" ->
          engine.onLoop(
              REACTOR,
              "L",
              w[1],
              w.length > 2 ? Double.parseDouble(w[2]) : 37,
              w.length > 3 ? Double.parseDouble(w[3]) : 37,
              Quality.GOOD,
              w.length > 4 && w[4].equals("1"));
      case "sat" -> engine.onLoop(REACTOR, "L", "AUTO", 37, 37, Quality.GOOD, w[1].equals("1"));
      case "link" -> engine.onLink(REACTOR, w[1].equals("up"));
      case "ilock" -> engine.onInterlock(REACTOR, "I", w[1].equals("trip"));
      case "ramp" -> {
        double stepSize = Double.parseDouble(w[1]);
        double dtS = Double.parseDouble(w[2]);
        int n = Integer.parseInt(w[3]);
        for (int i = 0; i < n; i++) {
          clock.advanceSeconds(dtS);
          engine.tick();
          value(lastValue + stepSize, Quality.GOOD, 0);
        }
      }
      case "hb" -> engine.onHeartbeat(REACTOR, w[1].equals("fail"));
      case "spool" -> engine.onTelemetryBacklog(Double.parseDouble(w[1]));
      case "our" -> engine.onOur(REACTOR, clock.now(), Double.parseDouble(w[1]));
      case "ours" -> {
        double our = Double.parseDouble(w[1]);
        double dtS = Double.parseDouble(w[2]);
        int n = Integer.parseInt(w[3]);
        for (int i = 0; i < n; i++) {
          clock.advanceSeconds(dtS);
          engine.tick();
          engine.onOur(REACTOR, clock.now(), our);
        }
      }
      case "ack" -> engine.acknowledge(REACTOR, ALARM, OPERATOR, "seen");
      case "shelve" ->
          engine.shelve(
              REACTOR,
              ALARM,
              Duration.ofSeconds(Long.parseLong(w[1])),
              OPERATOR,
              "sensor being cleaned");
      case "unshelve" -> engine.unshelve(REACTOR, ALARM, OPERATOR, "cleaning done");
      case "oos" -> engine.removeFromService(REACTOR, ALARM, ENGINEER, "probe replaced");
      case "rts" -> engine.returnToService(REACTOR, ALARM, ENGINEER, "probe back");
      case "reset" -> engine.reset(REACTOR, ALARM, OPERATOR, "cause removed");
      default -> {
        if (!w[0].startsWith("=")) {
          throw new IllegalArgumentException("unknown step '" + step + "'");
        }
        assertThat(state())
            .as("state at step '%s' after %s", step, transitions)
            .isEqualTo(AlarmState.valueOf(w[0].substring(1)));
      }
    }
  }

  private void value(double v, Quality q, double ageS) {
    lastValue = v;
    engine.onSignal(REACTOR, "s", v, q, clock.now().minusNanos(Math.round(ageS * 1e9)));
  }

  AlarmState state() {
    return engine.state(REACTOR, ALARM);
  }

  /** The transitions form one chain from NORMAL, each a real change. */
  void assertTransitionsChain() {
    AlarmState at = AlarmState.NORMAL;
    for (AlarmTransition t : transitions) {
      assertThat(t.from()).as("chain at %s", t).isEqualTo(at);
      assertThat(t.to()).as("a transition changes the state: %s", t).isNotEqualTo(t.from());
      at = t.to();
    }
    assertThat(at).isEqualTo(state());
  }
}
