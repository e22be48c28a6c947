package io.hepaloop.api;

import io.hepaloop.control.CommandResult;
import io.hepaloop.control.ControlCommand;
import io.hepaloop.control.LoopSnapshot;
import io.hepaloop.control.PidTuning;
import io.hepaloop.device.LinkState;
import io.hepaloop.device.Sample;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.LoopSpec;
import io.hepaloop.profile.Range;
import io.hepaloop.profile.SignalSpec;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the REST routes may see of and do to the plant: its reactors, their live values and link,
 * their loops with limits and settings, and the one command door. The app implements it over the
 * running controllers ({@code app.PlantRuntimeAccess}); tests use a fake. Every method is safe to
 * call from any thread and never blocks: what lives on a reactor's context comes back as a Future.
 */
public interface PlantAccess {

  /**
   * What the profile fixes about one loop: the ranges a command must respect and the controllers a
   * tuning may address. Read without a hop to the reactor's context (it never changes).
   *
   * @param cascadeSetpointLimits null when the loop has no cascade
   * @param outputRange the actuator's allowed range (manual output)
   * @param controllers {@code main}, and {@code override} / {@code cascade} where configured
   */
  record LoopLimits(
      String loopId,
      String pv,
      String pvUnit,
      Range setpointLimits,
      String cascadePv,
      String cascadePvUnit,
      Range cascadeSetpointLimits,
      String output,
      String outputUnit,
      Range outputRange,
      List<String> controllers) {
    public LoopLimits {
      controllers = List.copyOf(controllers);
    }

    /** The limits of every loop of a profile, in its order. */
    public static List<LoopLimits> of(DeviceProfile profile) {
      List<LoopLimits> out = new ArrayList<>();
      for (LoopSpec l : profile.loops()) {
        SignalSpec actuator = profile.requireSignal(l.output());
        List<String> controllers = new ArrayList<>(List.of("main"));
        if (l.override() != null) {
          controllers.add("override");
        }
        if (l.cascade() != null) {
          controllers.add("cascade");
        }
        out.add(
            new LoopLimits(
                l.id(),
                l.pv(),
                unit(profile, l.pv()),
                l.setpointLimits(),
                l.cascade() == null ? null : l.cascade().pv(),
                l.cascade() == null ? null : unit(profile, l.cascade().pv()),
                l.cascade() == null ? null : l.cascade().setpointLimits(),
                l.output(),
                actuator.unit(),
                actuator.allowed() != null ? actuator.allowed() : actuator.range(),
                controllers));
      }
      return out;
    }

    private static String unit(DeviceProfile p, String signalId) {
      return p.signal(signalId).map(SignalSpec::unit).orElse("");
    }
  }

  /**
   * What an operator last set on a loop, read on the reactor's context.
   *
   * @param setpoint the operator's (target) setpoint; the working setpoint may still ramp to it
   * @param cascadeSetpoint the outer controller's setpoint, NaN without a cascade
   * @param manualOutput the output used in MANUAL
   * @param tuning per controller name
   */
  record LoopSettings(
      String loopId,
      String mode,
      double setpoint,
      double cascadeSetpoint,
      double manualOutput,
      boolean autotuneRunning,
      Map<String, PidTuning> tuning) {
    public LoopSettings {
      tuning = Map.copyOf(tuning);
    }
  }

  /** One interlock of a reactor and whether it holds its actuator now. */
  record InterlockState(String interlockId, boolean latched, boolean tripped, String cause) {}

  /** The state of a reactor's control side: its loops' settings and its interlocks. */
  record ControlState(List<LoopSettings> loops, List<InterlockState> interlocks) {
    public ControlState {
      loops = List.copyOf(loops);
      interlocks = List.copyOf(interlocks);
    }
  }

  /** The reactors, in configuration order. */
  List<String> reactorIds();

  default boolean hasReactor(String reactorId) {
    return reactorId != null && reactorIds().contains(reactorId);
  }

  /** For people; the id when none is configured. */
  String displayName(String reactorId);

  /** The device link's state, or null for an unknown reactor or before the link reported. */
  LinkState linkState(String reactorId);

  /**
   * The latest value of every signal the reactor reported (each with its quality, stale flag and
   * device time), in profile order; empty before the first sample.
   */
  List<Sample> liveValues(String reactorId);

  /** The reactor's loops in profile order; empty for an unknown reactor. */
  List<LoopLimits> loops(String reactorId);

  /** The last snapshot of a loop (or of {@code loop.override} / {@code loop.cascade}), or null. */
  LoopSnapshot latestSnapshot(String reactorId, String loopId);

  /** Loop settings and interlocks, read on the reactor's context. */
  Future<ControlState> controlState(String reactorId);

  /**
   * Sends a command through the reactor's one command door; the controller validates it again and
   * answers accepted or rejected with a reason.
   */
  Future<CommandResult> command(String reactorId, ControlCommand command);

  /**
   * The run open on {@code reactorId} (its id), or null when none; from memory. Alarm lists carry
   * it. The default knows of no runs (fakes, a plant without the run service).
   */
  default String runIdOf(String reactorId) {
    return null;
  }
}
