package io.hepaloop.app;

import io.hepaloop.alarm.AlarmDefinition;
import io.hepaloop.alarm.AlarmEngine;
import io.hepaloop.alarm.AlarmHealth;
import io.hepaloop.alarm.AlarmPriority;
import io.hepaloop.app.AlarmService.ReactorHealth;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The alarm service's health figures per reactor, for the API and {@code /metrics}: computed on the
 * service's context ({@link #refresh}, every tick), read by the gauges from the last snapshot on
 * any thread, so a scrape never touches the engine.
 */
final class AlarmServiceHealth {
  private final Set<String> reactorIds;
  private volatile Map<String, ReactorHealth> snapshot = Map.of();

  /** Computes every reactor's figures now (the service's context) and keeps them for the gauges. */
  Map<String, ReactorHealth> refresh(
      AlarmEngine engine, AlarmHealth health, Collection<AlarmDefinition> definitions) {
    Map<String, Map<AlarmPriority, Integer>> unack = new HashMap<>();
    for (String r : reactorIds) {
      Map<AlarmPriority, Integer> m = new EnumMap<>(AlarmPriority.class);
      for (AlarmPriority p : AlarmPriority.values()) {
        m.put(p, 0);
      }
      unack.put(r, m);
    }
    for (AlarmDefinition d : definitions) {
      if (engine.state(d.reactorId(), d.id()).needsAcknowledgement()) {
        unack.get(d.reactorId()).merge(d.priority(), 1, Integer::sum);
      }
    }
    Map<String, ReactorHealth> out = new LinkedHashMap<>();
    for (String r : reactorIds) {
      out.put(r, new ReactorHealth(health.reactor(r), Map.copyOf(unack.get(r))));
    }
    Map<String, ReactorHealth> frozen = java.util.Collections.unmodifiableMap(out);
    snapshot = frozen;
    return frozen;
  }

  /**
   * A fixed set of gauges per reactor, reading the snapshot the last tick made: nothing grows with
   * the number of events, and a scrape never touches the engine.
   */
  AlarmServiceHealth(Set<String> reactorIds, MeterRegistry registry) {
    this.reactorIds = new java.util.TreeSet<>(reactorIds);
    for (String r : reactorIds) {
      gauge(
          registry,
          "hepaloop.alarm.activations.10min",
          r,
          "Alarm activations in the last 10 minutes (ISA-18.2: 10 or more is a flood)",
          h -> h.figures().activationsLast10Min());
      gauge(
          registry,
          "hepaloop.alarm.flood",
          r,
          "1 while the reactor's alarms flood (10 or more activations in 10 minutes)",
          h -> h.figures().flood() ? 1 : 0);
      gauge(
          registry,
          "hepaloop.alarm.chattering",
          r,
          "Alarms that activated 3 or more times within a minute",
          h -> h.figures().chattering().size());
      gauge(
          registry,
          "hepaloop.alarm.stale",
          r,
          "Alarms active for more than 24 hours",
          h -> h.figures().staleCount());
      gauge(
          registry,
          "hepaloop.alarm.shelved",
          r,
          "Alarms shelved by an operator",
          h -> h.figures().shelvedCount());
      for (AlarmPriority p : AlarmPriority.values()) {
        Gauge.builder(
                "hepaloop.alarm.unacknowledged",
                this,
                s -> {
                  ReactorHealth h = s.snapshot.get(r);
                  return h == null ? 0 : h.unacknowledged().getOrDefault(p, 0);
                })
            .description("Alarms waiting for an acknowledgement, by priority")
            .tag("reactor", r)
            .tag("priority", p.name().toLowerCase(java.util.Locale.ROOT))
            .register(registry);
      }
    }
  }

  private void gauge(
      MeterRegistry registry,
      String name,
      String reactorId,
      String description,
      java.util.function.ToDoubleFunction<ReactorHealth> value) {
    Gauge.builder(
            name,
            this,
            s -> {
              ReactorHealth h = s.snapshot.get(reactorId);
              return h == null ? 0 : value.applyAsDouble(h);
            })
        .description(description)
        .tag("reactor", reactorId)
        .register(registry);
  }
}
