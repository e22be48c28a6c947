package io.hepaloop.control;

import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.LoopSpec;
import io.hepaloop.profile.Range;
import io.hepaloop.profile.SignalSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Which settings of each loop were changed at run time (by a command, an accepted auto-tune, or a
 * restore of such a change), so that {@link LoopSettings} carries those and leaves the rest to the
 * device profile; and the restore at start, validated as a command would be. Runs on the reactor's
 * control thread like {@link ReactorControl}, which owns it.
 */
final class RuntimeSettings {
  static final String MODE = "mode";
  static final String SETPOINT = "setpoint";
  static final String CASCADE_SETPOINT = "cascadeSetpoint";
  static final String MANUAL_OUTPUT = "manualOutput";
  static final List<String> CONTROLLERS = List.of("main", "override", "cascade");

  /** An event the restore raises: severity and message, about one loop. */
  record Notice(String loopId, String severity, String message) {}

  private final String reactorId;
  private final DeviceProfile profile;
  private final Function<String, ControlLoop> loops;
  private final Map<String, Set<String>> changed = new HashMap<>();

  RuntimeSettings(String reactorId, DeviceProfile profile, Function<String, ControlLoop> loops) {
    this.reactorId = reactorId;
    this.profile = profile;
    this.loops = loops;
  }

  /** Notes which setting an applied command changed; null for a command that is no loop's. */
  String markChanged(ControlCommand c) {
    if (c instanceof ControlCommand.SetSetpoint s) {
      return mark(s.loopId(), SETPOINT);
    } else if (c instanceof ControlCommand.SetCascadeSetpoint s) {
      return mark(s.loopId(), CASCADE_SETPOINT);
    } else if (c instanceof ControlCommand.SetMode s) {
      return mark(s.loopId(), MODE);
    } else if (c instanceof ControlCommand.SetManualOutput s) {
      return mark(s.loopId(), MANUAL_OUTPUT);
    } else if (c instanceof ControlCommand.SetTuning s) {
      return mark(s.loopId(), s.controller() == null ? "main" : s.controller());
    }
    return null;
  }

  /** Marks one setting of a loop changed; returns the loop id. */
  String mark(String loopId, String what) {
    changed.computeIfAbsent(loopId, k -> new LinkedHashSet<>()).add(what);
    return loopId;
  }

  /**
   * The loop's run-time settings now, whole: the current value of everything changed at run time.
   * In MANUAL the output held is always part of it (it is what the loop does).
   */
  LoopSettings current(String loopId, String actor, Instant at) {
    ControlLoop loop = loops.apply(loopId);
    Set<String> c = changed.getOrDefault(loopId, Set.of());
    Map<String, PidTuning> tunings = new LinkedHashMap<>();
    for (String name : CONTROLLERS) {
      if (c.contains(name) && loop.controller(name) != null) {
        tunings.put(name, loop.controller(name).tuning());
      }
    }
    boolean manual = c.contains(MANUAL_OUTPUT) || loop.mode() == LoopMode.MANUAL;
    return new LoopSettings(
        reactorId,
        loopId,
        c.contains(MODE) ? loop.mode() : null,
        c.contains(SETPOINT) ? loop.operatorSetpoint() : null,
        c.contains(CASCADE_SETPOINT) && loop.outerPid() != null ? loop.cascadeSetpoint() : null,
        manual ? loop.pid().manualOutput() : null,
        tunings,
        actor,
        at);
  }

  /**
   * Applies settings kept from before a restart, before the loops first execute. Each value is
   * checked as a command would be: one outside the profile's limits now is refused (not clamped)
   * and named in a warning; a loop no longer in the profile is skipped with a warning. Returns the
   * events to raise: one per restored loop, one per refusal.
   */
  List<Notice> restore(List<LoopSettings> stored) {
    List<Notice> notices = new ArrayList<>();
    for (LoopSettings s : stored) {
      String from = "from " + s.changedAt() + " by " + s.changedBy();
      ControlLoop loop = loops.apply(s.loopId());
      if (loop == null) {
        notices.add(
            new Notice(
                s.loopId(),
                "warning",
                "Stored settings of loop "
                    + s.loopId()
                    + " ("
                    + from
                    + ") skipped: reactor "
                    + reactorId
                    + "'s profile has no such loop."));
        continue;
      }
      notices.addAll(restoreLoop(loop, s, from));
    }
    return notices;
  }

  private List<Notice> restoreLoop(ControlLoop loop, LoopSettings s, String from) {
    List<Notice> out = new ArrayList<>();
    LoopSpec spec = loop.spec();
    List<String> applied = new ArrayList<>();
    Double sp =
        within(
            out, loop, from, "setpoint", s.setpoint(), spec.setpointLimits(), spec.pv(), SETPOINT);
    Double cascadeSp = null;
    if (s.cascadeSetpoint() != null && spec.cascade() == null) {
      refuse(out, loop, from, "cascade setpoint " + fmt(s.cascadeSetpoint()), "it has no cascade");
    } else if (spec.cascade() != null) {
      cascadeSp =
          within(
              out,
              loop,
              from,
              "cascade setpoint",
              s.cascadeSetpoint(),
              spec.cascade().setpointLimits(),
              spec.cascade().pv(),
              CASCADE_SETPOINT);
    }
    Double manual =
        within(
            out,
            loop,
            from,
            "manual output",
            s.manualOutput(),
            loop.outputRange(),
            spec.output(),
            MANUAL_OUTPUT);
    LoopMode mode = s.mode();
    if (mode == LoopMode.CASCADE && spec.cascade() == null) {
      refuse(out, loop, from, "mode CASCADE", "it has no cascade");
      mode = null;
    }
    loop.restore(mode, sp, cascadeSp, manual);
    if (mode != null) {
      mark(loop.id(), MODE);
      applied.add("mode " + mode);
    }
    if (sp != null) {
      applied.add("setpoint " + fmt(sp) + " " + unit(spec.pv()));
    }
    if (cascadeSp != null) {
      applied.add("cascade setpoint " + fmt(cascadeSp) + " " + unit(spec.cascade().pv()));
    }
    if (manual != null) {
      applied.add("manual output " + fmt(manual) + " " + unit(spec.output()));
    }
    for (Map.Entry<String, PidTuning> t : s.tunings().entrySet()) {
      Pid pid = loop.controller(t.getKey());
      if (pid == null) {
        refuse(out, loop, from, t.getKey() + " tuning", "it has no such controller");
        continue;
      }
      pid.setTuning(t.getValue());
      mark(loop.id(), t.getKey());
      applied.add(
          String.format(
              Locale.ROOT,
              "%s tuning K=%.4g Ti=%.4g s Td=%.4g s",
              t.getKey(),
              t.getValue().gain(),
              t.getValue().integralTimeS(),
              t.getValue().derivativeTimeS()));
    }
    if (!applied.isEmpty()) {
      out.add(
          0,
          new Notice(
              loop.id(),
              "info",
              "Loop "
                  + loop.id()
                  + " settings restored "
                  + from
                  + ": "
                  + String.join(", ", applied)
                  + "; the loop starts from the actuator read-back."));
    }
    return out;
  }

  /** The stored value when within {@code limits} (marked as changed), else null and a warning. */
  private Double within(
      List<Notice> out,
      ControlLoop loop,
      String from,
      String what,
      Double value,
      Range limits,
      String signal,
      String key) {
    if (value == null) {
      return null;
    }
    if (!Double.isFinite(value) || !limits.contains(value)) {
      refuse(
          out,
          loop,
          from,
          what + " " + fmt(value) + " " + unit(signal),
          "outside its allowed range " + limits + " " + unit(signal) + " now");
      return null;
    }
    mark(loop.id(), key);
    return value;
  }

  private void refuse(List<Notice> out, ControlLoop loop, String from, String what, String why) {
    out.add(
        new Notice(
            loop.id(),
            "warning",
            "Loop "
                + loop.id()
                + ": stored "
                + what
                + " ("
                + from
                + ") not restored: "
                + why
                + "; the profile's value applies."));
  }

  private String unit(String signalId) {
    return profile.signal(signalId).map(SignalSpec::unit).orElse("");
  }

  private static String fmt(double v) {
    return ReactorControl.fmt(v);
  }
}
