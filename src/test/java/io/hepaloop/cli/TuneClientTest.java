package io.hepaloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.api.AutotuneTestServer;
import io.hepaloop.control.PidTuning;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hepaloop tune} as a client of the running controller: the auto-tune routes on loopback in
 * front of the harness, which the test advances while the command polls.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TuneClientTest {
  final AutotuneTestServer server = new AutotuneTestServer();
  @TempDir Path tmp;

  @AfterEach
  void close() {
    server.close();
  }

  record Run(int exit, String out, String err) {}

  Run tune(String stdin, String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    InputStream oldIn = System.in;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    try {
      int exit = HepaLoop.commandLine().execute(args);
      return new Run(
          exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
      System.setIn(oldIn);
    }
  }

  Path token(String t) throws Exception {
    Path f = tmp.resolve("token");
    Files.writeString(f, t + "\n");
    return f;
  }

  String[] args(String token, String... more) throws Exception {
    String[] base = {
      "tune",
      "--url",
      server.url(),
      "--token-file",
      token(token).toString(),
      "--reactor",
      "bench",
      "--loop",
      "temperature",
      "--poll-ms",
      "20"
    };
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void itStartsTheTestInTheRunningControllerFollowsItAndAcceptsWhenToldYes() throws Exception {
    CompletableFuture<Run> run =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return tune("y\n", args(AutotuneTestServer.ENGINEER_TOKEN, "--amplitude", "10"));
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    // the controller's process time passes as the plant runs; the command only watches
    while (!run.isDone()) {
      server.run(10);
    }
    Run r = run.get();
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("Auto-tune of loop temperature started by anna")
        .contains("leaving this command does not stop it")
        .containsPattern(
            "running: [0-4] of 4 cycles, PV amplitude [-0-9.]+, period [-0-9.]+ s, elapsed [0-9]+ s")
        .contains("proposal ready")
        .contains("proposal: Tyreus-Luyben PID")
        .containsPattern("gain +64\\.00 +[0-9.]+")
        .contains("PV resolution 0.01")
        .contains("accepted by anna");
    PidTuning applied = server.with(h -> h.control().loop("temperature").pid().tuning());
    assertThat(applied.gain()).isNotEqualTo(64.0);
  }

  @Test
  void withoutAnAnswerTheProposalWaitsAndALaterRejectDiscardsIt() throws Exception {
    CompletableFuture<Run> run =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return tune("", args(AutotuneTestServer.ENGINEER_TOKEN));
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    while (!run.isDone()) {
      server.run(10);
    }
    Run r = run.get();
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("--accept (or --reject)");
    Run status = tune("", args(AutotuneTestServer.VIEWER_TOKEN, "--status"));
    assertThat(status.out()).contains("proposal ready");
    Run viewer = tune("", args(AutotuneTestServer.VIEWER_TOKEN, "--reject"));
    assertThat(viewer.exit()).isEqualTo(1);
    assertThat(viewer.err()).contains("HTTP 403");
    Run rejected = tune("", args(AutotuneTestServer.ENGINEER_TOKEN, "--reject"));
    assertThat(rejected.exit()).as(rejected.err()).isZero();
    assertThat(rejected.out()).contains("rejected by anna");
    PidTuning kept = server.with(h -> h.control().loop("temperature").pid().tuning());
    assertThat(kept.gain()).isEqualTo(64.0);
  }

  @Test
  void withoutATokenOrWithDeviceOptionsItRefusesBeforeCallingAnything() throws Exception {
    Run noToken =
        tune("", "tune", "--url", server.url(), "--reactor", "bench", "--loop", "temperature");
    if (System.getenv("HEPALOOP_TOKEN") == null) {
      assertThat(noToken.exit()).isEqualTo(2);
      assertThat(noToken.err()).contains("--token-file").contains("HEPALOOP_TOKEN");
    }
    Run device = tune("", args(AutotuneTestServer.ENGINEER_TOKEN, "--endpoint", "opc.tcp://x"));
    assertThat(device.exit()).isEqualTo(2);
    assertThat(device.err()).contains("belong to --standalone");
    Run nobody =
        tune(
            "",
            "tune",
            "--url",
            "http://127.0.0.1:1",
            "--token-file",
            token("t").toString(),
            "--loop",
            "temperature",
            "--status");
    assertThat(nobody.exit()).isEqualTo(1);
    assertThat(nobody.err()).contains("is serve or demo running?");
    boolean running = server.with(h -> h.control().loop("temperature").autotuneRunning());
    assertThat(running).isFalse();
  }
}
