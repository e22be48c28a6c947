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
 * Subscribes to the bus (samples, link, control per reactor; events plant-wide) and turns each
 * record into line protocol for the {@link TelemetryWriter}. Runs on one event loop; does only
 * in-memory work (formatting and a lock-free queue offer), never I/O.
 */
final class TelemetryVerticle extends VerticleBase {
  private final TelemetryWriter writer;
  private final TelemetryMetrics metrics;
  private final double alphaNmolPerMlMmHg;
  private final List<String> initialReactors;
  private final Map<String, String> runs = new HashMap<>();
  private final Map<String, OurTracker> our = new HashMap<>();

  /**
   * reactor → signal → state: enough to recognise a re-delivered notification or a same-time pair.
   */
  private final Map<String, Map<String, SeriesState>> series = new HashMap<>();

  private static final int RECENT = 16;
  private final Map<String, List<MessageConsumer<?>>> consumers = new HashMap<>();

  TelemetryVerticle(
      TelemetryWriter writer,
      TelemetryMetrics metrics,
      double alphaNmolPerMlMmHg,
      List<String> reactors) {
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
    MessageConsumer<HepaEvent> ev =
        vertx
            .eventBus()
            .consumer(
                Addresses.EVENTS,
                m -> {
                  HepaEvent e = m.body();
                  writer.submit(
                      TelemetrySchema.event(
                          e, e.reactorId() == null ? TelemetrySchema.NO_RUN : run(e.reactorId())));
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
    our.put(
        reactorId,
        new OurTracker(alphaNmolPerMlMmHg, Duration.ofSeconds(1), Duration.ofSeconds(10)));
    var bus = vertx.eventBus();
    MessageConsumer<SampleBatch> s =
        bus.consumer(Addresses.samples(reactorId), m -> onSamples(m.body()));
    MessageConsumer<LinkState> l =
        bus.consumer(
            Addresses.link(reactorId),
            m -> {
              metrics.linkState(m.body());
              writer.submit(TelemetrySchema.link(m.body(), run(reactorId)));
            });
    MessageConsumer<LoopSnapshot> c =
        bus.consumer(
            Addresses.control(reactorId),
            m -> writer.submit(TelemetrySchema.loop(m.body(), run(reactorId))));
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

  /**
   * InfluxDB keeps one point per series and timestamp, so a sample is returned as it will be
   * stored, or null when it is an exact repeat of one of the signal's last 16 samples (same device
   * time, value and quality: a re-created subscription's initial value, a notification delivered
   * twice), which is counted and skipped: storing it again would change nothing. A different sample
   * with the same device time as the previous one of its signal (millisecond device clocks, a
   * simulator catching up after a stall) would silently replace it: it is moved 1 ns later,
   * counted.
   */
  private Sample distinctTime(Sample s) {
    SeriesState st =
        series
            .computeIfAbsent(s.reactorId(), r -> new HashMap<>())
            .computeIfAbsent(s.signalId(), k -> new SeriesState());
    long t = LineBuilder.epochNanos(s.sourceTime());
    if (!s.stale() && st.lastTime != Long.MIN_VALUE && t <= st.lastTime) {
      // not newer than what we have: an exact repeat (a link re-delivering a notification) is
      // skipped
      for (Sample r : st.recent) {
        if (r.sourceTime().equals(s.sourceTime())
            && r.quality() == s.quality()
            && Double.compare(r.value(), s.value()) == 0) {
          metrics.duplicateSample();
          return null;
        }
      }
    }
    if (t == st.lastTime) {
      t = st.lastTime + 1;
      metrics.timestampCollision();
    }
    if (t > st.lastTime) {
      st.lastTime = t;
    }
    if (!s.stale()) {
      if (st.recent.size() == RECENT) {
        st.recent.pollFirst();
      }
      st.recent.addLast(s);
    }
    if (t != LineBuilder.epochNanos(s.sourceTime())) {
      s =
          new Sample(
              s.reactorId(),
              s.signalId(),
              s.value(),
              s.unit(),
              java.time.Instant.ofEpochSecond(0, t),
              s.quality(),
              s.stale());
    }
    return s;
  }

  /** Per signal: the newest time written and the last few fresh samples. */
  private static final class SeriesState {
    long lastTime = Long.MIN_VALUE;
    final java.util.ArrayDeque<Sample> recent = new java.util.ArrayDeque<>(RECENT);
  }

  private String run(String reactorId) {
    return runs.getOrDefault(reactorId, TelemetrySchema.NO_RUN);
  }

  private void onSamples(SampleBatch batch) {
    String run = run(batch.reactorId());
    OurTracker tracker = our.get(batch.reactorId());
    java.time.Instant now = null;
    for (Sample s : batch.samples()) {
      if (s.stale()) {
        // A stale re-publication carries the device time of the last good value. Written at that
        // time
        // it would overwrite the good point (same series and time); it belongs at the moment the
        // value
        // became stale, where it starts the gap.
        now = now == null ? java.time.Instant.now() : now;
        java.time.Instant at = now.isAfter(s.sourceTime()) ? now : s.sourceTime().plusNanos(1000);
        s = new Sample(s.reactorId(), s.signalId(), s.value(), s.unit(), at, s.quality(), true);
      }
      s = distinctTime(s);
      if (s == null) {
        continue;
      }
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
