package io.hepaloop.api;

import io.hepaloop.control.CommandResult;
import io.hepaloop.control.ControlCommand;
import io.hepaloop.control.LoopMode;
import io.hepaloop.control.LoopSnapshot;
import io.hepaloop.control.PidTuning;
import io.hepaloop.device.LinkState;
import io.hepaloop.device.Sample;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plant of reactors on the shipped liver-perfusion profile that records the commands it gets and
 * applies setpoints and modes to its settings, so a test sees what a route did (or did not do).
 */
final class FakePlantAccess implements PlantAccess {
  static final DeviceProfile PROFILE =
      ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));

  final List<String> reactors;
  final List<ControlCommand> commands = new CopyOnWriteArrayList<>();
  final Map<String, LoopSettings> settings = new LinkedHashMap<>();
  volatile CommandResult answer;

  /** The run open on each reactor ({@link #runIdOf}). */
  final Map<String, String> openRuns = new java.util.concurrent.ConcurrentHashMap<>();

  FakePlantAccess(String... reactors) {
    this.reactors = List.of(reactors);
    for (LoopLimits l : LoopLimits.of(PROFILE)) {
      Map<String, PidTuning> tuning = new LinkedHashMap<>();
      l.controllers().forEach(c -> tuning.put(c, PidTuning.of(2, 100, 0)));
      settings.put(
          l.loopId(),
          new LoopSettings(
              l.loopId(), "AUTO", l.setpointLimits().min(), Double.NaN, 0, false, tuning));
    }
  }

  @Override
  public String runIdOf(String reactorId) {
    return openRuns.get(reactorId);
  }

  @Override
  public List<String> reactorIds() {
    return reactors;
  }

  @Override
  public String displayName(String reactorId) {
    return "Reactor " + reactorId;
  }

  @Override
  public LinkState linkState(String reactorId) {
    return new LinkState(reactorId, LinkState.State.CONNECTED, java.time.Instant.EPOCH, null);
  }

  @Override
  public List<Sample> liveValues(String reactorId) {
    return List.of(
        new Sample(
            reactorId,
            "temperature",
            36.9,
            "°C",
            java.time.Instant.parse("2026-01-01T00:00:00Z"),
            io.hepaloop.core.Quality.GOOD));
  }

  @Override
  public List<LoopLimits> loops(String reactorId) {
    return hasReactor(reactorId) ? LoopLimits.of(PROFILE) : List.of();
  }

  @Override
  public LoopSnapshot latestSnapshot(String reactorId, String loopId) {
    return null;
  }

  @Override
  public synchronized Future<ControlState> controlState(String reactorId) {
    return Future.succeededFuture(
        new ControlState(
            new ArrayList<>(settings.values()),
            List.of(
                new InterlockState("temperature_high_high", true, true, "temperature 41 °C"),
                new InterlockState("pressure_high_high", false, false, null))));
  }

  @Override
  public synchronized Future<CommandResult> command(String reactorId, ControlCommand c) {
    commands.add(c);
    if (answer != null) {
      return Future.succeededFuture(answer);
    }
    if (c instanceof ControlCommand.SetSetpoint s) {
      LoopSettings o = settings.get(s.loopId());
      settings.put(
          s.loopId(),
          new LoopSettings(
              o.loopId(),
              o.mode(),
              s.setpoint(),
              o.cascadeSetpoint(),
              o.manualOutput(),
              false,
              o.tuning()));
    } else if (c instanceof ControlCommand.SetMode m) {
      LoopSettings o = settings.get(m.loopId());
      settings.put(
          m.loopId(),
          new LoopSettings(
              o.loopId(),
              m.mode() == null ? LoopMode.OFF.name() : m.mode().name(),
              o.setpoint(),
              o.cascadeSetpoint(),
              o.manualOutput(),
              false,
              o.tuning()));
    }
    return Future.succeededFuture(CommandResult.accepted("done: " + c));
  }
}
