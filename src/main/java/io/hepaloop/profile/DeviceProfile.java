package io.hepaloop.profile;

import java.util.List;
import java.util.Optional;

/**
 * One device model, read from {@code device-profiles/*.yaml}. New hardware needs a YAML file, not
 * code. Load with {@link ProfileLoader}, which validates (JSON Schema + semantic checks) and
 * refuses a bad profile with every problem listed.
 */
public record DeviceProfile(
    String model,
    String vendor,
    String description,
    EndpointSpec endpoint,
    String namespaceUri,
    OxygenSpec oxygen,
    List<SignalSpec> signals,
    WatchdogSpec watchdog,
    List<LoopSpec> loops,
    List<InterlockSpec> interlocks,
    List<AlarmSpec> alarms) {

  public DeviceProfile {
    signals = signals == null ? List.of() : List.copyOf(signals);
    loops = loops == null ? List.of() : List.copyOf(loops);
    interlocks = interlocks == null ? List.of() : List.copyOf(interlocks);
    alarms = alarms == null ? List.of() : List.copyOf(alarms);
  }

  /** This profile with other signals (tests, benchmarks and tools that vary one part). */
  public DeviceProfile withSignals(List<SignalSpec> newSignals) {
    return new DeviceProfile(
        model,
        vendor,
        description,
        endpoint,
        namespaceUri,
        oxygen,
        newSignals,
        watchdog,
        loops,
        interlocks,
        alarms);
  }

  /** This profile with another watchdog (null: none). */
  public DeviceProfile withWatchdog(WatchdogSpec newWatchdog) {
    return new DeviceProfile(
        model,
        vendor,
        description,
        endpoint,
        namespaceUri,
        oxygen,
        signals,
        newWatchdog,
        loops,
        interlocks,
        alarms);
  }

  /** This profile with other loops. */
  public DeviceProfile withLoops(List<LoopSpec> newLoops) {
    return new DeviceProfile(
        model,
        vendor,
        description,
        endpoint,
        namespaceUri,
        oxygen,
        signals,
        watchdog,
        newLoops,
        interlocks,
        alarms);
  }

  /** This profile with other alarm definitions (a reactor's after the plant's overrides). */
  public DeviceProfile withAlarms(List<AlarmSpec> newAlarms) {
    return new DeviceProfile(
        model,
        vendor,
        description,
        endpoint,
        namespaceUri,
        oxygen,
        signals,
        watchdog,
        loops,
        interlocks,
        newAlarms);
  }

  /** The alarm definition {@code id}, if the profile has one. */
  public Optional<AlarmSpec> alarm(String id) {
    return alarms.stream().filter(a -> a.id().equals(id)).findFirst();
  }

  public Optional<SignalSpec> signal(String id) {
    return signals.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  public SignalSpec requireSignal(String id) {
    return signal(id)
        .orElseThrow(
            () -> new IllegalArgumentException("profile " + model + " has no signal '" + id + "'"));
  }

  public List<SignalSpec> sensors() {
    return signals.stream().filter(s -> s.kind() == SignalKind.SENSOR).toList();
  }

  public List<SignalSpec> actuators() {
    return signals.stream().filter(s -> s.kind() == SignalKind.ACTUATOR).toList();
  }

  /** O2 solubility in nmol/(mL·mmHg); 1.3 when the profile does not say. */
  public double oxygenSolubilityNmolPerMlMmHg() {
    return oxygen == null ? 1.3 : oxygen.solubilityNmolPerMlMmHg();
  }
}
