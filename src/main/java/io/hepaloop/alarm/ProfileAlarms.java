package io.hepaloop.alarm;

import io.hepaloop.profile.AlarmSpec;
import io.hepaloop.profile.DeviceProfile;
import java.util.List;
import java.util.Locale;

/**
 * A reactor's alarm definitions from its (effective) device profile: the profile's plain {@link
 * AlarmSpec} records, already checked with file:line by the profile loader and the plant's
 * overrides applied, become the engine's {@link AlarmDefinition}s. Absent optional fields take
 * their documented defaults (deadband, delays, re-alarm, window and horizon 0; not latched; no
 * suppression).
 */
public final class ProfileAlarms {
  private ProfileAlarms() {}

  /**
   * One definition per alarm of {@code profile}, in profile order.
   *
   * @throws IllegalArgumentException naming the alarm, when a definition is refused (only for a
   *     profile built in code without the loader's checks)
   */
  public static List<AlarmDefinition> definitions(String reactorId, DeviceProfile profile) {
    return profile.alarms().stream().map(a -> definition(reactorId, a)).toList();
  }

  /** {@code spec} as a definition of reactor {@code reactorId}. */
  public static AlarmDefinition definition(String reactorId, AlarmSpec spec) {
    AlarmSpec.SuppressWhen s = spec.suppressWhen();
    AlarmSpec.Rationale r = spec.rationale();
    return new AlarmDefinition(
        spec.id(),
        reactorId,
        constant(AlarmKind.class, spec.kind(), spec.id(), "kind"),
        spec.source(),
        spec.limitOrZero(),
        spec.deadbandOrZero(),
        spec.onDelaySOrZero(),
        spec.offDelaySOrZero(),
        constant(AlarmPriority.class, spec.priority(), spec.id(), "priority"),
        spec.isLatched(),
        spec.reAlarmAfterSOrZero(),
        s == null ? null : new Suppression(s.loop(), upper(s.mode())),
        r == null
            ? null
            : new Rationale(r.cause(), r.consequence(), r.correctiveAction(), r.maxResponseTimeS()),
        spec.windowSOrZero(),
        spec.horizonSOrZero());
  }

  private static <E extends Enum<E>> E constant(
      Class<E> type, String name, String alarmId, String field) {
    if (name == null) {
      return null; // AlarmDefinition names the missing field
    }
    try {
      return Enum.valueOf(type, upper(name));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "alarm '" + alarmId + "': unknown " + field + " '" + name + "'", e);
    }
  }

  private static String upper(String s) {
    return s == null ? null : s.toUpperCase(Locale.ROOT);
  }
}
