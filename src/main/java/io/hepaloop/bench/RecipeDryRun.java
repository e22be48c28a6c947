package io.hepaloop.bench;

import io.hepaloop.alarm.AlarmDefinition;
import io.hepaloop.alarm.AlarmEngine;
import io.hepaloop.alarm.ProfileAlarms;
import io.hepaloop.control.CommandResult;
import io.hepaloop.control.ControlCommand;
import io.hepaloop.core.Quality;
import io.hepaloop.profile.AlarmSpec;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.LoopSpec;
import io.hepaloop.recipe.Recipe;
import io.hepaloop.run.ProcedureState;
import io.hepaloop.run.RecipeEvent;
import io.hepaloop.run.RecipeExecutor;
import io.hepaloop.run.RecipeOutputs;
import io.hepaloop.sim.model.ReactorParameters;
import io.hepaloop.sim.model.SensorReading;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Plays a whole recipe on the deterministic {@link PlantHarness} in accelerated time (a day of
 * culture in about a second) with the production {@link RecipeExecutor}, control loops and {@link
 * AlarmEngine}, and reports each phase: how long it took and how it ended, control quality per loop
 * (IAE and time in band on the plant's true values, as {@code bench control} judges them), the
 * alarms it would raise with that phase's overrides and suppressions, and any setpoint outside a
 * loop's limits or refused by the control door.
 *
 * <p>Prompts and confirmations are answered at once (as an operator would, and the report says so);
 * a condition that does not hold within {@code maxConditionH} stops the dry run there. Memory stays
 * bounded however long the recipe: the quality figures are running sums, not samples.
 */
public final class RecipeDryRun {
  /** The executor's tick, and the alarm engine's, in simulated seconds. */
  static final double TICK_S = 1.0;

  /** OUR is computed from the latest flow and pO2 readings this often, simulated seconds. */
  static final double OUR_EVERY_S = 10.0;

  private RecipeDryRun() {}

  /** Control quality of one loop over one phase. */
  public record LoopQuality(
      String loopId, double iaePerMin, double percentInBand, double maxDeviation) {}

  /**
   * One phase as it went.
   *
   * @param endedBy how it ended ("after 24 h", "when our stable ...", or why it did not)
   * @param reached whether its transition happened (false: the dry run stopped in it)
   * @param alarms activations per alarm id ("do_outlet_low (high)" → 2), in id order
   * @param outsideLimits setpoints outside a loop's limits, or refused by the control door
   * @param answered prompts and confirmations the dry run answered
   */
  public record PhaseReport(
      String phaseId,
      double durationH,
      boolean reached,
      String endedBy,
      List<LoopQuality> loops,
      Map<String, Integer> alarms,
      List<String> outsideLimits,
      List<String> answered) {}

  /** The whole dry run. */
  public record Report(
      Recipe recipe,
      String profileModel,
      List<PhaseReport> phases,
      ProcedureState finalState,
      double simulatedH,
      double wallS) {
    public boolean completed() {
      return finalState == ProcedureState.COMPLETE;
    }
  }

  /**
   * Runs {@code recipe} (already validated against {@code profile}) on the harness with sensor
   * noise of {@code seed}.
   */
  public static Report run(
      Recipe recipe,
      DeviceProfile profile,
      ReactorParameters parameters,
      long seed,
      double maxConditionH) {
    return new Play(recipe, profile, parameters, seed, maxConditionH).play();
  }

  /** The state of one dry run. */
  private static final class Play implements RecipeOutputs {
    private final long startNanos = System.nanoTime();
    private final Recipe recipe;
    private final DeviceProfile profile;
    private final double maxConditionS;
    private final PlantHarness h;
    private final RecipeExecutor executor;
    private final Map<String, SensorReading> lastSeen = new HashMap<>();
    private final List<PhaseReport> reports = new ArrayList<>();
    private AlarmEngine alarms;
    private Map<String, Integer> phaseAlarms = new TreeMap<>();
    private List<String> outside = new ArrayList<>();
    private List<String> answered = new ArrayList<>();
    private List<Quality> qualityOf = List.of();
    private final Map<String, Accumulator> loops = new LinkedHashMap<>();
    private double phaseStartS;
    private String endedBy;
    private double nextOurS;
    private long ticks;

    Play(
        Recipe recipe,
        DeviceProfile profile,
        ReactorParameters parameters,
        long seed,
        double maxConditionH) {
      this.recipe = recipe;
      this.profile = profile;
      this.maxConditionS = maxConditionH * 3600.0;
      this.h = new PlantHarness(profile, parameters, PlantHarness.Strategy.HEPALOOP, true, seed);
      this.executor = new RecipeExecutor(recipe, h.clock(), this);
      h.onSnapshot(
          s ->
              alarms.onLoop(
                  s.reactorId(),
                  s.loopId(),
                  s.mode(),
                  s.setpoint(),
                  s.pv(),
                  s.pvQuality(),
                  s.saturated()));
      h.control()
          .onInterlockChange(c -> alarms.onInterlock(c.reactorId(), c.interlockId(), c.tripped()));
      h.observe(x -> afterHarnessTick());
    }

    Report play() {
      executor.start();
      answerPrompts();
      while (!executor.state().isFinal()) {
        h.run(TICK_S);
        alarms.tick();
        executor.tick();
        answerPrompts();
        checkWorkingSetpoints();
        Recipe.Transition t = executor.phase().transition();
        if (!executor.state().isFinal()
            && t.condition() != null
            && executor.phaseElapsedS() >= maxConditionS) {
          endedBy =
              "not reached: "
                  + t.condition().describe()
                  + " did not hold within "
                  + SchemaNumbers.of(maxConditionS / 3600.0)
                  + " h";
          executor.stop();
          executor.tick();
        }
      }
      return new Report(
          recipe,
          profile.model(),
          List.copyOf(reports),
          executor.state(),
          h.timeS() / 3600.0,
          (System.nanoTime() - startNanos) / 1e9);
    }

    private void answerPrompts() {
      for (Map.Entry<String, String> p : executor.pendingPrompts().entrySet()) {
        if (executor.confirm(p.getKey(), "dry-run").accepted()) {
          answered.add(p.getKey() + ": " + p.getValue());
        }
      }
    }

    private void afterHarnessTick() {
      ticks++;
      for (String id : PlantHarness.SENSOR_SPECS.keySet()) {
        SensorReading r = h.sensor(id).last();
        if (r != null && r != lastSeen.get(id)) {
          lastSeen.put(id, r);
          alarms.onSignal(PlantHarness.REACTOR, id, r.value(), r.quality(), h.clock().now());
          executor.onSignal(id, r.value(), r.quality() == Quality.GOOD);
        }
      }
      if (h.timeS() >= nextOurS) {
        nextOurS = h.timeS() + OUR_EVERY_S;
        our();
      }
      if (ticks % LoopMetrics.EVERY_TICKS == 0) {
        loops.values().forEach(a -> a.record(h));
      }
    }

    /** OUR = Q · α · (pO2 in − pO2 out) from the latest readings (DOMAIN.md), nmol/min. */
    private void our() {
      SensorReading q = lastSeen.get("flow");
      SensorReading in = lastSeen.get("do_inlet");
      SensorReading out = lastSeen.get("do_outlet");
      if (q == null || in == null || out == null) {
        return;
      }
      boolean good =
          q.quality() == Quality.GOOD
              && in.quality() == Quality.GOOD
              && out.quality() == Quality.GOOD;
      double our = q.value() * profile.oxygenSolubilityNmolPerMlMmHg() * (in.value() - out.value());
      executor.onSignal(Recipe.Condition.OUR, our, good);
      if (good) {
        alarms.onOur(PlantHarness.REACTOR, h.clock().now(), our);
      }
    }

    private void checkWorkingSetpoints() {
      for (LoopSpec l : profile.loops()) {
        double sp = h.setpoint(l.id());
        if (!l.setpointLimits().contains(sp)) {
          String what =
              "loop "
                  + l.id()
                  + " working setpoint "
                  + SchemaNumbers.of(sp)
                  + " outside its limits "
                  + l.setpointLimits();
          if (!outside.contains(what)) {
            outside.add(what);
          }
        }
      }
    }

    // ---- RecipeOutputs ----

    @Override
    public CommandResult command(ControlCommand command) {
      return h.control().command(command);
    }

    @Override
    public void event(RecipeEvent e) {
      switch (e.kind()) {
        case PHASE_STARTED -> startPhase(recipe.phases().get(e.phaseIndex()));
        case PHASE_COMPLETED -> {
          endedBy = describe(recipe.phases().get(e.phaseIndex()).transition());
          finishPhase(e.phaseIndex(), true);
        }
        case SETPOINT_REFUSED -> outside.add(e.message());
        case STATE_CHANGED -> {
          if ((e.state() == ProcedureState.STOPPED || e.state() == ProcedureState.ABORTED)
              && e.phaseIndex() >= 0) {
            finishPhase(e.phaseIndex(), false);
          }
        }
        default -> {}
      }
    }

    private void startPhase(Recipe.Phase phase) {
      phaseStartS = h.timeS();
      phaseAlarms = new TreeMap<>();
      outside = new ArrayList<>();
      answered = new ArrayList<>();
      endedBy = null;
      loops.clear();
      for (LoopSpec l : profile.loops()) {
        loops.put(l.id(), new Accumulator(l));
      }
      List<AlarmDefinition> definitions =
          ProfileAlarms.definitions(PlantHarness.REACTOR, profile.withAlarms(effective(phase)));
      alarms =
          new AlarmEngine(
              h.clock(),
              definitions,
              Duration.ofHours(8),
              t -> {
                if (t.isActivation()) {
                  String key =
                      t.alarmId()
                          + " ("
                          + alarms
                              .definition(t.reactorId(), t.alarmId())
                              .priority()
                              .name()
                              .toLowerCase(Locale.ROOT)
                          + ")";
                  phaseAlarms.merge(key, 1, Integer::sum);
                }
              });
      alarms.onLink(PlantHarness.REACTOR, true);
      alarms.onHeartbeat(PlantHarness.REACTOR, false);
      alarms.onTelemetryBacklog(0);
      for (Map.Entry<String, SensorReading> r : lastSeen.entrySet()) {
        alarms.onSignal(
            PlantHarness.REACTOR,
            r.getKey(),
            r.getValue().value(),
            r.getValue().quality(),
            h.clock().now());
      }
    }

    /**
     * The profile's alarms as {@code phase} changes them: overrides applied, suppressed left out.
     */
    private List<AlarmSpec> effective(Recipe.Phase phase) {
      List<AlarmSpec> out = new ArrayList<>();
      for (AlarmSpec a : profile.alarms()) {
        if (phase.alarms().suppress().contains(a.id())) {
          continue;
        }
        Recipe.AlarmOverride o =
            phase.alarms().overrides().stream()
                .filter(x -> x.id().equals(a.id()))
                .findFirst()
                .orElse(null);
        out.add(
            o == null
                ? a
                : a.overridden(
                    o.limit(),
                    o.deadband(),
                    o.onDelayS(),
                    o.offDelayS(),
                    o.priority(),
                    o.reAlarmAfterS()));
      }
      return out;
    }

    private void finishPhase(int index, boolean reached) {
      if (reports.size() > index) {
        return; // already reported (a stop after the phase completed)
      }
      List<LoopQuality> quality = new ArrayList<>();
      loops.values().forEach(a -> quality.add(a.quality()));
      reports.add(
          new PhaseReport(
              recipe.phases().get(index).id(),
              (h.timeS() - phaseStartS) / 3600.0,
              reached,
              endedBy == null ? "stopped" : endedBy,
              quality,
              Map.copyOf(phaseAlarms),
              List.copyOf(outside),
              List.copyOf(answered)));
    }
  }

  private static String describe(Recipe.Transition t) {
    if (t.afterH() != null) {
      return "after " + SchemaNumbers.of(t.afterH()) + " h";
    }
    if (t.condition() != null) {
      return "when " + t.condition().describe();
    }
    return "confirmed: " + t.confirm();
  }

  /** Running IAE, time in band and largest deviation of one loop, on the plant's true values. */
  private static final class Accumulator {
    private final LoopSpec loop;
    private double iae;
    private long in;
    private long all;
    private double max;

    Accumulator(LoopSpec loop) {
      this.loop = loop;
    }

    void record(PlantHarness h) {
      double sp = h.setpoint(loop.id());
      double err = Math.abs(h.trueValue(loop.pv()) - sp);
      iae += err * PlantHarness.TICK_S * LoopMetrics.EVERY_TICKS / 60.0;
      all++;
      if (err <= ControlBenchmark.band(loop.id(), sp)) {
        in++;
      }
      max = Math.max(max, err);
    }

    LoopQuality quality() {
      return new LoopQuality(loop.id(), iae, all == 0 ? 100.0 : 100.0 * in / all, max);
    }
  }

  /** Numbers as a person writes them: 24, not 24.0. */
  static final class SchemaNumbers {
    private SchemaNumbers() {}

    static String of(double v) {
      return io.hepaloop.profile.SchemaValidation.number(Math.round(v * 1000) / 1000.0);
    }
  }

  /** The report as the table {@code recipe dry-run} prints. */
  public static String table(Report r) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%-16s %-44s %9s  %-12s %12s %9s %10s%n",
            "phase",
            "ended",
            "hours",
            "loop",
            "IAE/min",
            "in band %",
            "max dev"));
    for (PhaseReport p : r.phases()) {
      boolean first = true;
      for (LoopQuality q : p.loops()) {
        b.append(
            String.format(
                Locale.ROOT,
                "%-16s %-44s %9s  %-12s %12.3f %9.1f %10.3f%n",
                first ? p.phaseId() : "",
                first ? cut(p.endedBy(), 44) : "",
                first ? String.format(Locale.ROOT, "%.2f", p.durationH()) : "",
                q.loopId(),
                q.iaePerMin(),
                q.percentInBand(),
                q.maxDeviation()));
        first = false;
      }
      b.append("    alarms: ")
          .append(
              p.alarms().isEmpty()
                  ? "none"
                  : String.join(
                      ", ",
                      new TreeMap<>(p.alarms())
                          .entrySet().stream().map(e -> e.getKey() + " x" + e.getValue()).toList()))
          .append(System.lineSeparator());
      b.append("    setpoints outside limits: ")
          .append(p.outsideLimits().isEmpty() ? "none" : String.join("; ", p.outsideLimits()))
          .append(System.lineSeparator());
      if (!p.answered().isEmpty()) {
        b.append("    answered by the dry run: ")
            .append(String.join("; ", p.answered()))
            .append(System.lineSeparator());
      }
    }
    return b.toString();
  }

  private static String cut(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 3) + "...";
  }
}
