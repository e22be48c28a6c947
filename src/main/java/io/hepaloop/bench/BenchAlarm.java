package io.hepaloop.bench;

import io.hepaloop.alarm.AlarmDefinition;
import io.hepaloop.alarm.AlarmKind;
import io.hepaloop.alarm.AlarmPriority;
import io.hepaloop.alarm.Rationale;
import io.hepaloop.device.Sample;
import java.util.List;

/**
 * One alarm the alarms benchmark adds to every reactor, and the scenario event that crosses it: a
 * sensor spike of {@code spikeInUnits} at the simulator (a bubble on the DO probe, a pressure
 * transient), which moves the reading well past {@code limit} and, when it ends, back past the
 * deadband. On-delay and off-delay are 0, so the latency measured is the system's, not a delay's.
 *
 * <p>{@link #active} is the engine's own rule ({@code alarm.AlarmSlot}): a HIGH activates above the
 * limit and stays active down to limit − deadband; a LOW mirrors it. Only Good, finite, fresh
 * samples count. Applied to the same samples in the same order, it says when the engine must
 * activate, so every crossing the bench records must come back as exactly one activation.
 *
 * @param id alarm id on every reactor
 * @param signal the sensor it watches and the simulator spikes
 * @param kind {@link AlarmKind#HIGH} or {@link AlarmKind#LOW}
 * @param normalMargin how far on the normal side of the clear point every reactor's reading must
 *     lie before the bench starts, so noise and control moves cannot cross it
 */
public record BenchAlarm(
    String id,
    String signal,
    AlarmKind kind,
    double limit,
    double deadbandInUnits,
    double spikeInUnits,
    double normalMargin) {

  /**
   * Inlet pressure HIGH at 20 mmHg (clean scaffold ≈ 12 mmHg at 1 mL/min) crossed by +16 mmHg,
   * below the profile's 30 mmHg alarm and the 40 mmHg pressure override; outlet pO2 LOW at 28 mmHg
   * (40–60 mmHg while the cascade settles toward its 40 mmHg setpoint) crossed by −45 mmHg. The
   * spikes are too short for the profile's own alarms on these signals (on-delays 10–60 s).
   */
  public static final List<BenchAlarm> DEFAULT =
      List.of(
          new BenchAlarm("bench_pressure_high", "pressure_inlet", AlarmKind.HIGH, 20, 1, 16, 2),
          new BenchAlarm("bench_do_outlet_low", "do_outlet", AlarmKind.LOW, 28, 2, -45, 2));

  public BenchAlarm {
    if (kind != AlarmKind.HIGH && kind != AlarmKind.LOW) {
      throw new IllegalArgumentException("bench alarm " + id + ": HIGH or LOW, got " + kind);
    }
  }

  /** The definition on {@code reactorId}: on-delay and off-delay 0, never latched. */
  public AlarmDefinition definition(String reactorId) {
    return new AlarmDefinition(
        id,
        reactorId,
        kind,
        signal,
        limit,
        deadbandInUnits,
        0,
        0,
        AlarmPriority.LOW,
        false,
        0,
        null,
        new Rationale(
            "bench alarms: a sensor spike injected at the simulator",
            "none: a benchmark alarm",
            "none: the benchmark clears it by itself",
            3600));
  }

  /** Whether the alarm's condition holds after {@code s}, given whether it held before. */
  public boolean active(boolean wasActive, Sample s) {
    if (!s.usable()) {
      return wasActive; // the engine skips non-Good values; a stale one is published Bad
    }
    double v = s.value();
    if (kind == AlarmKind.HIGH) {
      return wasActive ? v >= limit - deadbandInUnits : v > limit;
    }
    return wasActive ? v <= limit + deadbandInUnits : v < limit;
  }

  /**
   * True when {@code value} lies far enough on the normal side for a run to start: beyond the clear
   * point by {@link #normalMargin}.
   */
  public boolean clearlyNormal(double value) {
    return kind == AlarmKind.HIGH
        ? value < limit - deadbandInUnits - normalMargin
        : value > limit + deadbandInUnits + normalMargin;
  }

  /** True when a spike from {@code value} lands past the limit by {@link #normalMargin}. */
  public boolean crossedBySpike(double value) {
    double spiked = value + spikeInUnits;
    return kind == AlarmKind.HIGH ? spiked > limit + normalMargin : spiked < limit - normalMargin;
  }
}
