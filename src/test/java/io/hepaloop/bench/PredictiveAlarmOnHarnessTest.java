package io.hepaloop.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.alarm.AlarmDefinition;
import io.hepaloop.alarm.AlarmEngine;
import io.hepaloop.alarm.AlarmKind;
import io.hepaloop.alarm.AlarmPriority;
import io.hepaloop.alarm.AlarmTransition;
import io.hepaloop.alarm.Rationale;
import io.hepaloop.bench.PlantHarness.Strategy;
import io.hepaloop.control.ControlCommand;
import io.hepaloop.control.LoopMode;
import io.hepaloop.core.Quality;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.sim.Scenario;
import io.hepaloop.sim.ScenarioLoader;
import io.hepaloop.sim.model.ReactorParameters;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The predictive hypoxia alarm ({@link AlarmKind#PREDICTED_LOW} on the outlet pO2) on the
 * simulator's physical model, in-process and accelerated on the harness's {@code ManualClock}: it
 * must announce the clogging of {@code simulators/clogging-scaffold.yaml} before the outlet pO2
 * crosses its floor, and stay silent through a steady culture ({@code steady-culture.yaml}) over
 * the same simulated time.
 *
 * <p>The oxygen loop runs in AUTO (inlet pO2 held at 100 mmHg): in CASCADE it would hold the outlet
 * at 40 mmHg by raising the inlet, and the outlet would never fall. The predictive alarm matters
 * exactly where that cascade is not running or has reached its limit. The culture settles for two
 * hours before the scenario's timeline starts and the alarm engine watches.
 */
class PredictiveAlarmOnHarnessTest {
  static final DeviceProfile PROFILE =
      ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));
  static final double HYPOXIA_FLOOR_MMHG = 12.0;
  static final double SETTLE_S = 2 * 3600;
  static final double WATCH_S = 6 * 3600;

  /** The simulator's outlet pO2 sensor: σ 0.4 mmHg, 0.1 mmHg resolution, every 500 ms. */
  static final double NOISE_MMHG = 0.4;

  static final double QUANTUM_MMHG = 0.1;
  static final int SAMPLE_TICKS = (int) Math.round(0.5 / PlantHarness.TICK_S);

  record Run(List<AlarmTransition> transitions, Instant watchStart, Instant trueCrossing) {}

  static Run run(String scenarioName, long seed) {
    Scenario scenario =
        ScenarioLoader.load(Path.of("simulators/" + scenarioName + ".yaml"), PROFILE);
    PlantHarness h =
        new PlantHarness(
            PROFILE, scenario.applyTo(ReactorParameters.defaults()), Strategy.HEPALOOP, true, seed);
    assertThat(
            h.control()
                .command(new ControlCommand.SetMode("oxygen", LoopMode.AUTO, "test"))
                .accepted())
        .isTrue();
    h.run(SETTLE_S);
    AlarmDefinition predicted =
        new AlarmDefinition(
            "outlet_hypoxia_ahead",
            PlantHarness.REACTOR,
            AlarmKind.PREDICTED_LOW,
            "do_outlet",
            HYPOXIA_FLOOR_MMHG,
            1.0,
            0,
            300,
            AlarmPriority.HIGH,
            false,
            0,
            null,
            new Rationale(
                "outlet pO2 falling: flow reduced (clogging) or uptake rising",
                "the downstream cells become hypoxic",
                "check pressure and flow, raise inlet pO2 or put the oxygen loop in CASCADE",
                1800),
            1200,
            3600);
    List<AlarmTransition> transitions = new ArrayList<>();
    AlarmEngine engine =
        new AlarmEngine(h.clock(), List.of(predicted), Duration.ofHours(8), transitions::add);
    Random sensorNoise = new Random(seed);
    Instant watchStart = h.clock().now();
    Instant[] crossing = {null};
    long[] ticks = {0};
    h.observe(
        p -> {
          double sinceS = p.timeS() - SETTLE_S;
          for (Scenario.Event e : scenario.timeline()) {
            if (e.action() == Scenario.Action.CLOG && sinceS >= e.atS()) {
              double f = e.rampS() > 0 ? Math.min(1, (sinceS - e.atS()) / e.rampS()) : 1;
              p.model().setScaffoldResistanceFactor(1 + (e.value() - 1) * f);
            }
          }
          double outlet = p.trueValue("do_outlet");
          if (crossing[0] == null && outlet < HYPOXIA_FLOOR_MMHG) {
            crossing[0] = p.clock().now();
          }
          if (++ticks[0] % SAMPLE_TICKS == 0) {
            double read = outlet + sensorNoise.nextGaussian() * NOISE_MMHG;
            engine.onSignal(
                PlantHarness.REACTOR,
                "do_outlet",
                Math.round(read / QUANTUM_MMHG) * QUANTUM_MMHG,
                Quality.GOOD,
                p.clock().now());
            engine.tick();
          }
        });
    h.run(WATCH_S);
    return new Run(transitions, watchStart, crossing[0]);
  }

  @Test
  void theCloggingScaffoldIsAnnouncedBeforeTheOutletCrossesItsHypoxiaFloor() {
    Run r = run("clogging-scaffold", 1);
    assertThat(r.trueCrossing())
        .as("the outlet pO2 does cross the floor in this scenario")
        .isNotNull();
    assertThat(r.transitions()).isNotEmpty();
    AlarmTransition first = r.transitions().get(0);
    assertThat(first.isActivation()).isTrue();
    Duration lead = Duration.between(first.time(), r.trueCrossing());
    assertThat(lead)
        .as("announced ahead of the crossing at %s: %s", r.trueCrossing(), first.message())
        .isGreaterThanOrEqualTo(Duration.ofMinutes(5));
    assertThat(first.message()).contains("predicted to cross 12.0 at ");
    System.out.printf(
        "clogging-scaffold: alarm at +%d min, outlet crossed %.0f mmHg at +%d min (%d min"
            + " lead): %s%n",
        Duration.between(r.watchStart(), first.time()).toMinutes(),
        HYPOXIA_FLOOR_MMHG,
        Duration.between(r.watchStart(), r.trueCrossing()).toMinutes(),
        lead.toMinutes(),
        first.message());
  }

  @Test
  void aSteadyCultureNeverFiresOverTheSameSimulatedTime() {
    for (long seed = 1; seed <= 2; seed++) {
      Run r = run("steady-culture", seed);
      assertThat(r.trueCrossing()).isNull();
      assertThat(r.transitions()).as("seed %d", seed).isEmpty();
    }
  }
}
