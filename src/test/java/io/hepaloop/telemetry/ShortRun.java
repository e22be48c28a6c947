package io.hepaloop.telemetry;

import io.hepaloop.bus.Addresses;
import io.hepaloop.bus.HepaEvent;
import io.hepaloop.control.LoopSnapshot;
import io.hepaloop.core.Quality;
import io.hepaloop.device.LinkState;
import io.hepaloop.device.Sample;
import io.hepaloop.device.SampleBatch;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;

/**
 * A short synthetic run published on the bus the way the device link and the control loops do:
 * every sensor and actuator of the liver-perfusion profile, the three loops, link changes, alarm,
 * interlock and operator events, a few Bad samples. Timestamps cover the {@code minutes} before
 * now.
 */
final class ShortRun {
  private ShortRun() {}

  /** Publishes the run and returns how many bus records were published (samples count one each). */
  static long publish(Vertx vertx, List<String> reactors, int minutes) {
    Instant start = Instant.now().minusSeconds(minutes * 60L);
    long n = 0;
    for (String r : reactors) {
      vertx
          .eventBus()
          .publish(Addresses.link(r), new LinkState(r, LinkState.State.CONNECTING, start, "start"));
      vertx
          .eventBus()
          .publish(
              Addresses.link(r),
              new LinkState(r, LinkState.State.CONNECTED, start.plusMillis(200), "session up"));
      n += 2;
    }
    for (int s = 0; s < minutes * 60; s++) {
      Instant t = start.plusSeconds(s);
      for (String r : reactors) {
        boolean bad = s % 97 == 0;
        double temp = 37.0 + 0.05 * Math.sin(s / 30.0);
        List<Sample> samples =
            List.of(
                new Sample(r, "temperature", temp, "°C", t, Quality.GOOD),
                new Sample(r, "do_inlet", 110.0, "mmHg", t, Quality.GOOD),
                new Sample(
                    r,
                    "do_outlet",
                    bad ? Double.NaN : 35.0 + Math.sin(s / 60.0),
                    "mmHg",
                    t,
                    bad ? Quality.BAD : Quality.GOOD),
                new Sample(r, "flow", 2.0, "mL/min", t, Quality.GOOD),
                new Sample(r, "pressure_inlet", 12.0, "mmHg", t, Quality.GOOD),
                new Sample(r, "heater", 30.0, "%", t, Quality.GOOD),
                new Sample(r, "gas_o2", 25.0, "%", t, Quality.GOOD),
                new Sample(r, "pump", 50.0, "%", t, Quality.GOOD));
        vertx.eventBus().publish(Addresses.samples(r), new SampleBatch(r, samples));
        n += samples.size();
        String interlock = s >= 100 && s < 110 ? "temperature_high_high" : null;
        vertx
            .eventBus()
            .publish(
                Addresses.control(r),
                new LoopSnapshot(
                    r,
                    "temperature",
                    t,
                    "AUTO",
                    37.0,
                    temp,
                    Quality.GOOD,
                    interlock == null ? 30.0 : 0.0,
                    1,
                    29,
                    0,
                    0.0,
                    false,
                    false,
                    interlock));
        vertx
            .eventBus()
            .publish(
                Addresses.control(r),
                new LoopSnapshot(
                    r,
                    "flow",
                    t,
                    "AUTO",
                    2.0,
                    2.0,
                    Quality.GOOD,
                    50.0,
                    0,
                    50,
                    0,
                    0.0,
                    false,
                    false,
                    null));
        vertx
            .eventBus()
            .publish(
                Addresses.control(r),
                new LoopSnapshot(
                    r,
                    "oxygen",
                    t,
                    "CASCADE",
                    110.0,
                    110.0,
                    Quality.GOOD,
                    25.0,
                    0,
                    25,
                    0,
                    0.0,
                    false,
                    false,
                    null));
        n += 3;
      }
    }
    for (String r : reactors) {
      vertx
          .eventBus()
          .publish(
              Addresses.EVENTS,
              new HepaEvent(
                  start.plusSeconds(100),
                  r,
                  "interlock",
                  "temperature_high_high",
                  "critical",
                  "Heater off: temperature 39.1 °C above 39.0 °C"));
      vertx
          .eventBus()
          .publish(
              Addresses.EVENTS,
              new HepaEvent(
                  start.plusSeconds(101),
                  r,
                  "alarm",
                  "do_outlet_low",
                  "warning",
                  "Outlet pO2 low"));
      vertx
          .eventBus()
          .publish(
              Addresses.EVENTS,
              new HepaEvent(
                  start.plusSeconds(30),
                  r,
                  "operator",
                  "alice",
                  "info",
                  "Flow setpoint 2.0 mL/min"));
      n += 3;
    }
    vertx
        .eventBus()
        .publish(
            Addresses.EVENTS,
            new HepaEvent(
                start.plusSeconds(5), null, "phase", "recipe", "info", "Run phase: perfusion"));
    return n + 1;
  }
}
