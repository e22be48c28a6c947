package io.hepaloop.telemetry;

import io.hepaloop.bus.HepaEvent;
import io.hepaloop.control.LoopSnapshot;
import io.hepaloop.core.Quality;
import io.hepaloop.device.LinkState;
import io.hepaloop.device.Sample;
import java.time.Instant;

/**
 * The InfluxDB schema, as code: one method per measurement. docs/telemetry.md documents the same,
 * and the dashboard test checks that every dashboard query names a field written here.
 *
 * <p>Rule: {@code value} holds only usable values (Good, not stale, finite). A value of any other
 * quality goes to {@code suspect_value}, so a query on {@code value} can never take a bad value as
 * good, and a NaN is no field at all (a gap stays a gap); {@code quality} is written for every
 * sample.
 */
public final class TelemetrySchema {
  public static final String SAMPLE = "sample";
  public static final String LOOP = "loop";
  public static final String LINK = "link";
  public static final String OUR = "our";
  public static final String EVENTS = "events";

  /** Run tag value when no run is active on the reactor. */
  public static final String NO_RUN = "none";

  private TelemetrySchema() {}

  /**
   * {@code sample,reactor=R,run=X,group=G,signal=S value=..|suspect_value=..,quality="GOOD",stale=f
   * T}
   */
  public static String sample(Sample s, String run) {
    LineBuilder b =
        new LineBuilder(SAMPLE)
            .tag("reactor", s.reactorId())
            .tag("run", run)
            .tag("group", SignalGroups.of(s.signalId()))
            .tag("signal", s.signalId());
    if (s.usable()) {
      b.field("value", s.value());
    } else {
      b.field("suspect_value", s.value());
    }
    b.stringField("quality", (s.quality() == null ? Quality.BAD : s.quality()).name());
    b.boolField("stale", s.stale());
    return b.time(s.sourceTime());
  }

  /**
   * {@code loop,reactor=R,run=X,loop=L
   * setpoint=..,pv=..,output=..,p=..,i=..,d=..,ff=..,mode="AUTO",...}
   */
  public static String loop(LoopSnapshot l, String run) {
    LineBuilder b =
        new LineBuilder(LOOP).tag("reactor", l.reactorId()).tag("run", run).tag("loop", l.loopId());
    b.field("setpoint", l.setpoint());
    boolean pvGood = l.pvQuality() == Quality.GOOD;
    b.field(pvGood ? "pv" : "suspect_pv", l.pv());
    b.stringField("pv_quality", (l.pvQuality() == null ? Quality.BAD : l.pvQuality()).name());
    b.field("output", l.output());
    b.field("p", l.pTerm());
    b.field("i", l.iTerm());
    b.field("d", l.dTerm());
    b.field("ff", l.ffTerm());
    b.stringField("mode", l.mode() == null ? "UNKNOWN" : l.mode());
    b.intField("mode_code", modeCode(l.mode()));
    b.boolField("saturated", l.saturated());
    b.boolField("override_active", l.overrideActive());
    b.boolField("interlock_active", l.interlock() != null);
    b.stringField("interlock", l.interlock() == null ? "" : l.interlock());
    return b.time(l.time());
  }

  /** OFF=0, MANUAL=1, AUTO=2, CASCADE=3, other=-1: a number Grafana can plot as a step. */
  public static int modeCode(String mode) {
    if (mode == null) {
      return -1;
    }
    return switch (mode) {
      case "OFF" -> 0;
      case "MANUAL" -> 1;
      case "AUTO" -> 2;
      case "CASCADE" -> 3;
      default -> -1;
    };
  }

  /** {@code link,reactor=R,run=X state="CONNECTED",state_code=1i,connected=t,reason=".."} */
  public static String link(LinkState s, String run) {
    return new LineBuilder(LINK)
        .tag("reactor", s.reactorId())
        .tag("run", run)
        .stringField("state", s.state().name())
        .intField("state_code", s.state().ordinal())
        .boolField("connected", s.state() == LinkState.State.CONNECTED)
        .stringField("reason", s.reason() == null ? "" : s.reason())
        .time(s.since());
  }

  /**
   * {@code our,reactor=R,run=X
   * our_nmol_per_min=..,our_per_1e6_cells_nmol_per_min=..,quality="GOOD"}
   */
  public static String our(String reactorId, String run, Instant time, OxygenUptake.Result r) {
    LineBuilder b = new LineBuilder(OUR).tag("reactor", reactorId).tag("run", run);
    if (r.quality() == Quality.GOOD) {
      b.field("our_nmol_per_min", r.ourNmolPerMin());
      b.field("our_per_1e6_cells_nmol_per_min", r.ourPerMillionCellsNmolPerMin());
    } else {
      b.field("suspect_our_nmol_per_min", r.ourNmolPerMin());
    }
    b.stringField("quality", r.quality().name());
    return b.time(time);
  }

  /**
   * {@code events,reactor=R,type=T,severity=S title="..",text="..",source=".."}: Grafana
   * annotations read {@code text} and {@code title}; tags stay few (type and severity are small
   * fixed sets).
   */
  public static String event(HepaEvent e, String run) {
    return new LineBuilder(EVENTS)
        .tag("reactor", e.reactorId() == null ? "plant" : e.reactorId())
        .tag("run", run)
        .tag("type", e.type())
        .tag("severity", e.severity())
        .stringField("title", e.type() + " " + (e.source() == null ? "" : e.source()))
        .stringField("text", e.message() == null ? "" : e.message())
        .stringField("source", e.source() == null ? "" : e.source())
        .time(e.time());
  }
}
