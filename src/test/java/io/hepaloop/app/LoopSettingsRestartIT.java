package io.hepaloop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.control.CommandResult;
import io.hepaloop.control.ControlCommand;
import io.hepaloop.control.ControlLoop;
import io.hepaloop.control.LoopMode;
import io.hepaloop.control.PidTuning;
import io.hepaloop.plant.PlantConfig;
import io.hepaloop.plant.PlantConfigWriter;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.sim.Simulator;
import io.hepaloop.sim.SimulatorOptions;
import io.hepaloop.store.Store;
import io.hepaloop.testing.ThreadDumpOnFailure;
import io.hepaloop.time.AcceleratedClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loop settings changed at run time survive a restart, on the real thing: our simulator over OPC
 * UA, a {@link PlantRuntime} with the data directory's database. Setpoint, tuning and mode are
 * changed through the command path the REST routes use; the plant is closed and started again on
 * the same data directory: the settings are back and the loop controls to the restored setpoint.
 * Started once more with a profile whose limits no longer admit the kept setpoint, that setpoint is
 * refused (the profile's applies), the rest still restored.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@ExtendWith(ThreadDumpOnFailure.class)
class LoopSettingsRestartIT {
  static final double SPEED = 10;
  static final Path PROFILE = Path.of("device-profiles/liver-perfusion-bioreactor.yaml");
  static final PidTuning TUNING = new PidTuning(6.0, 400, 0, 1.0, 0, 10, 0, 0);

  @TempDir Path data;
  Simulator sim;
  Store store;
  PlantRuntime runtime;

  @BeforeEach
  void start() throws Exception {
    sim =
        Simulator.start(
            SimulatorOptions.builder()
                .profile(ProfileLoader.load(PROFILE))
                .reactorIds("r1")
                .speed(SPEED)
                .build());
    store = Store.open(data);
  }

  @AfterEach
  void stop() throws Exception {
    if (runtime != null) {
      runtime.close();
    }
    if (store != null) {
      store.close();
    }
    if (sim != null) {
      sim.close();
    }
  }

  PlantRuntime startPlant(Path profile) throws Exception {
    PlantConfig config =
        PlantConfigWriter.writeSimulated(
            data.resolve("hepaloop.yaml"), data, profile, Map.of("r1", sim.endpointUrl("r1")));
    return PlantRuntime.start(
        new PlantRuntime.Options(
            config,
            data,
            "it",
            null,
            false,
            "127.0.0.1",
            0,
            new AcceleratedClock(SPEED),
            null,
            store));
  }

  <T> T read(String loopId, Function<ControlLoop, T> what) throws Exception {
    return runtime
        .controller("r1")
        .withControl(c -> what.apply(c.loop(loopId)))
        .await(30, TimeUnit.SECONDS);
  }

  void command(ControlCommand c) throws Exception {
    CommandResult r = runtime.access().command("r1", c).await(30, TimeUnit.SECONDS);
    assertThat(r.accepted()).as(r.message()).isTrue();
  }

  @Test
  void changedSettingsComeBackAfterARestartAndOutOfLimitsOnesAreRefused() throws Exception {
    runtime = startPlant(PROFILE);
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> !read("temperature", ControlLoop::awaitingReadback));
    command(new ControlCommand.SetSetpoint("temperature", 37.6, "ann"));
    command(new ControlCommand.SetTuning("temperature", "main", TUNING, "eng-bob"));
    command(new ControlCommand.SetMode("flow", LoopMode.MANUAL, "ann"));
    command(new ControlCommand.SetManualOutput("flow", 30.0, "ann"));
    runtime.close();
    runtime = null;

    runtime = startPlant(PROFILE);
    assertThat(read("temperature", ControlLoop::operatorSetpoint)).isEqualTo(37.6);
    assertThat((Object) read("temperature", l -> l.pid().tuning())).isEqualTo(TUNING);
    assertThat(read("flow", ControlLoop::mode)).isEqualTo(LoopMode.MANUAL);
    assertThat(read("oxygen", ControlLoop::mode)).isEqualTo(LoopMode.CASCADE); // never changed
    // The loops run again from the read-backs: MANUAL holds its kept output, AUTO controls the
    // temperature to the kept setpoint (the profile's is 37.0).
    await()
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () -> {
              assertThat(read("flow", ControlLoop::lastOutput)).isEqualTo(30.0);
              assertThat(read("temperature", ControlLoop::lastPv)).isBetween(37.45, 37.75);
            });
    runtime.close();
    runtime = null;

    // The profile's limits changed meanwhile: 37.6 °C is no longer allowed.
    Path narrowed = data.resolve("narrowed-profile.yaml");
    String yaml = Files.readString(PROFILE);
    assertThat(yaml).contains("setpointLimits: { min: 30.0, max: 39.0 }");
    Files.writeString(
        narrowed,
        yaml.replace(
            "setpointLimits: { min: 30.0, max: 39.0 }",
            "setpointLimits: { min: 30.0, max: 37.4 }"));
    runtime = startPlant(narrowed);
    assertThat(read("temperature", ControlLoop::operatorSetpoint)).isEqualTo(37.0);
    assertThat((Object) read("temperature", l -> l.pid().tuning())).isEqualTo(TUNING);
    assertThat(read("flow", ControlLoop::mode)).isEqualTo(LoopMode.MANUAL);
  }
}
