package io.hepaloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.plant.PlantConfigWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code tune --config} refuses before it connects to anything. */
class TuneCommandTest {
  @TempDir Path tmp;

  private String runExpectingExit2(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream before = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = HepaLoop.commandLine().execute(args);
    } finally {
      System.setErr(before);
    }
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(text).isEqualTo(2);
    return text;
  }

  private Path plant() throws Exception {
    Path config = tmp.resolve("plant.yaml");
    PlantConfigWriter.writeSimulated(
        config,
        tmp.resolve("data"),
        Path.of("device-profiles/liver-perfusion-bioreactor.yaml"),
        List.of("opc.tcp://127.0.0.1:4841/hepaloop", "opc.tcp://127.0.0.1:4842/hepaloop"));
    return config;
  }

  @Test
  void aReactorTheConfigDoesNotHaveIsNamedWithTheOnesItHas() throws Exception {
    String err =
        runExpectingExit2(
            "tune",
            "--standalone",
            "--config",
            plant().toString(),
            "--reactor",
            "r9",
            "--loop",
            "temperature");
    assertThat(err).contains("no reactor 'r9'").contains("reactors: r1, r2");
  }

  @Test
  void theConfigAndAnEndpointOfItsOwnAreNotMixed() throws Exception {
    String err =
        runExpectingExit2(
            "tune",
            "--standalone",
            "--config",
            plant().toString(),
            "--endpoint",
            "opc.tcp://127.0.0.1:1/x",
            "--loop",
            "temperature");
    assertThat(err).contains("--config already gives the reactor's profile and endpoint");
  }
}
