package io.hepaloop.app;

import io.hepaloop.control.LoopMode;
import io.hepaloop.control.LoopSettings;
import io.hepaloop.control.PidTuning;
import io.hepaloop.plantstate.LoopSetting;
import io.hepaloop.plantstate.LoopTuning;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Between the control loop's settings ({@link LoopSettings}, with {@link PidTuning}) and the stored
 * record of plain numbers ({@link LoopSetting}, {@link LoopTuning}): plantstate knows nothing of
 * control, so the application maps.
 */
final class LoopSettingsMapping {
  private LoopSettingsMapping() {}

  static LoopSetting toStored(LoopSettings s) {
    Map<LoopSetting.Controller, LoopTuning> tunings = new EnumMap<>(LoopSetting.Controller.class);
    s.tunings()
        .forEach(
            (name, t) ->
                tunings.put(
                    LoopSetting.Controller.valueOf(name.toUpperCase(Locale.ROOT)),
                    new LoopTuning(
                        t.gain(),
                        t.integralTimeS(),
                        t.derivativeTimeS(),
                        t.setpointWeightP(),
                        t.setpointWeightD(),
                        t.derivativeFilterN(),
                        t.trackingTimeS(),
                        t.outputRateLimitPerS())));
    return new LoopSetting(
        s.reactorId(),
        s.loopId(),
        s.mode() == null ? null : s.mode().name(),
        s.setpoint(),
        s.cascadeSetpoint(),
        s.manualOutput(),
        tunings,
        s.changedBy(),
        s.changedAt());
  }

  static LoopSettings fromStored(LoopSetting s) {
    Map<String, PidTuning> tunings = new LinkedHashMap<>();
    s.tunings()
        .forEach(
            (c, t) ->
                tunings.put(
                    c.id(),
                    new PidTuning(
                        t.gain(),
                        t.integralTimeS(),
                        t.derivativeTimeS(),
                        t.setpointWeightP(),
                        t.setpointWeightD(),
                        t.derivativeFilterN(),
                        t.trackingTimeS(),
                        t.outputRateLimitPerS())));
    return new LoopSettings(
        s.reactorId(),
        s.loopId(),
        s.mode() == null ? null : LoopMode.valueOf(s.mode()),
        s.setpoint(),
        s.cascadeSetpoint(),
        s.manualOutput(),
        tunings,
        s.changedBy(),
        s.changedAt());
  }
}
