package io.hepaloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.bus.Addresses;
import io.hepaloop.bus.HepaEvent;
import io.hepaloop.control.LoopMode;
import io.hepaloop.control.LoopSettings;
import io.hepaloop.control.PidTuning;
import io.hepaloop.plant.PlantConfig;
import io.hepaloop.plant.PlantConfigWriter;
import io.hepaloop.plantstate.LoopSetting;
import io.hepaloop.plantstate.LoopSettingsStore;
import io.hepaloop.store.Store;
import io.hepaloop.time.ManualClock;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application side of kept loop settings over a real database: what a controller publishes is
 * saved whole, and comes back for the configured reactors; a reactor no longer in the plant is
 * skipped with a warning event.
 */
class LoopSettingsKeeperTest {
  @TempDir Path data;

  PlantConfig plant() throws Exception {
    return PlantConfigWriter.writeSimulated(
        data.resolve("hepaloop.yaml"),
        data,
        Path.of("device-profiles/liver-perfusion-bioreactor.yaml"),
        Map.of("r1", "opc.tcp://127.0.0.1:4840/unused"));
  }

  @Test
  void publishedSettingsAreSavedWholeAndLoadedBackForConfiguredReactorsOnly() throws Exception {
    ManualClock clock = new ManualClock();
    PidTuning tuning = new PidTuning(4.5, 300, 10, 0.8, 0.1, 8, 20, 2);
    LoopSettings temperature =
        new LoopSettings(
            "r1",
            "temperature",
            LoopMode.MANUAL,
            37.5,
            null,
            42.0,
            Map.of("main", tuning),
            "ann",
            Instant.parse("2026-11-30T10:15:00Z"));
    Vertx vertx = Vertx.vertx();
    try (Store store = Store.open(data)) {
      LoopSettingsKeeper keeper = new LoopSettingsKeeper(store, clock);
      keeper.start(vertx, List.of("r1")).await(10, TimeUnit.SECONDS);
      vertx.eventBus().publish(Addresses.loopSettings("r1"), temperature);
      LoopSettingsStore direct = new LoopSettingsStore(store);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> direct.load("r1").containsKey("temperature"));
      direct.save( // a reactor taken out of the plant since
          new LoopSetting("r9", "flow", "AUTO", 1.0, null, null, Map.of(), "bob", clock.now()));
      direct.close();
      keeper.close();

      LoopSettingsKeeper next = new LoopSettingsKeeper(store, clock);
      Map<String, List<LoopSettings>> loaded = next.load(plant());
      assertThat(loaded).containsOnlyKeys("r1");
      assertThat(loaded.get("r1")).containsExactly(temperature);
      List<HepaEvent> events = new CopyOnWriteArrayList<>();
      vertx.eventBus().<HepaEvent>localConsumer(Addresses.EVENTS, m -> events.add(m.body()));
      next.start(vertx, List.of("r1")).await(10, TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  events.stream()
                      .anyMatch(
                          e ->
                              e.severity().equals("warning")
                                  && e.message().contains("reactor r9")
                                  && e.message().contains("no longer in the plant")));
      next.close();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
