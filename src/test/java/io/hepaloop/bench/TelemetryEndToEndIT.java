package io.hepaloop.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.telemetry.InfluxConfig;
import io.hepaloop.telemetry.LocalInfluxd;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Simulated reactors over real OPC UA → device links → telemetry → a real influxd, at a small rate:
 * proves the counting the benchmark uses (every sample the links delivered is a point in InfluxDB).
 */
class TelemetryEndToEndIT {
  @TempDir Path dir;

  @Test
  void everySampleTheLinksDeliverFromSimulatedReactorsIsStored() throws Exception {
    DeviceProfile profile =
        ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));
    try (LocalInfluxd influxd = LocalInfluxd.launch()) {
      EndToEndRun.Result r =
          EndToEndRun.run(
              profile,
              4,
              10,
              Duration.ofSeconds(5),
              InfluxConfig.local(influxd.url(), "e2e"),
              influxd.pid(),
              dir,
              s -> {});
      // The rate is the benchmark's business (a loaded CI machine delivers less); here samples must
      // flow at all,
      // and every one of them must be stored.
      assertThat(r.receivedSamples())
          .as("samples delivered by the links (nominal %.0f/s)", r.nominalPerS())
          .isGreaterThan(100);
      assertThat(r.storedSamples()).isEqualTo(r.receivedSamples() - r.duplicates());
      assertThat(r.lost()).isZero();
      assertThat(r.dropped()).isZero();
    }
  }
}
