package io.hepaloop.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.control.LoopSnapshot;
import io.hepaloop.device.LinkState;
import io.hepaloop.device.Quality;
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
  private final DeviceProfile profile = ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));
  private final Instant t = Instant.parse("2026-11-25T12:00:00Z");

  private String rowOf(String rendered, String reactor) {
    return rendered.lines().filter(l -> l.startsWith(reactor + " ")).findFirst().orElseThrow();
  }

  @Test
  void showsGoodValuesPlainAndNeverPassesBadUncertainOrStaleOffAsGood() {
    LiveTable table = new LiveTable(profile, List.of("r1", "r2"));
    table.apply(new SampleBatch("r1", List.of(
        new Sample("r1", "temperature", 37.04, "°C", t, Quality.GOOD),
        new Sample("r1", "do_inlet", 99.5, "mmHg", t, Quality.UNCERTAIN),
        new Sample("r1", "flow", 1.0, "mL/min", t, Quality.BAD))));
    table.apply(new SampleBatch("r2", List.of(new Sample("r2", "temperature", 36.5, "°C", t, Quality.BAD, true))));
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
    table.loopPvs(Map.of("temperature", "temperature"));
    table.apply(new SampleBatch("r1", List.of(new Sample("r1", "temperature", 36.9, "°C", t, Quality.GOOD))));
    table.apply(new LoopSnapshot("r1", "temperature", t, "AUTO", 37.0, 36.9, Quality.GOOD, 40, 3, 37, 0, 0.0, false, false, null));

    assertThat(rowOf(table.render(t), "r1")).contains("36.90 [37.0 AUTO]");
  }
}
