package io.hepaloop.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.cli.HepaLoop;
import io.hepaloop.plant.PlantConfigWriter;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.sim.Simulator;
import io.hepaloop.sim.SimulatorOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies {@code hepaloop tune} against a live simulated reactor over OPC UA (accelerated ×20).
 */
class TuneCommandIT {

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void tuneRunsTheRelayTestOnALiveReactorNamedInThePlantConfigAndPrintsATyreusLuybenProposal(
      @TempDir Path tmp) throws Exception {
    DeviceProfile profile =
        ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));
    try (Simulator sim =
        Simulator.start(
            SimulatorOptions.builder().profile(profile).reactorIds("r1", "r2").speed(20).build())) {
      // the second reactor is the one tuned: the config, not a default, says where it is
      Path config = tmp.resolve("plant.yaml");
      PlantConfigWriter.writeSimulated(
          config,
          tmp.resolve("data"),
          Path.of("device-profiles/liver-perfusion-bioreactor.yaml"),
          Map.of("r1", sim.endpointUrl("r1"), "r2", sim.endpointUrl("r2")));
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      PrintStream old = System.out;
      PrintStream oldErr = System.err;
      int rc;
      try {
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        rc =
            HepaLoop.commandLine()
                .execute(
                    "tune",
                    "--standalone",
                    "--config",
                    config.toString(),
                    "--reactor",
                    "r2",
                    "--loop",
                    "temperature",
                    "--speed",
                    "20",
                    "--settle-s",
                    "60");
      } finally {
        System.setOut(old);
        System.setErr(oldErr);
      }
      String out = buf.toString(StandardCharsets.UTF_8);
      System.out.println(out);
      assertThat(rc).as(out).isZero();
      assertThat(out)
          .contains("Tyreus-Luyben PID")
          .contains("Auto-tune of loop temperature started");
      Matcher m = Pattern.compile("ultimate period Pu = ([0-9.]+) s").matcher(out);
      assertThat(m.find()).as(out).isTrue();
      // the same plant as the harness (where Pu ≈ 90 s); OPC UA sampling at ×20 adds some delay
      assertThat(Double.parseDouble(m.group(1))).isBetween(50.0, 250.0);
      // the relay kept the temperature within its abort band and left the heater where it was
      assertThat(sim.reactor("r2").model().temperatureC()).isBetween(36.4, 37.6);
      assertThat(out).contains("reactor r2").contains(sim.endpointUrl("r2"));
    }
  }
}
