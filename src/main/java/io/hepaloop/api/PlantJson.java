package io.hepaloop.api;

import io.hepaloop.alarm.AlarmHealth;
import io.hepaloop.alarm.AlarmTransition;
import io.hepaloop.bus.HepaEvent;
import io.hepaloop.control.LoopSnapshot;
import io.hepaloop.control.PidTuning;
import io.hepaloop.device.LinkState;
import io.hepaloop.device.Sample;
import io.hepaloop.profile.Range;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * The JSON shapes of the plant and alarm API, in one place so REST answers and SSE events agree.
 * Numbers that are not finite (a value never received) become {@code null}: JSON has no NaN.
 */
public final class PlantJson {
  private PlantJson() {}

  /** A finite number, or null. */
  public static Double num(double v) {
    return Double.isFinite(v) ? v : null;
  }

  static String time(Instant t) {
    return t == null ? null : t.toString();
  }

  public static JsonObject range(Range r) {
    return r == null ? null : new JsonObject().put("min", num(r.min())).put("max", num(r.max()));
  }

  public static JsonObject link(LinkState s) {
    if (s == null) {
      return null;
    }
    return new JsonObject()
        .put("state", s.state().name())
        .put("since", time(s.since()))
        .put("reason", s.reason());
  }

  public static JsonObject sample(Sample s) {
    return new JsonObject()
        .put("signal", s.signalId())
        .put("value", num(s.value()))
        .put("unit", s.unit())
        .put("quality", s.quality() == null ? null : s.quality().name())
        .put("stale", s.stale())
        .put("time", time(s.sourceTime()));
  }

  public static JsonArray samples(Collection<Sample> samples) {
    JsonArray a = new JsonArray();
    samples.forEach(s -> a.add(sample(s)));
    return a;
  }

  public static JsonObject snapshot(LoopSnapshot s) {
    if (s == null) {
      return null;
    }
    return new JsonObject()
        .put("reactorId", s.reactorId())
        .put("loopId", s.loopId())
        .put("time", time(s.time()))
        .put("mode", s.mode())
        .put("setpoint", num(s.setpoint()))
        .put("pv", num(s.pv()))
        .put("pvQuality", s.pvQuality() == null ? null : s.pvQuality().name())
        .put("output", num(s.output()))
        .put("pTerm", num(s.pTerm()))
        .put("iTerm", num(s.iTerm()))
        .put("dTerm", num(s.dTerm()))
        .put("ffTerm", num(s.ffTerm()))
        .put("saturated", s.saturated())
        .put("overrideActive", s.overrideActive())
        .put("interlock", s.interlock());
  }

  public static JsonObject tuning(PidTuning t) {
    return new JsonObject()
        .put("gain", t.gain())
        .put("integralTimeS", t.integralTimeS())
        .put("derivativeTimeS", t.derivativeTimeS())
        .put("setpointWeightP", t.setpointWeightP())
        .put("setpointWeightD", t.setpointWeightD())
        .put("derivativeFilterN", t.derivativeFilterN())
        .put("trackingTimeS", t.trackingTimeS())
        .put("outputRateLimitPerS", t.outputRateLimitPerS());
  }

  public static JsonObject tunings(Map<String, PidTuning> byController) {
    JsonObject o = new JsonObject();
    byController.forEach((k, v) -> o.put(k, tuning(v)));
    return o;
  }

  public static JsonObject event(HepaEvent e) {
    return new JsonObject()
        .put("time", time(e.time()))
        .put("reactorId", e.reactorId())
        .put("type", e.type())
        .put("source", e.source())
        .put("severity", e.severity())
        .put("message", e.message());
  }

  public static JsonObject transition(AlarmTransition t) {
    return new JsonObject()
        .put("time", time(t.time()))
        .put("reactorId", t.reactorId())
        .put("alarmId", t.alarmId())
        .put("from", t.from() == null ? null : t.from().name())
        .put("to", t.to() == null ? null : t.to().name())
        .put("priority", t.priority() == null ? null : t.priority().name())
        .put("value", num(t.value()))
        .put("limit", num(t.limit()))
        .put("user", t.actor() == null ? null : t.actor().name())
        .put("comment", t.comment())
        .put("message", t.message());
  }

  public static JsonObject alarm(AlarmAccess.AlarmView a) {
    JsonObject o =
        new JsonObject()
            .put("reactorId", a.reactorId())
            .put("alarmId", a.alarmId())
            .put("kind", a.kind() == null ? null : a.kind().name())
            .put("source", a.source())
            .put("priority", a.priority() == null ? null : a.priority().name())
            .put("state", a.state() == null ? null : a.state().name())
            .put("limit", num(a.limit()))
            .put("latched", a.latched())
            .put("shelvedUntil", time(a.shelvedUntil()));
    if (a.live() != null) {
      o.put("value", num(a.live().value()))
          .put("activeSince", time(a.live().activeSince()))
          .put("lastChange", time(a.live().lastChange()))
          .put("acknowledgedBy", a.live().acknowledgedBy())
          .put("acknowledgeComment", a.live().acknowledgeComment())
          .put("message", a.live().message());
    }
    if (a.maxShelve() != null) {
      o.put("maxShelveS", a.maxShelve().toMillis() / 1000.0);
    }
    if (a.rationale() != null) {
      o.put(
          "rationale",
          new JsonObject()
              .put("cause", a.rationale().cause())
              .put("consequence", a.rationale().consequence())
              .put("correctiveAction", a.rationale().correctiveAction())
              .put("maxResponseTimeS", num(a.rationale().maxResponseTimeS())));
    }
    return o;
  }

  public static JsonObject health(AlarmHealth.Figures f) {
    JsonArray chattering = new JsonArray();
    for (AlarmHealth.Chattering c : f.chattering()) {
      chattering.add(
          new JsonObject()
              .put("reactorId", c.reactorId())
              .put("alarmId", c.alarmId())
              .put("activationsLastMinute", c.activationsLastMinute())
              .put("hint", c.hint()));
    }
    return new JsonObject()
        .put("scope", f.scope())
        .put("activationsLast10Min", f.activationsLast10Min())
        .put("flood", f.flood())
        .put("chattering", chattering)
        .put("staleCount", f.staleCount())
        .put("shelvedCount", f.shelvedCount());
  }
}
