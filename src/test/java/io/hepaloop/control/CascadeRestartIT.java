package io.hepaloop.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.app.Codecs;
import io.hepaloop.bus.Addresses;
import io.hepaloop.bus.HepaEvent;
import io.hepaloop.device.DeviceLink;
import io.hepaloop.device.DeviceLinkOptions;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.LoopSpec;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.profile.WatchdogSpec;
import io.hepaloop.sim.ScenarioLoader;
import io.hepaloop.sim.SimulatedReactor;
import io.hepaloop.sim.Simulator;
import io.hepaloop.sim.SimulatorOptions;
import io.hepaloop.testing.ThreadDumpOnFailure;
import io.hepaloop.time.AcceleratedClock;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bumpless cascade restart over real OPC UA (issue 7, part 5): the simulator's construct at a
 * high oxygen demand, the cascade holding the inlet far above the profile's 100 mmHg, then the
 * whole controller side (device link and controller, a new Vert.x) replaced by a fresh one, as a
 * new process would. The outlet must never go under its floor, the sweep gas must not be cut.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@ExtendWith(ThreadDumpOnFailure.class)
class CascadeRestartIT {
  static final String R = "r1";
  static final double SPEED = 10;

  /**
   * The construct at 1.5 × the default uptake (Vmax 0.645 instead of 0.43 nmol/s per 10⁶ cells):
   * the outlet needs an inlet of ~170 mmHg. The gas starts near what holds it, so the cascade
   * settles quickly.
   */
  static final String HIGH_DEMAND =
      """
      name: high-demand
      description: construct at 1.5 x the default oxygen uptake
      parameters:
        vmaxNmolPerSPer1e6Cells: 0.645
        initialGasO2Pct: 23.8
      timeline: []
      """;

  /**
   * The shipped profile with a device watchdog of 30 s: a restart of the controller side in this
   * JVM must not trip it (on a loaded machine a new OPC UA session can take longer than the shipped
   * 5 s), or the device would put the gas at its safe value and this test would measure the
   * watchdog, not the cascade.
   */
  static DeviceProfile profile() {
    DeviceProfile p =
        ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));
    WatchdogSpec w = p.watchdog();
    return p.withWatchdog(new WatchdogSpec(w.nodeId(), w.dataType(), w.intervalMs(), 30_000));
  }

  /**
   * One controller side: its own Vert.x, controller and device link, as one controller process has.
   */
  static final class ControllerSide implements AutoCloseable {
    final Vertx vertx = Vertx.vertx();
    final List<LoopSnapshot> oxygen = new CopyOnWriteArrayList<>();
    final List<HepaEvent> events = new CopyOnWriteArrayList<>();

    ControllerSide(DeviceProfile profile, String endpointUrl) throws Exception {
      Codecs.register(vertx);
      vertx.eventBus().<HepaEvent>consumer(Addresses.EVENTS, m -> events.add(m.body()));
      vertx
          .eventBus()
          .<LoopSnapshot>consumer(
              Addresses.control(R),
              m -> {
                if (m.body().loopId().equals("oxygen")) {
                  oxygen.add(m.body());
                }
              });
      vertx
          .deployVerticle(new ReactorController(R, profile, new AcceleratedClock(SPEED)))
          .await(30, TimeUnit.SECONDS);
      vertx
          .deployVerticle(
              new DeviceLink(DeviceLinkOptions.builder(R, profile, endpointUrl).build()))
          .await(60, TimeUnit.SECONDS);
    }

    LoopSnapshot latest() {
      return oxygen.isEmpty() ? null : oxygen.get(oxygen.size() - 1);
    }

    @Override
    public void close() throws Exception {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aRestartedControllerSideTakesOverTheCascadeAndTheOutletStaysAboveItsFloor()
      throws Exception {
    DeviceProfile profile = profile();
    LoopSpec oxygen =
        profile.loops().stream().filter(l -> l.id().equals("oxygen")).findFirst().orElseThrow();
    double floorMmHg = oxygen.cascade().setpointLimits().min();
    double outletTarget = oxygen.cascade().setpoint();
    try (Simulator sim =
        Simulator.start(
            SimulatorOptions.builder()
                .profile(profile)
                .reactorIds(R)
                .speed(SPEED)
                .scenario(ScenarioLoader.parse("high-demand", HIGH_DEMAND, profile))
                .build())) {
      SimulatedReactor reactor = sim.reactor(R);
      double innerSpBefore;
      double gasBeforePct;
      try (ControllerSide first = new ControllerSide(profile, sim.endpointUrl(R))) {
        // settled: the cascade holds the outlet at its target with the inlet far above the
        // profile's setpoint
        long[] since = {-1};
        await()
            .atMost(Duration.ofSeconds(150))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () -> {
                  LoopSnapshot s = first.latest();
                  boolean settled =
                      s != null
                          && "CASCADE".equals(s.mode())
                          && s.setpoint() > oxygen.setpoint() + 40
                          && Math.abs(outlet(reactor) - outletTarget) < 3;
                  long now = System.nanoTime();
                  since[0] = !settled ? -1 : since[0] < 0 ? now : since[0];
                  return settled && now - since[0] >= 3_000_000_000L; // 30 s of process time
                });
        innerSpBefore = first.latest().setpoint();
        gasBeforePct = reactor.actuator("gas_o2");
      }

      // the new controller side, watched on the true plant values from its first moment
      double[] minOutlet = {Double.POSITIVE_INFINITY};
      double[] minGasPct = {Double.POSITIVE_INFINITY};
      AtomicReference<Throwable> samplerFailure = new AtomicReference<>();
      ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
      sampler.scheduleAtFixedRate(
          () -> {
            try {
              synchronized (minOutlet) {
                minOutlet[0] = Math.min(minOutlet[0], outlet(reactor));
                minGasPct[0] = Math.min(minGasPct[0], reactor.actuator("gas_o2"));
              }
            } catch (Throwable t) {
              samplerFailure.compareAndSet(null, t);
            }
          },
          0,
          20,
          TimeUnit.MILLISECONDS);
      try (ControllerSide second = new ControllerSide(profile, sim.endpointUrl(R))) {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> second.latest() != null && Double.isFinite(second.latest().output()));
        long from = System.nanoTime();
        // 30 s real = 5 min of process: the oxygenator (30 s lag) and the construct have long
        // answered any cut
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> System.nanoTime() - from >= 30_000_000_000L);
        synchronized (minOutlet) {
          String state =
              String.format(
                  "inner SP before %.1f, gas before %.2f %%; after: min outlet %.1f, min gas %.2f %%, snapshot %s",
                  innerSpBefore, gasBeforePct, minOutlet[0], minGasPct[0], second.latest());
          assertThat(reactor.watchdogTripped())
              .as("the device watchdog must not have acted; %s", state)
              .isFalse();
          assertThat(minOutlet[0])
              .as("lowest outlet pO2 after the restart; %s", state)
              .isGreaterThanOrEqualTo(floorMmHg);
          assertThat(minGasPct[0])
              .as("lowest sweep-gas O2 after the restart; %s", state)
              .isGreaterThan(gasBeforePct - 1.5);
          assertThat(second.events)
              .as("the cascade said where it started; %s", state)
              .anyMatch(e -> "oxygen.cascade_start".equals(e.source()));
          assertThat(second.latest().setpoint())
              .as("inner setpoint still where the outlet needs it; %s", state)
              .isGreaterThan(oxygen.setpoint() + 40);
        }
      } finally {
        sampler.shutdownNow();
      }
      assertThat(samplerFailure.get()).isNull();
    }
  }

  private static double outlet(SimulatedReactor r) {
    synchronized (r) {
      return r.model().doOutletMmHg();
    }
  }
}
