package io.hepaloop.app;

import io.hepaloop.api.PlantAccess;
import io.hepaloop.api.PlantFactsRoutes;
import io.hepaloop.bus.Addresses;
import io.hepaloop.control.CommandResult;
import io.hepaloop.control.ControlCommand;
import io.hepaloop.control.ControlLoop;
import io.hepaloop.control.LoopSnapshot;
import io.hepaloop.control.PidTuning;
import io.hepaloop.control.ReactorControl;
import io.hepaloop.control.ReactorController;
import io.hepaloop.device.LinkState;
import io.hepaloop.device.Sample;
import io.hepaloop.device.SampleBatch;
import io.hepaloop.plant.PlantConfig;
import io.hepaloop.plant.ReactorConfig;
import io.hepaloop.profile.InterlockSpec;
import io.hepaloop.profile.SignalSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * {@link PlantAccess} over a running plant: the latest samples and loop snapshots come from the
 * event bus (kept in concurrent maps, so reads never hop), loop settings and interlocks are read on
 * each reactor's context ({@link ReactorController#withControl}), and commands go through {@link
 * ReactorController#command}.
 */
public final class PlantRuntimeAccess implements PlantAccess {
  private final PlantConfig plant;
  private final Function<String, ReactorController> controllers;
  private final Function<String, LinkState> links;
  private final Map<String, List<LoopLimits>> limits = new LinkedHashMap<>();
  private final Map<String, Map<String, Sample>> latestSamples = new ConcurrentHashMap<>();
  private final Map<String, LoopSnapshot> latestSnapshots = new ConcurrentHashMap<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private volatile io.hepaloop.core.ActiveRuns activeRuns = io.hepaloop.core.ActiveRuns.NONE;

  /**
   * @param controllers the controller of a reactor id
   * @param links the current link state of a reactor id
   */
  public PlantRuntimeAccess(
      PlantConfig plant,
      Function<String, ReactorController> controllers,
      Function<String, LinkState> links) {
    this.plant = plant;
    this.controllers = controllers;
    this.links = links;
    for (ReactorConfig r : plant.reactors()) {
      limits.put(r.id(), LoopLimits.of(r.profile()));
      latestSamples.put(r.id(), new ConcurrentHashMap<>());
    }
  }

  /** What the console's displays need of the configuration ({@code GET /api/plant}). */
  public List<PlantFactsRoutes.ReactorFacts> reactorFacts() {
    List<PlantFactsRoutes.ReactorFacts> out = new ArrayList<>();
    for (ReactorConfig r : plant.reactors()) {
      out.add(
          new PlantFactsRoutes.ReactorFacts(r.id(), r.displayName(), r.profile(), r.cellsSeeded()));
    }
    return out;
  }

  /** Starts following samples and loop snapshots on the bus. */
  public Future<Void> start(Vertx vertx) {
    List<Future<Void>> ready = new ArrayList<>();
    for (String id : plant.reactorIds()) {
      Map<String, Sample> latest = latestSamples.get(id);
      MessageConsumer<SampleBatch> s =
          vertx
              .eventBus()
              .localConsumer(
                  Addresses.samples(id),
                  m -> m.body().samples().forEach(x -> latest.put(x.signalId(), x)));
      MessageConsumer<LoopSnapshot> c =
          vertx
              .eventBus()
              .localConsumer(
                  Addresses.control(id),
                  m -> latestSnapshots.put(key(id, m.body().loopId()), m.body()));
      consumers.add(s);
      consumers.add(c);
      ready.add(s.completion());
      ready.add(c.completion());
    }
    return Future.all(ready).mapEmpty();
  }

  @Override
  public List<String> reactorIds() {
    return plant.reactorIds();
  }

  /** The plant configuration: reactors with their effective profiles. */
  public PlantConfig plant() {
    return plant;
  }

  @Override
  public String displayName(String reactorId) {
    return plant.reactor(reactorId).map(ReactorConfig::displayName).orElse(reactorId);
  }

  @Override
  public LinkState linkState(String reactorId) {
    return links.apply(reactorId);
  }

  @Override
  public List<Sample> liveValues(String reactorId) {
    Map<String, Sample> latest = latestSamples.get(reactorId);
    ReactorConfig r = plant.reactor(reactorId).orElse(null);
    if (latest == null || r == null) {
      return List.of();
    }
    List<Sample> out = new ArrayList<>();
    for (SignalSpec s : r.profile().signals()) {
      Sample v = latest.get(s.id());
      if (v != null) {
        out.add(v);
      }
    }
    return out;
  }

  @Override
  public List<LoopLimits> loops(String reactorId) {
    return limits.getOrDefault(reactorId, List.of());
  }

  @Override
  public LoopSnapshot latestSnapshot(String reactorId, String loopId) {
    return latestSnapshots.get(key(reactorId, loopId));
  }

  @Override
  public Future<ControlState> controlState(String reactorId) {
    ReactorController c = controllers.apply(reactorId);
    if (c == null) {
      return Future.failedFuture(new IllegalArgumentException("no reactor '" + reactorId + "'"));
    }
    return c.withControl(PlantRuntimeAccess::read);
  }

  /** Runs on the reactor's context. */
  private static ControlState read(ReactorControl control) {
    List<LoopSettings> loops = new ArrayList<>();
    for (ControlLoop l : control.loops()) {
      Map<String, PidTuning> tuning = new LinkedHashMap<>();
      for (String name : List.of("main", "override", "cascade")) {
        if (l.controller(name) != null) {
          tuning.put(name, l.controller(name).tuning());
        }
      }
      loops.add(
          new LoopSettings(
              l.id(),
              l.mode().name(),
              l.operatorSetpoint(),
              l.outerPid() == null ? Double.NaN : l.cascadeSetpoint(),
              l.pid().manualOutput(),
              l.autotuneRunning(),
              tuning));
    }
    List<InterlockState> interlocks = new ArrayList<>();
    for (InterlockSpec spec : control.profile().interlocks()) {
      ReactorControl.Interlock il = control.interlock(spec.id());
      interlocks.add(
          new InterlockState(
              spec.id(),
              spec.latched(),
              il != null && il.tripped(),
              il == null ? null : il.cause()));
    }
    return new ControlState(loops, interlocks);
  }

  @Override
  public Future<CommandResult> command(String reactorId, ControlCommand command) {
    ReactorController c = controllers.apply(reactorId);
    if (c == null) {
      return Future.succeededFuture(
          CommandResult.rejected(
              "no reactor '" + reactorId + "' (reactors: " + plant.reactorIds() + ")"));
    }
    return c.command(command);
  }

  private static String key(String reactorId, String loopId) {
    return reactorId + "/" + loopId;
  }

  /** Which run each reactor grows, for {@link #runIdOf}. */
  void useActiveRuns(io.hepaloop.core.ActiveRuns runs) {
    activeRuns = runs == null ? io.hepaloop.core.ActiveRuns.NONE : runs;
  }

  @Override
  public String runIdOf(String reactorId) {
    return activeRuns.runIdOf(reactorId);
  }
}
