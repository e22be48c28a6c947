package io.hepaloop.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.control.LoopSnapshot;
import io.hepaloop.core.Quality;
import io.hepaloop.device.LinkState;
import io.hepaloop.device.Sample;
import io.hepaloop.device.SampleBatch;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveTableTest {
  private final DeviceProfile profile =
      ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));
  private final Instant t = Instant.parse("2026-11-25T12:00:00Z");

  private String rowOf(String rendered, String reactor) {
    return rendered.lines().filter(l -> l.startsWith(reactor + " ")).findFirst().orElseThrow();
  }

  @Test
  void showsGoodValuesPlainAndNeverPassesBadUncertainOrStaleOffAsGood() {
    LiveTable table = new LiveTable(profile, List.of("r1", "r2"));
    table.apply(
        new SampleBatch(
            "r1",
            List.of(
                new Sample("r1", "temperature", 37.04, "°C", t, Quality.GOOD),
                new Sample("r1", "do_inlet", 99.5, "mmHg", t, Quality.UNCERTAIN),
                new Sample("r1", "flow", 1.0, "mL/min", t, Quality.BAD))));
    table.apply(
        new SampleBatch(
            "r2", List.of(new Sample("r2", "temperature", 36.5, "°C", t, Quality.BAD, true))));
    table.apply(new LinkState("r2", LinkState.State.DISCONNECTED, t, "server gone"));

    String out = table.render(t);

    assertThat(out).contains("2 reactors").contains("temperature °C").contains("flow mL/min");
    String r1 = rowOf(out, "r1");
    assertThat(r1).contains("37.04").contains("99.50?").contains("BAD").doesNotContain("1.00");
    String r2 = rowOf(out, "r2");
    assertThat(r2).contains("DISCONNECTED").contains("~36.50");
  }

  @Test
  void showsEachLoopsSetpointAndModeNextToItsProcessValue() {
    LiveTable table = new LiveTable(profile, List.of("r1"));
    // the profile says which signal each loop controls
    table.apply(
        new SampleBatch(
            "r1", List.of(new Sample("r1", "temperature", 36.9, "°C", t, Quality.GOOD))));
    table.apply(
        new LoopSnapshot(
            "r1",
            "temperature",
            t,
            "AUTO",
            37.0,
            36.9,
            Quality.GOOD,
            40,
            3,
            37,
            0,
            0.0,
            false,
            false,
            null));

    assertThat(rowOf(table.render(t), "r1")).contains("36.90 [37.0 AUTO]");
  }

  @Test
  void
      reactorsOnDifferentProfilesShareTheirCommonColumnsAndStayBlankWhereTheirProfileHasNoSuchSignal() {
    DeviceProfile gateway = ProfileLoader.load(Path.of("device-profiles/plc-gateway-example.yaml"));
    Map<String, DeviceProfile> byReactor = new java.util.LinkedHashMap<>();
    byReactor.put("r1", profile);
    byReactor.put("skid2", gateway);
    LiveTable table = new LiveTable(byReactor);
    table.apply(
        new SampleBatch(
            "r1", List.of(new Sample("r1", "temperature_ambient", 23.1, "°C", t, Quality.GOOD))));
    table.apply(
        new SampleBatch(
            "skid2",
            List.of(
                new Sample("skid2", "temperature", 36.8, "°C", t, Quality.GOOD),
                new Sample(
                    "skid2",
                    "temperature_ambient",
                    99.0,
                    "°C",
                    t,
                    Quality.GOOD)))); // not its signal: never shown
    table.apply(
        new LoopSnapshot(
            "skid2",
            "temperature",
            t,
            "AUTO",
            37.0,
            36.8,
            Quality.GOOD,
            40,
            3,
            37,
            0,
            0.0,
            false,
            false,
            null));

    String out = table.render(t);
    String header = out.lines().filter(l -> l.startsWith("reactor ")).findFirst().orElseThrow();
    assertThat(header.split("temperature °C", -1)).as("one temperature column for both").hasSize(2);
    assertThat(header).contains("temperature_ambient °C");
    assertThat(rowOf(out, "r1")).contains("23.10");
    assertThat(rowOf(out, "skid2")).contains("36.80 [37.0 AUTO]").doesNotContain("99.00");
  }
}
