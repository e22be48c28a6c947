package io.hepaloop.bench;

import io.hepaloop.bus.HepaEvent;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.InterlockSpec;
import io.hepaloop.profile.LoopSpec;
import io.hepaloop.sim.model.ReactorParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs the {@link Scenario}s on the {@link PlantHarness} for HepaLoop's controller and the
 * alternatives, and formats the table {@code hepaloop bench control} prints.
 */
public final class ControlBenchmark {
  private ControlBenchmark() {}

  /** One scenario × one controller. */
  public record Result(
      Scenario scenario,
      PlantHarness.Strategy strategy,
      List<LoopMetrics> loops,
      double maxPressureMmHg,
      double longestAboveHighHighS,
      double pressureHighHighMmHg,
      double minOutletMmHg,
      double outletFloorMmHg,
      double maxTemperatureC,
      List<HepaEvent> events) {

    public LoopMetrics loop(String id) {
      return loops.stream().filter(l -> l.loopId().equals(id)).findFirst().orElseThrow();
    }
  }

  /** Quality band half-width for a loop at a setpoint: temperature ±0.1 °C, flow ±2 %, pO2 ±3 %. */
  public static double band(String loopId, double setpoint) {
    return switch (loopId) {
      case "temperature" -> 0.1;
      case "flow" -> 0.02 * Math.abs(setpoint);
      default -> 0.03 * Math.abs(setpoint);
    };
  }

  /**
   * Hypoxia floor of the outlet: the lowest outlet setpoint the profile allows for the oxygen
   * cascade.
   */
  public static double outletFloor(DeviceProfile profile) {
    return profile.loops().stream()
        .filter(l -> l.cascade() != null)
        .findFirst()
        .map(l -> l.cascade().setpointLimits().min())
        .orElse(Double.NaN);
  }

  public static Result run(
      DeviceProfile profile, Scenario scenario, PlantHarness.Strategy strategy, long seed) {
    return run(profile, ReactorParameters.defaults(), scenario, strategy, seed);
  }

  public static Result run(
      DeviceProfile profile,
      ReactorParameters params,
      Scenario scenario,
      PlantHarness.Strategy strategy,
      long seed) {
    PlantHarness h = new PlantHarness(profile, params, strategy, true, seed);
    double ambient = h.model().ambientC();
    scenario.prepare(h);
    List<LoopMetrics> metrics = new ArrayList<>();
    for (LoopSpec l : profile.loops()) {
      boolean temperature = l.id().equals("temperature");
      double stepSign =
          temperature && (scenario == Scenario.SETPOINT_STEP || scenario == Scenario.HEATER_FAILURE)
              ? 1
              : 0;
      // heater failure: overshoot, settling and in-band are judged from the repair on
      double recoveryFromS =
          scenario == Scenario.HEATER_FAILURE && temperature
              ? scenario.eventS + Scenario.HEATER_FAILED_S
              : scenario.eventS;
      String id = l.id();
      metrics.add(
          new LoopMetrics(
              id,
              l.pv(),
              l.output(),
              sp -> band(id, sp),
              scenario.eventS,
              recoveryFromS,
              stepSign));
    }
    double hh =
        profile.interlocks().stream()
            .filter(i -> i.signal().equals("pressure_inlet") && i.above() != null)
            .mapToDouble(InterlockSpec::above)
            .findFirst()
            .orElse(Double.POSITIVE_INFINITY);
    double[] extra = {
      0, 0, 0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY
    }; // maxP, run above HH, longest, minOutlet, maxT
    h.observe(
        x -> {
          scenario.apply(x, ambient);
          for (LoopMetrics m : metrics) {
            m.record(x);
          }
          if (x.timeS() >= scenario.eventS) {
            double p = x.trueValue("pressure_inlet");
            extra[0] = Math.max(extra[0], p);
            extra[1] = p > hh ? extra[1] + PlantHarness.TICK_S : 0;
            extra[2] = Math.max(extra[2], extra[1]);
            extra[3] = Math.min(extra[3], x.trueValue("do_outlet"));
            extra[4] = Math.max(extra[4], x.trueValue("temperature"));
          }
        });
    h.run(scenario.endS);
    return new Result(
        scenario,
        strategy,
        metrics,
        extra[0],
        extra[2],
        hh,
        extra[3],
        outletFloor(profile),
        extra[4],
        List.copyOf(h.events()));
  }

  /** Every scenario for every controller. */
  public static List<Result> runAll(DeviceProfile profile, long seed) {
    List<Result> out = new ArrayList<>();
    for (Scenario s : Scenario.values()) {
      for (PlantHarness.Strategy st : PlantHarness.Strategy.values()) {
        out.add(run(profile, s, st, seed));
      }
    }
    return out;
  }

  public static String table(List<Result> results) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%-34s %-12s %-9s %10s %9s %9s %9s %8s %9s%n",
            "scenario",
            "loop",
            "ctrl",
            "IAE(u·min)",
            "maxDev",
            "overshoot",
            "settle_s",
            "inBand%",
            "travel%"));
    for (Result r : results) {
      for (LoopMetrics m : r.loops()) {
        b.append(
            String.format(
                Locale.ROOT,
                "%-34s %-12s %-9s %10.3f %9.3f %9s %9s %8.2f %9.1f%n",
                r.scenario().name().toLowerCase(Locale.ROOT),
                m.loopId(),
                label(r.strategy()),
                m.iaePerMin(),
                m.maxDeviation(),
                Double.isNaN(m.overshoot())
                    ? "-"
                    : String.format(Locale.ROOT, "%.3f", m.overshoot()),
                Double.isNaN(m.settlingTimeS())
                    ? "never"
                    : String.format(Locale.ROOT, "%.0f", m.settlingTimeS()),
                m.percentInBand(),
                m.outputTravel()));
      }
      long trips = r.events().stream().filter(e -> e.type().equals("interlock")).count();
      b.append(
          String.format(
              Locale.ROOT,
              "%-34s %-12s %-9s maxT=%.2f °C  maxP=%.1f mmHg (HH %.0f, longest above %.1f s)  minOutletPO2=%.1f mmHg (floor %.0f)  trips=%d%n",
              "",
              "(safety)",
              label(r.strategy()),
              r.maxTemperatureC(),
              r.maxPressureMmHg(),
              r.pressureHighHighMmHg(),
              r.longestAboveHighHighS(),
              r.minOutletMmHg(),
              r.outletFloorMmHg(),
              trips));
    }
    return b.toString();
  }

  static String label(PlantHarness.Strategy s) {
    return switch (s) {
      case HEPALOOP -> "hepaloop";
      case TEXTBOOK -> "textbook";
      case ON_OFF -> "on/off";
    };
  }
}
