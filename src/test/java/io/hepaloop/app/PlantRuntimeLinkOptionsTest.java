package io.hepaloop.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.device.DeviceLinkOptions;
import io.hepaloop.plant.PlantConfig;
import io.hepaloop.plant.PlantConfigLoader;
import io.hepaloop.plant.ReactorConfig;
import io.hepaloop.time.SystemClock;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PlantRuntimeLinkOptionsTest {
  @Test
  void inProductionEveryLinksHeartbeatFollowsItsReactorsController() {
    PlantConfig plant =
        PlantConfigLoader.load(
            Path.of("src/test/resources/plant/valid-two-simulated.yaml"), k -> null);
    for (ReactorConfig r : plant.reactors()) {
      DeviceLinkOptions o =
          PlantRuntime.linkOptions(r, Path.of("target/data"), SystemClock.INSTANCE);
      assertThat(o.heartbeat()).as(r.id()).isEqualTo(DeviceLinkOptions.HeartbeatSource.CONTROLLER);
    }
  }
}
