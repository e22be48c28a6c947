package io.hepaloop.telemetry;

import io.hepaloop.bus.Addresses;
import io.hepaloop.bus.HepaEvent;
import io.hepaloop.control.LoopSnapshot;
import io.hepaloop.device.LinkState;
import io.hepaloop.device.Sample;
import io.hepaloop.device.SampleBatch;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Subscribes to the bus (samples, link, control per reactor; events plant-wide) and turns each record
 * into line protocol for the {@link TelemetryWriter}. Runs on one event loop; does only in-memory work
 * (formatting and a lock-free queue offer), never I/O.
 */
final class TelemetryVerticle extends VerticleBase {
  private final TelemetryWriter writer;
  private final TelemetryMetrics metrics;
  private final double alphaNmolPerMlMmHg;
  private final List<String> initialReactors;
  private final Map<String, String> runs = new HashMap<>();
  private final Map<String, OurTracker> our = new HashMap<>();
  private final Map<String, List<MessageConsumer<?>>> consumers = new HashMap<>();

  TelemetryVerticle(TelemetryWriter writer, TelemetryMetrics metrics, double alphaNmolPerMlMmHg, List<String> reactors) {
    this.writer = writer;
    this.metrics = metrics;
    this.alphaNmolPerMlMmHg = alphaNmolPerMlMmHg;
    this.initialReactors = List.copyOf(reactors);
  }

  @Override
  public Future<?> start() {
    List<Future<Void>> ready = new ArrayList<>();
    for (String r : initialReactors) {
      ready.addAll(subscribe(r));
    }
    MessageConsumer<HepaEvent> ev = vertx.eventBus().consumer(Addresses.EVENTS, m -> {
      HepaEvent e = m.body();
      writer.submit(TelemetrySchema.event(e, e.reactorId() == null ? TelemetrySchema.NO_RUN : run(e.reactorId())));
    });
    ready.add(ev.completion());
    return Future.all(ready);
  }

  /** The event-loop context all state of this verticle lives on. */
  io.vertx.core.Context ctx() {
    return context;
  }

  /** Adds a reactor (on this verticle's context). */
  List<Future<Void>> subscribe(String reactorId) {
    if (consumers.containsKey(reactorId)) {
      return List.of();
    }
    our.put(reactorId, new OurTracker(alphaNmolPerMlMmHg, Duration.ofSeconds(1), Duration.ofSeconds(10)));
    var bus = vertx.eventBus();
    MessageConsumer<SampleBatch> s = bus.consumer(Addresses.samples(reactorId), m -> onSamples(m.body()));
    MessageConsumer<LinkState> l = bus.consumer(Addresses.link(reactorId), m -> {
      metrics.linkState(m.body());
      writer.submit(TelemetrySchema.link(m.body(), run(reactorId)));
    });
    MessageConsumer<LoopSnapshot> c = bus.consumer(Addresses.control(reactorId), m -> writer.submit(TelemetrySchema.loop(m.body(), run(reactorId))));
    consumers.put(reactorId, List.of(s, l, c));
    return List.of(s.completion(), l.completion(), c.completion());
  }

  void setRun(String reactorId, String runId, double cellsSeeded) {
    runs.put(reactorId, runId == null || runId.isBlank() ? TelemetrySchema.NO_RUN : runId);
    OurTracker t = our.get(reactorId);
    if (t != null) {
      t.cellsSeeded(cellsSeeded);
    }
  }

  private String run(String reactorId) {
    return runs.getOrDefault(reactorId, TelemetrySchema.NO_RUN);
  }

  private void onSamples(SampleBatch batch) {
    String run = run(batch.reactorId());
    OurTracker tracker = our.get(batch.reactorId());
    for (Sample s : batch.samples()) {
      writer.submit(TelemetrySchema.sample(s, run));
      if (tracker != null) {
        OurTracker.Derived d = tracker.accept(s);
        if (d != null) {
          writer.submit(TelemetrySchema.our(batch.reactorId(), run, d.time(), d.result()));
        }
      }
    }
    metrics.samples(batch.reactorId(), batch.samples().size());
  }
}
