package io.hepaloop.telemetry;

/**
 * The {@code group} tag: which physical subsystem a signal belongs to, so a dashboard can show all
 * oxygen or all perfusion signals without listing ids. A fixed, small set keeps tag cardinality
 * bounded.
 */
public final class SignalGroups {
  private SignalGroups() {}

  public static String of(String signalId) {
    if (signalId.startsWith("temperature") || signalId.startsWith("heater")) {
      return "thermal";
    }
    if (signalId.startsWith("do_")
        || signalId.startsWith("gas_")
        || signalId.startsWith("po2")
        || signalId.startsWith("our")) {
      return "oxygen";
    }
    if (signalId.startsWith("flow")
        || signalId.startsWith("pressure")
        || signalId.startsWith("pump")) {
      return "perfusion";
    }
    return "other";
  }
}
