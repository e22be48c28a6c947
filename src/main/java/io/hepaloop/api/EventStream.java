package io.hepaloop.api;

import io.hepaloop.alarm.AlarmTransition;
import io.hepaloop.bus.Addresses;
import io.hepaloop.bus.HepaEvent;
import io.hepaloop.bus.LocalCodec;
import io.hepaloop.bus.RunChange;
import io.hepaloop.control.LoopSnapshot;
import io.hepaloop.device.Sample;
import io.hepaloop.device.SampleBatch;
import io.hepaloop.users.Role;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The server-sent-events stream {@code GET /api/stream} and the recent events {@code GET
 * /api/events}. One verticle: it listens on the event bus and keeps every piece of its state on its
 * own context (no locks), so the bus, the control loops and HTTP clients never wait for each other.
 *
 * <p>Events: {@code sample} (per reactor, at most once per {@code sampleIntervalMs}, the latest
 * value of every signal that reported since the last one), {@code loop} (a {@link LoopSnapshot} at
 * once when mode, setpoint or interlock changed, else at most once per {@code loopIntervalMs} per
 * loop), {@code alarm} (every {@link AlarmTransition}), {@code event} (every {@link HepaEvent}) and
 * {@code run} (every {@link RunChange}: created, state, phase, prompt). Each carries an {@code id}
 * that rises by one; the last {@code bufferEvents} are kept so a client reconnecting with {@code
 * Last-Event-ID} gets what it missed. When its id is older than that (or unknown, as after a
 * restart: ids start at the wall clock in microseconds, so a new run's ids lie above any old
 * one's), it gets one {@code reset} event and must reload its state over REST.
 *
 * <p>A client that does not read fast enough gets at most {@code clientQueueEvents} frames queued
 * beyond what the connection buffers; one more and it is disconnected (counted in {@code
 * hepaloop_api_stream_clients_dropped_total}); it may reconnect and resume. Comments every {@code
 * heartbeatMs} keep proxies from closing an idle stream.
 */
public final class EventStream extends VerticleBase {

  /**
   * @param bufferEvents frames kept for resumption
   * @param clientQueueEvents frames queued per client beyond the connection's own buffer
   * @param recentEvents {@link HepaEvent}s kept for {@code GET /api/events}
   * @param firstId id of the first frame
   */
  public record Options(
      int bufferEvents,
      int clientQueueEvents,
      long sampleIntervalMs,
      long loopIntervalMs,
      long heartbeatMs,
      int recentEvents,
      long firstId) {
    /** 4096 frames, 1000 per client, samples and loops 1 s, heartbeat 15 s, ids from now in µs. */
    public static Options defaults() {
      return new Options(4096, 1000, 1000, 1000, 15_000, 1000, System.currentTimeMillis() * 1000);
    }

    public Options withFirstId(long id) {
      return new Options(
          bufferEvents,
          clientQueueEvents,
          sampleIntervalMs,
          loopIntervalMs,
          heartbeatMs,
          recentEvents,
          id);
    }

    public Options withBuffer(int events, int perClient) {
      return new Options(
          events, perClient, sampleIntervalMs, loopIntervalMs, heartbeatMs, recentEvents, firstId);
    }

    public Options withIntervals(long sampleMs, long loopMs, long heartbeat) {
      return new Options(
          bufferEvents, clientQueueEvents, sampleMs, loopMs, heartbeat, recentEvents, firstId);
    }
  }

  /** An event of {@code GET /api/events} with its stream id. */
  public record Recent(long id, HepaEvent event) {}

  private final List<String> reactorIds;
  private final MeterRegistry registry;
  private final Options options;
  private EventStreamRing ring;
  private final Set<Client> clients = new LinkedHashSet<>();
  private final ArrayDeque<Recent> recent = new ArrayDeque<>();
  private final Map<String, Map<String, Sample>> pendingSamples = new HashMap<>();
  private final Map<String, LoopState> loops = new HashMap<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final List<Long> timers = new ArrayList<>();
  private Counter dropped;
  private Counter resets;

  /** What was last sent of one loop, and the newest snapshot held back. */
  private static final class LoopState {
    long sentAtNanos;
    String mode;
    double setpoint = Double.NaN;
    String interlock;
    LoopSnapshot held;
  }

  private static final class Client {
    final HttpServerResponse response;
    final RoutingContext rc;
    final ArrayDeque<String> queued = new ArrayDeque<>();
    boolean closed;

    Client(RoutingContext rc) {
      this.rc = rc;
      this.response = rc.response();
    }
  }

  public EventStream(List<String> reactorIds, MeterRegistry registry, Options options) {
    this.reactorIds = List.copyOf(reactorIds);
    this.registry = registry;
    this.options = options;
  }

  @Override
  public Future<?> start() {
    LocalCodec.registerAll(
        vertx,
        SampleBatch.class,
        LoopSnapshot.class,
        HepaEvent.class,
        AlarmTransition.class,
        RunChange.class);
    ring = new EventStreamRing(options.bufferEvents(), options.firstId());
    dropped =
        Counter.builder("hepaloop.api.stream.clients.dropped")
            .description("SSE clients disconnected because they fell behind")
            .register(registry);
    resets =
        Counter.builder("hepaloop.api.stream.resets")
            .description("SSE clients told to reload: their Last-Event-ID was no longer held")
            .register(registry);
    Gauge.builder("hepaloop.api.stream.clients", clients, Set::size)
        .description("SSE clients connected")
        .register(registry);
    var bus = vertx.eventBus();
    List<Future<Void>> ready = new ArrayList<>();
    for (String r : reactorIds) {
      consumers.add(bus.<SampleBatch>localConsumer(Addresses.samples(r), m -> onSamples(m.body())));
      consumers.add(
          bus.<LoopSnapshot>localConsumer(Addresses.control(r), m -> onSnapshot(m.body())));
    }
    consumers.add(bus.<HepaEvent>localConsumer(Addresses.EVENTS, m -> onEvent(m.body())));
    consumers.add(
        bus.<AlarmTransition>localConsumer(Addresses.ALARM_EVENTS, m -> onAlarm(m.body())));
    consumers.add(bus.<RunChange>localConsumer(Addresses.RUNS, m -> onRun(m.body())));
    consumers.forEach(c -> ready.add(c.completion()));
    timers.add(vertx.setPeriodic(options.sampleIntervalMs(), t -> flush()));
    timers.add(vertx.setPeriodic(options.heartbeatMs(), t -> heartbeat()));
    return Future.join(ready);
  }

  @Override
  public Future<?> stop() {
    timers.forEach(vertx::cancelTimer);
    for (Client c : new ArrayList<>(clients)) {
      close(c);
    }
    List<Future<Void>> f = new ArrayList<>();
    consumers.forEach(c -> f.add(c.unregister()));
    return Future.join(f);
  }

  /** Adds {@code GET /api/stream} and {@code GET /api/events}, both for viewers. */
  public void mount(Router router, ApiGuard guard) {
    router.get("/api/stream").handler(guard.require(Role.VIEWER)).handler(this::subscribe);
    router.get("/api/events").handler(guard.require(Role.VIEWER)).handler(this::recentEvents);
  }

  // ---- inputs ----

  private void onSamples(SampleBatch b) {
    Map<String, Sample> m =
        pendingSamples.computeIfAbsent(b.reactorId(), k -> new LinkedHashMap<>());
    for (Sample s : b.samples()) {
      m.put(s.signalId(), s);
    }
  }

  private void onSnapshot(LoopSnapshot s) {
    String key = s.reactorId() + "/" + s.loopId();
    LoopState st = loops.computeIfAbsent(key, k -> new LoopState());
    boolean changed =
        !Objects.equals(st.mode, s.mode())
            || Double.compare(st.setpoint, s.setpoint()) != 0
            || !Objects.equals(st.interlock, s.interlock());
    long now = System.nanoTime();
    if (changed || now - st.sentAtNanos >= options.loopIntervalMs() * 1_000_000L) {
      sendLoop(st, s, now);
    } else {
      st.held = s;
    }
  }

  private void sendLoop(LoopState st, LoopSnapshot s, long now) {
    st.sentAtNanos = now;
    st.mode = s.mode();
    st.setpoint = s.setpoint();
    st.interlock = s.interlock();
    st.held = null;
    publish("loop", PlantJson.snapshot(s));
  }

  private void onEvent(HepaEvent e) {
    publish("event", PlantJson.event(e));
    recent.addLast(new Recent(ring.newestId(), e));
    while (recent.size() > options.recentEvents()) {
      recent.removeFirst();
    }
  }

  private void onAlarm(AlarmTransition t) {
    publish("alarm", PlantJson.transition(t));
  }

  private void onRun(RunChange c) {
    publish(
        "run",
        new JsonObject()
            .put("runId", c.runId())
            .put("reactorId", c.reactorId())
            .put("state", c.state())
            .put("phaseIndex", c.phaseIndex())
            .put("phaseId", c.phaseId())
            .put("kind", c.kind())
            .put("message", c.message()));
  }

  /** Sends the samples gathered per reactor and the loop snapshots held back. */
  private void flush() {
    for (String r : reactorIds) {
      Map<String, Sample> m = pendingSamples.get(r);
      if (m != null && !m.isEmpty()) {
        publish(
            "sample",
            new JsonObject().put("reactorId", r).put("values", PlantJson.samples(m.values())));
        m.clear();
      }
    }
    long now = System.nanoTime();
    for (LoopState st : loops.values()) {
      if (st.held != null && now - st.sentAtNanos >= options.loopIntervalMs() * 1_000_000L) {
        sendLoop(st, st.held, now);
      }
    }
  }

  // ---- fan-out ----

  private String publish(String type, JsonObject data) {
    String json = data.encode();
    String frame = ring.append(id -> "id: " + id + "\nevent: " + type + "\ndata: " + json + "\n\n");
    for (Client c : new ArrayList<>(clients)) {
      deliver(c, frame);
    }
    return frame;
  }

  private void deliver(Client c, String frame) {
    if (c.closed) {
      return;
    }
    if (c.queued.isEmpty() && !c.response.writeQueueFull()) {
      write(c, frame);
      return;
    }
    if (c.queued.size() >= options.clientQueueEvents()) {
      dropped.increment();
      close(c);
      return;
    }
    c.queued.addLast(frame);
  }

  private void drain(Client c) {
    while (!c.closed && !c.queued.isEmpty() && !c.response.writeQueueFull()) {
      write(c, c.queued.removeFirst());
    }
  }

  private void heartbeat() {
    for (Client c : new ArrayList<>(clients)) {
      if (!c.closed && c.queued.isEmpty() && !c.response.writeQueueFull()) {
        write(c, ": heartbeat\n\n");
      }
    }
  }

  /**
   * Writes to a client; a connection that closed before its close handler was set (or between two
   * events) is forgotten here rather than written to.
   */
  private void write(Client c, String text) {
    if (c.response.closed() || c.response.ended()) {
      forget(c);
      return;
    }
    try {
      c.response.write(text);
    } catch (IllegalStateException closedMeanwhile) {
      forget(c);
    }
  }

  private void close(Client c) {
    if (c.closed) {
      return;
    }
    c.closed = true;
    c.queued.clear();
    clients.remove(c);
    c.rc.request().connection().close();
  }

  // ---- HTTP ----

  private void subscribe(RoutingContext rc) {
    String header = rc.request().getHeader("Last-Event-ID");
    if (header == null) {
      header = rc.queryParams().get("lastEventId");
    }
    String lastEventId = header;
    context.runOnContext(v -> attach(rc, lastEventId));
  }

  private void attach(RoutingContext rc, String lastEventId) {
    HttpServerResponse response = rc.response();
    if (response.closed() || response.ended()) {
      return;
    }
    Client c = new Client(rc);
    response
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Accel-Buffering", "no");
    response.closeHandler(x -> context.runOnContext(y -> forget(c)));
    response.exceptionHandler(x -> context.runOnContext(y -> close(c)));
    response.drainHandler(x -> context.runOnContext(y -> drain(c)));
    clients.add(c);
    write(c, "retry: 2000\n: connected\n\n");
    if (lastEventId == null || lastEventId.isBlank()) {
      return;
    }
    long last;
    try {
      last = Long.parseLong(lastEventId.trim());
    } catch (NumberFormatException e) {
      last = Long.MIN_VALUE;
    }
    if (last == Long.MIN_VALUE || !ring.replayAfter(last, f -> deliver(c, f))) {
      resets.increment();
      deliver(
          c,
          "id: "
              + ring.newestId()
              + "\nevent: reset\ndata: "
              + new JsonObject()
                  .put("lastEventId", lastEventId)
                  .put(
                      "reason",
                      "events after id "
                          + lastEventId
                          + " are no longer held; reload the state over REST")
                  .encode()
              + "\n\n");
    }
  }

  private void forget(Client c) {
    c.closed = true;
    c.queued.clear();
    clients.remove(c);
  }

  private void recentEvents(RoutingContext rc) {
    String reactor = rc.queryParams().get("reactor");
    String limitText = rc.queryParams().get("limit");
    int limit = 100;
    if (limitText != null) {
      try {
        limit = Integer.parseInt(limitText.trim());
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > options.recentEvents()) {
        Problems.badField(
            rc,
            "limit",
            "must be a whole number from 1 to "
                + options.recentEvents()
                + ", got '"
                + limitText
                + "'");
        return;
      }
    }
    int max = limit;
    recent(reactor, max)
        .onComplete(
            ar -> {
              JsonArray out = new JsonArray();
              for (Recent r : ar.result()) {
                out.add(PlantJson.event(r.event()).put("id", r.id()));
              }
              PlantRoutes.json(rc, 200, out.encode());
            });
  }

  /** The newest {@code limit} events (of one reactor, or all with null), oldest first. */
  public Future<List<Recent>> recent(String reactorId, int limit) {
    Promise<List<Recent>> p = Promise.promise();
    context.runOnContext(
        v -> {
          ArrayDeque<Recent> out = new ArrayDeque<>();
          var it = recent.descendingIterator();
          while (it.hasNext() && out.size() < limit) {
            Recent r = it.next();
            if (reactorId == null || reactorId.equals(r.event().reactorId())) {
              out.addFirst(r);
            }
          }
          p.complete(List.copyOf(out));
        });
    return p.future();
  }

  /** Clients connected now (read on the stream's context). */
  public Future<Integer> clientCount() {
    Promise<Integer> p = Promise.promise();
    context.runOnContext(v -> p.complete(clients.size()));
    return p.future();
  }
}
