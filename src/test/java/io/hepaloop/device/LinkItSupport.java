package io.hepaloop.device;

import io.hepaloop.app.Codecs;
import io.hepaloop.bus.Addresses;
import io.hepaloop.bus.HepaEvent;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.sim.Simulator;
import io.hepaloop.sim.SimulatorOptions;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the link ITs share: the shipped profile, a Vert.x instance with the codecs, and a recorder
 * of everything one reactor's link publishes (samples, states, events), filled from the event bus.
 */
final class LinkItSupport {
  static final DeviceProfile PROFILE =
      ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(20);

  private LinkItSupport() {}

  /**
   * A simulator of reactor {@code r1} with {@code profile}, without sensor noise (the ITs compare
   * exact values), plain OPC UA only, its PKI in {@code pkiDir}.
   */
  static Simulator quietSimulator(DeviceProfile profile, Path pkiDir) throws Exception {
    return Simulator.start(
        SimulatorOptions.builder()
            .profile(profile)
            .reactorIds("r1")
            .sensorNoise(false)
            .allowSignAndEncrypt(false)
            .pkiDir(pkiDir)
            .build());
  }

  static Vertx vertx() {
    Vertx v = Vertx.vertx();
    Codecs.register(v);
    return v;
  }

  /** Everything one reactor's link published, in arrival order, with arrival times. */
  static final class Recorder {
    record Arrival(Sample sample, long arrivedNanos) {}

    final List<SampleBatch> batches = new CopyOnWriteArrayList<>();
    final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    final Map<String, Sample> latest = new ConcurrentHashMap<>();
    final List<LinkState> states = new CopyOnWriteArrayList<>();
    final List<HepaEvent> events = new CopyOnWriteArrayList<>();

    Recorder(Vertx vertx, String reactorId) {
      vertx
          .eventBus()
          .<SampleBatch>consumer(
              Addresses.samples(reactorId),
              m -> {
                long now = System.nanoTime();
                batches.add(m.body());
                for (Sample s : m.body().samples()) {
                  arrivals.add(new Arrival(s, now));
                  latest.put(s.signalId(), s);
                }
              });
      vertx.eventBus().<LinkState>consumer(Addresses.link(reactorId), m -> states.add(m.body()));
      vertx
          .eventBus()
          .<HepaEvent>consumer(
              Addresses.EVENTS,
              m -> {
                if (reactorId.equals(m.body().reactorId())) {
                  events.add(m.body());
                }
              });
    }

    LinkState.State state() {
      return states.isEmpty() ? null : states.get(states.size() - 1).state();
    }

    LinkState lastState() {
      return states.isEmpty() ? null : states.get(states.size() - 1);
    }

    /** A fresh (not stale) sample of the signal that arrived after {@code afterNanos}. */
    java.util.Optional<Arrival> freshAfter(long afterNanos) {
      return arrivals.stream()
          .filter(a -> a.arrivedNanos() > afterNanos && !a.sample().stale())
          .findFirst();
    }
  }
}
