package io.hepaloop.plantstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hepaloop.plantstate.LoopSetting.Controller;
import io.hepaloop.store.Store;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loop settings changed at run time, on a real SQLite file, across a restart. */
class LoopSettingsStoreTest {
  @TempDir Path tmp;

  static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");

  static LoopSetting setting(String reactor, String loop, double setpoint, int version) {
    return new LoopSetting(
        reactor,
        loop,
        "auto",
        setpoint,
        null,
        null,
        Map.of(Controller.MAIN, LoopTuning.of(2.0 + version, 60, 0)),
        "alice",
        T0.plusSeconds(version));
  }

  @Test
  void theLatestSaveOfEachLoopComesBackAfterARestart() {
    LoopSetting cascade =
        new LoopSetting(
            "r1",
            "do",
            "CASCADE",
            40.0,
            35.5,
            12.5,
            Map.of(
                Controller.MAIN,
                new LoopTuning(1.5, 120, 4, 0.8, 0.1, 8, 30, 2.5),
                Controller.CASCADE,
                LoopTuning.of(0.5, 600, 0)),
            "erin",
            T0.plusNanos(123_456_789));
    try (Store store = Store.open(tmp);
        LoopSettingsStore settings = new LoopSettingsStore(store)) {
      for (int v = 0; v < 200; v++) {
        settings.save(setting("r1", "temp", 36.0 + v / 100.0, v));
      }
      settings.save(cascade);
      settings.save(setting("r2", "temp", 30, 0));
    }
    try (Store store = Store.open(tmp);
        LoopSettingsStore settings = new LoopSettingsStore(store)) {
      Map<String, LoopSetting> r1 = settings.load("r1");
      assertThat(r1).containsOnlyKeys("do", "temp");
      assertThat(r1.get("temp")).isEqualTo(setting("r1", "temp", 36.0 + 199 / 100.0, 199));
      assertThat(r1.get("temp").mode()).isEqualTo("AUTO");
      assertThat(r1.get("do")).isEqualTo(cascade);
      assertThat(settings.load("r2").get("temp").setpoint()).isEqualTo(30.0);
      assertThat(settings.load("r3")).isEmpty();
    }
  }

  @Test
  void aSaveReplacesTheWholeSettingIncludingTuningsNoLongerChanged() {
    try (Store store = Store.open(tmp);
        LoopSettingsStore settings = new LoopSettingsStore(store)) {
      settings.save(
          new LoopSetting(
              "r1",
              "ph",
              "MANUAL",
              null,
              null,
              20.0,
              Map.of(
                  Controller.MAIN,
                  LoopTuning.of(1, 1, 0),
                  Controller.OVERRIDE,
                  LoopTuning.of(3, 3, 0)),
              "bob",
              T0));
      assertThat(settings.load("r1").get("ph").tunings()).hasSize(2);
      LoopSetting later =
          new LoopSetting("r1", "ph", "AUTO", 7.2, null, null, Map.of(), "bob", T0.plusSeconds(60));
      settings.save(later);
      assertThat(settings.load("r1").get("ph")).isEqualTo(later);
      assertThat(settings.load("r1").get("ph").manualOutput())
          .as("never changed at run time: the profile's applies")
          .isNull();
    }
  }

  @Test
  void concurrentSavesOfDifferentLoopsAllArrive() throws Exception {
    try (Store store = Store.open(tmp);
        LoopSettingsStore settings = new LoopSettingsStore(store)) {
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        String reactor = "r" + w;
        Thread t =
            new Thread(
                () -> {
                  for (int i = 0; i < 500; i++) {
                    settings.save(setting(reactor, "loop" + (i % 25), i, i));
                  }
                });
        t.start();
        threads.add(t);
      }
      for (Thread t : threads) {
        t.join(60_000);
      }
      for (int w = 0; w < 4; w++) {
        Map<String, LoopSetting> loaded = settings.load("r" + w);
        assertThat(loaded).hasSize(25);
        for (int k = 0; k < 25; k++) {
          int last = 475 + k;
          assertThat(loaded.get("loop" + k)).isEqualTo(setting("r" + w, "loop" + k, last, last));
        }
      }
    }
  }

  @Test
  void badSettingsAreRefusedWithAMessageNamingTheField() {
    assertThatThrownBy(() -> new LoopSetting(null, "do", "AUTO", 1.0, null, null, null, "a", T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reactorId is required");
    assertThatThrownBy(() -> new LoopSetting("r1", "do", "TURBO", 1.0, null, null, null, "a", T0))
        .hasMessage("mode of loop 'do' must be one of OFF, MANUAL, AUTO, CASCADE, got 'TURBO'");
    assertThatThrownBy(
            () -> new LoopSetting("r1", "do", "AUTO", Double.NaN, null, null, null, "a", T0))
        .hasMessage("setpoint of loop 'do' must be a finite number, got NaN");
    assertThatThrownBy(() -> new LoopSetting("r1", "do", "AUTO", 1.0, null, null, null, " ", T0))
        .hasMessage("changedBy is required");
    assertThatThrownBy(() -> new LoopTuning(-1, 0, 0, 1, 0, 10, 0, 0))
        .hasMessage("gain must be a finite number >= 0, got -1.0");
    assertThatThrownBy(() -> new LoopTuning(1, 0, 0, 1, 0, 0, 0, 0))
        .hasMessageContaining("derivativeFilterN must be a finite number > 0");
    try (Store store = Store.open(tmp);
        LoopSettingsStore settings = new LoopSettingsStore(store)) {
      assertThatThrownBy(() -> settings.save(null)).hasMessage("setting is required");
      assertThatThrownBy(() -> settings.load(null)).hasMessage("reactorId is required");
      LoopSettingsStore closed = new LoopSettingsStore(store);
      closed.close();
      assertThatThrownBy(() -> closed.save(setting("r1", "do", 1, 0)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("closed");
    }
  }
}
