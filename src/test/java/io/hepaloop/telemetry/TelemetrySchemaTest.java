package io.hepaloop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.bus.HepaEvent;
import io.hepaloop.control.LoopSnapshot;
import io.hepaloop.core.Quality;
import io.hepaloop.device.LinkState;
import io.hepaloop.device.Sample;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TelemetrySchemaTest {
  private static final Instant T = Instant.ofEpochSecond(1_700_000_000L, 123_456_789);

  @Test
  void aGoodSampleIsWrittenAsValueWithItsQuality() {
    String l =
        TelemetrySchema.sample(
            new Sample("r1", "temperature", 37.05, "°C", T, Quality.GOOD), "run-1");
    assertThat(l)
        .isEqualTo(
            "sample,reactor=r1,run=run-1,group=thermal,signal=temperature value=37.05,quality=\"GOOD\",stale=f 1700000000123456789");
  }

  @Test
  void aBadValueIsNeverWrittenAsValue() {
    String l =
        TelemetrySchema.sample(new Sample("r1", "do_inlet", 12.0, "mmHg", T, Quality.BAD), "none");
    assertThat(l)
        .contains("suspect_value=12.0")
        .doesNotContain(" value=")
        .contains("quality=\"BAD\"");
    String stale =
        TelemetrySchema.sample(
            new Sample("r1", "do_inlet", 12.0, "mmHg", T, Quality.GOOD, true), "none");
    assertThat(stale).contains("suspect_value=12.0").contains("stale=t");
  }

  @Test
  void aNaNBecomesAGapWithItsQualityNotANumber() {
    String l =
        TelemetrySchema.sample(
            new Sample("r1", "flow", Double.NaN, "mL/min", T, Quality.BAD), "none");
    assertThat(l).doesNotContain("value=").doesNotContain("NaN").contains("quality=\"BAD\"");
  }

  @Test
  void tagsAndStringsAreEscaped() {
    String l =
        new LineBuilder("m x")
            .tag("a,b", "c=d e")
            .tap(b -> b.stringField("s", "say \"hi\" \\ now"))
            .time(T);
    assertThat(l)
        .isEqualTo("m\\ x,a\\,b=c\\=d\\ e s=\"say \\\"hi\\\" \\\\ now\" 1700000000123456789");
  }

  @Test
  void loopSnapshotsCarryModeOutputsAndInterlock() {
    LoopSnapshot s =
        new LoopSnapshot(
            "r1",
            "temperature",
            T,
            "AUTO",
            37.0,
            36.9,
            Quality.GOOD,
            42.5,
            3.0,
            39.5,
            0.0,
            -2.5,
            false,
            false,
            "temperature_high_high");
    String l = TelemetrySchema.loop(s, "run-1");
    assertThat(l)
        .startsWith("loop,reactor=r1,run=run-1,loop=temperature ")
        .contains(
            "setpoint=37.0",
            "pv=36.9",
            "output=42.5",
            "ff=-2.5",
            "mode=\"AUTO\"",
            "mode_code=2i",
            "interlock_active=t",
            "interlock=\"temperature_high_high\"");
  }

  @Test
  void linkStatesAndEventsHaveTheirMeasurements() {
    assertThat(
            TelemetrySchema.link(
                new LinkState("r1", LinkState.State.DISCONNECTED, T, "timeout"), "none"))
        .isEqualTo(
            "link,reactor=r1,run=none state=\"DISCONNECTED\",state_code=2i,connected=f,reason=\"timeout\" 1700000000123456789");
    assertThat(
            TelemetrySchema.event(
                new HepaEvent(
                    T,
                    null,
                    "interlock",
                    "temperature_high_high",
                    "critical",
                    "Heater off: 39.2 °C"),
                "none"))
        .startsWith(
            "events,reactor=plant,run=none,type=interlock,severity=critical title=\"interlock temperature_high_high\",text=\"Heater off: 39.2 °C\"");
  }
}
