package io.hepaloop.bench;

import io.hepaloop.control.AutotuneDefaults;
import io.hepaloop.control.CommandResult;
import io.hepaloop.control.ControlLoop;
import io.hepaloop.control.PidTuning;
import io.hepaloop.control.RelayAutoTuner;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.LoopSpec;
import io.hepaloop.profile.TuningSpec;
import io.hepaloop.sim.model.ReactorParameters;
import java.util.ArrayList;
import java.util.List;

/**
 * Relay auto-tune of one loop against the harness plant (the same code path as on a live reactor).
 */
public final class HarnessAutoTune {
  private HarnessAutoTune() {}

  /**
   * Sensible relay settings per loop of the liver-perfusion profile (amplitude, hysteresis above
   * noise, abort band).
   */
  public static RelayAutoTuner.Config defaultConfig(String loopId) {
    RelayAutoTuner.Config c = AutotuneDefaults.forLoop(loopId);
    if (c == null) {
      throw new IllegalArgumentException("no default relay settings for loop '" + loopId + "'");
    }
    return c;
  }

  /**
   * Settles the loop, runs the relay test, returns the tuner (DONE with a result, or ABORTED with
   * the reason).
   */
  public static RelayAutoTuner run(
      DeviceProfile profile, String loopId, RelayAutoTuner.Config config, long seed) {
    PlantHarness h =
        new PlantHarness(
            profile, ReactorParameters.defaults(), PlantHarness.Strategy.HEPALOOP, true, seed);
    if (loopId.equals("oxygen")) {
      h.control()
          .command(
              new io.hepaloop.control.ControlCommand.SetMode(
                  "oxygen", io.hepaloop.control.LoopMode.AUTO, "autotune"));
    }
    h.run(1800);
    CommandResult r = h.control().startAutotune(loopId, config, "autotune");
    if (!r.accepted()) {
      throw new IllegalStateException(r.message());
    }
    ControlLoop loop = h.control().loop(loopId);
    double limit = config.timeoutS() + 60;
    for (double t = 0; t < limit && loop.autotuneRunning(); t += 10) {
      h.run(10);
    }
    return loop.autotuner();
  }

  /** The profile with one loop's main tuning replaced (other settings kept). */
  public static DeviceProfile withTuning(DeviceProfile p, String loopId, PidTuning t) {
    List<LoopSpec> loops = new ArrayList<>();
    for (LoopSpec l : p.loops()) {
      if (l.id().equals(loopId)) {
        TuningSpec old = l.tuning();
        TuningSpec ts =
            new TuningSpec(
                t.gain(),
                t.integralTimeS(),
                t.derivativeTimeS(),
                old.setpointWeightP(),
                old.derivativeFilterN(),
                old.trackingTimeS(),
                old.outputRateLimitPerS());
        l =
            new LoopSpec(
                l.id(),
                l.pv(),
                l.output(),
                l.periodMs(),
                l.setpoint(),
                l.setpointLimits(),
                l.setpointRampPerMin(),
                l.direction(),
                ts,
                l.badPvSafeAfterS(),
                l.override(),
                l.cascade(),
                l.feedforward());
      }
      loops.add(l);
    }
    return p.withLoops(loops);
  }
}
