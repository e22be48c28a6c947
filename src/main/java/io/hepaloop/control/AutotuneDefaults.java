package io.hepaloop.control;

/**
 * Relay settings per loop of the liver-perfusion profile, for an auto-tune started without them:
 * amplitude (output units), hysteresis a little above the sensor noise (PV units), abort band, and
 * whether a PID or a PI is proposed. A loop not listed needs its amplitude, hysteresis and abort
 * band given.
 */
public final class AutotuneDefaults {
  private AutotuneDefaults() {}

  /** The defaults of loop {@code loopId}, or null when there are none. */
  public static RelayAutoTuner.Config forLoop(String loopId) {
    return switch (loopId == null ? "" : loopId) {
      case "temperature" -> new RelayAutoTuner.Config(10.0, 0.05, 0.6, 3, 4 * 3600, true);
      case "flow" -> new RelayAutoTuner.Config(5.0, 0.01, 0.3, 4, 600, false);
      case "oxygen" -> new RelayAutoTuner.Config(3.0, 1.5, 25.0, 3, 3600, false);
      default -> null;
    };
  }

  /**
   * The loop's defaults with the given values in place of theirs (null: keep the default); a loop
   * without defaults gets 3 cycles within 4 h.
   *
   * @param pi propose PI rather than the loop's default (null: the default; PID where none)
   * @throws IllegalArgumentException naming a value that is missing (no default) or out of range
   */
  public static RelayAutoTuner.Config merge(
      String loopId, Double amplitude, Double hysteresis, Double maxDeviation, Boolean pi) {
    RelayAutoTuner.Config d = forLoop(loopId);
    if (d == null) {
      String missing =
          amplitude == null
              ? "amplitude"
              : hysteresis == null ? "hysteresis" : maxDeviation == null ? "maxDeviation" : null;
      if (missing != null) {
        throw new IllegalArgumentException(
            missing + " is required: loop '" + loopId + "' has no default relay settings");
      }
      d = new RelayAutoTuner.Config(amplitude, hysteresis, maxDeviation, 3, 4 * 3600, true);
    }
    return new RelayAutoTuner.Config(
        amplitude != null ? amplitude : d.amplitude(),
        hysteresis != null ? hysteresis : d.hysteresis(),
        maxDeviation != null ? maxDeviation : d.maxDeviation(),
        d.cycles(),
        d.timeoutS(),
        pi != null ? !pi : d.derivative());
  }
}
