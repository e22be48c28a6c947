package io.hepaloop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.plant.PlantConfigWriter;
import io.hepaloop.run.RunStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * One culture is one run across restarts (issue 7, part 5): {@code demo} and {@code serve} started
 * twice on the same data directory record into the same run and say so; {@code --new-run} starts
 * another; a corrupt run file stops the start with a message naming it.
 */
class RunAcrossRestartsIT {
  private static final Pattern DEMO_RUN =
      Pattern.compile("(?m)^run: +(\\S+) \\((continued|new run)");
  private static final Pattern SERVE_RUN =
      Pattern.compile("(?m)^run: (\\S+) \\((continued|new run)");

  @TempDir Path dir;

  /** One short demo (1 reactor, spool only); returns what it printed. */
  private String demo(Path dataDir, String... extra) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    DemoCommand demo = new DemoCommand();
    demo.out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "--data-dir",
                dataDir.toString(),
                "--reactors",
                "1",
                "--http-port",
                "0",
                "--no-influxd",
                "--duration",
                "0"));
    args.addAll(List.of(extra));
    assertThat(new CommandLine(demo).execute(args.toArray(String[]::new))).isZero();
    return buffer.toString(StandardCharsets.UTF_8);
  }

  private static String[] run(Pattern p, String out) {
    Matcher m = p.matcher(out);
    assertThat(m.find()).as("run line in:%n%s", out).isTrue();
    return new String[] {m.group(1), m.group(2)};
  }

  @Test
  @Timeout(180)
  void twoDemosOnOneDataDirectoryShareTheRunAndNewRunStartsAnother() throws Exception {
    Path data = dir.resolve("demo");
    String[] first = run(DEMO_RUN, demo(data));
    assertThat(first[1]).isEqualTo("new run");
    assertThat(first[0]).startsWith("demo-");

    String[] second = run(DEMO_RUN, demo(data));
    assertThat(second).containsExactly(first[0], "continued");
    assertThat(Files.readString(data.resolve(RunStore.FILE_NAME)))
        .contains("\"runId\" : \"" + first[0] + "\"");

    String third = demo(data, "--new-run");
    String[] fresh = run(DEMO_RUN, third);
    assertThat(fresh[1]).isEqualTo("new run");
    assertThat(fresh[0]).isNotEqualTo(first[0]);
    assertThat(third).contains("previous run " + first[0]);
    assertThat(run(DEMO_RUN, demo(data))).containsExactly(fresh[0], "continued");
  }

  @Test
  @Timeout(180)
  void serveContinuesTheRunAndARunIdOtherThanThePersistedOneStartsThatRun() throws Exception {
    Path data = dir.resolve("plant-data");
    Path config = dir.resolve("hepaloop.yaml");
    int unused;
    try (ServerSocket s = new ServerSocket(0)) {
      unused = s.getLocalPort(); // nobody listens there: serve starts, its link keeps connecting
    }
    PlantConfigWriter.writeSimulated(
        config,
        data,
        Path.of(Paths.DEFAULT_PROFILE).toAbsolutePath(),
        List.of("opc.tcp://127.0.0.1:" + unused + "/hepaloop"));

    String[] first = run(SERVE_RUN, serve(config));
    assertThat(first[0]).startsWith("serve-");
    assertThat(first[1]).isEqualTo("new run");
    assertThat(run(SERVE_RUN, serve(config))).containsExactly(first[0], "continued");
    String other = serve(config, "--run", "culture-7");
    assertThat(run(SERVE_RUN, other)).containsExactly("culture-7", "new run");
    assertThat(other).contains("previous run " + first[0]).contains("--run culture-7 differs");
    assertThat(run(SERVE_RUN, serve(config, "--run", "culture-7")))
        .containsExactly("culture-7", "continued");
    assertThat(run(SERVE_RUN, serve(config))).containsExactly("culture-7", "continued");

    // a damaged run file: no silent new run, the start is refused with the file named
    Files.writeString(data.resolve(RunStore.FILE_NAME), "{\"runId\": \"culture-7\", \"star");
    StringWriter err = new StringWriter();
    int rc =
        HepaLoop.commandLine()
            .setErr(new PrintWriter(err))
            .execute(
                "serve",
                "--config",
                config.toString(),
                "--http-port",
                "0",
                "--no-influxd",
                "--quiet");
    assertThat(rc).isEqualTo(2);
    assertThat(err.toString())
        .contains(data.resolve(RunStore.FILE_NAME).toString())
        .contains("--new-run");
  }

  @Test
  @Timeout(180)
  void aSecondServeOnTheSameDataDirectoryIsRefusedAndChangesNothing() throws Exception {
    Path data = dir.resolve("locked-data");
    Path config = dir.resolve("locked.yaml");
    PlantConfigWriter.writeSimulated(
        config,
        data,
        Path.of(Paths.DEFAULT_PROFILE).toAbsolutePath(),
        List.of("opc.tcp://127.0.0.1:1/hepaloop"));
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    ServeCommand first = new ServeCommand();
    first.out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () ->
                new CommandLine(first)
                    .execute(
                        "--config",
                        config.toString(),
                        "--http-port",
                        "0",
                        "--no-influxd",
                        "--quiet"));
    try {
      await()
          .dontCatchUncaughtExceptions()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  exit.isDone()
                      || SERVE_RUN.matcher(buffer.toString(StandardCharsets.UTF_8)).find());
      String runFile = Files.readString(data.resolve(RunStore.FILE_NAME));
      StringWriter err = new StringWriter();
      int rc =
          HepaLoop.commandLine()
              .setErr(new PrintWriter(err))
              .execute(
                  "serve",
                  "--config",
                  config.toString(),
                  "--http-port",
                  "0",
                  "--no-influxd",
                  "--quiet",
                  "--new-run");
      assertThat(rc).isEqualTo(2);
      assertThat(err.toString())
          .contains("is in use")
          .contains(data.toString())
          .contains("pid " + ProcessHandle.current().pid())
          .doesNotContain("Exception");
      assertThat(Files.readString(data.resolve(RunStore.FILE_NAME)))
          .as("the run of the first is untouched")
          .isEqualTo(runFile);
    } finally {
      first.stop.countDown();
    }
    assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
    // the lock goes with its holder: a start after the first stopped works
    assertThat(run(SERVE_RUN, serve(config))[1]).isEqualTo("continued");
  }

  /** Starts serve, waits for its run line, stops it; returns what it printed. */
  private String serve(Path config, String... extra) throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    ServeCommand serve = new ServeCommand();
    serve.out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    List<String> args =
        new java.util.ArrayList<>(
            List.of("--config", config.toString(), "--http-port", "0", "--no-influxd", "--quiet"));
    args.addAll(List.of(extra));
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () -> new CommandLine(serve).execute(args.toArray(String[]::new)));
    try {
      // a previous start's Vert.x may still finish closing on its own threads: not this test's
      // concern
      await()
          .dontCatchUncaughtExceptions()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  exit.isDone()
                      || SERVE_RUN.matcher(buffer.toString(StandardCharsets.UTF_8)).find());
    } finally {
      serve.stop.countDown();
    }
    assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
    return buffer.toString(StandardCharsets.UTF_8);
  }
}
