package io.hepaloop.report;

import io.hepaloop.profile.AlarmSpec;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.LoopSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The band around its setpoint within which a loop counts as "in band" for the report. The
 * profile's own judgement comes first: a loop with a {@code deviation} alarm is in band while |PV -
 * SP| is at most that alarm's limit (beyond it, the plant would alarm). A loop without one gets
 * {@value #DEFAULT_FRACTION_OF_SETPOINT_RANGE} of its setpoint range (setpointLimits max - min),
 * e.g. 0.18 °C for a 30-39 °C temperature loop: an absolute width, so the band does not shrink to
 * nothing at a setpoint near zero.
 */
public final class LoopBands {
  /** Half width of the default band, as a fraction of the loop's setpoint range. */
  public static final double DEFAULT_FRACTION_OF_SETPOINT_RANGE = 0.02;

  private LoopBands() {}

  /** A loop's band: in band while |PV - SP| ≤ {@code halfWidth}. */
  public record Band(String loopId, double halfWidth, String source) {}

  /** One band per loop of {@code profile}, in the profile's loop order. */
  public static List<Band> of(DeviceProfile profile) {
    List<Band> out = new ArrayList<>();
    for (LoopSpec loop : profile.loops()) {
      AlarmSpec deviation =
          profile.alarms().stream()
              .filter(a -> a.kind().equals("deviation") && loop.id().equals(a.source()))
              .filter(a -> a.limit() != null && a.limit() > 0)
              .findFirst()
              .orElse(null);
      if (deviation != null) {
        out.add(
            new Band(loop.id(), deviation.limit(), "deviation alarm " + deviation.id() + " limit"));
      } else {
        double span = loop.setpointLimits().max() - loop.setpointLimits().min();
        out.add(
            new Band(
                loop.id(),
                DEFAULT_FRACTION_OF_SETPOINT_RANGE * span,
                Math.round(DEFAULT_FRACTION_OF_SETPOINT_RANGE * 100)
                    + " % of the setpoint range "
                    + loop.setpointLimits().min()
                    + ".."
                    + loop.setpointLimits().max()));
      }
    }
    return out;
  }
}
