package io.hepaloop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.telemetry.InfluxdProcesses.ParentWatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InfluxdProcessesTest {
  private static final Path CONFIG = Path.of("/var/lib/hepaloop/data/influxd/influxd.conf");

  /**
   * Ctrl-C signals the terminal's foreground process group: influxd, under every parent watch, is
   * started in a session and group of its own (its pid), not ours — read from /proc/<pid>/stat.
   */
  @Test
  void influxdGetsASessionAndProcessGroupOfItsOwn(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws Exception {
    assertThat(InfluxdProcesses.newSession()).as("setsid is installed here").isTrue();
    Path fake = tmp.resolve("influxd");
    Files.writeString(fake, "#!/bin/sh\nexec sleep 600\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    long[] ours = InfluxdProcesses.groupAndSession(ProcessHandle.current().pid()).orElseThrow();
    assertThat(ours[0]).isPositive();
    for (ParentWatch watch : ParentWatch.values()) {
      List<String> cmd = InfluxdProcesses.command(fake, CONFIG, watch, true);
      assertThat(Path.of(cmd.get(0)).getFileName().toString()).isEqualTo("setsid");
      Process p = InfluxdProcesses.start(new ProcessBuilder(cmd));
      try {
        await(watch + ": the started pid runs the program itself")
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> InfluxdProcesses.commandLine(p.pid()).orElse(List.of()),
                argv -> argv.equals(List.of("sleep", "600")));
        long[] its = InfluxdProcesses.groupAndSession(p.pid()).orElseThrow();
        assertThat(its[0]).as("%s: process group", watch).isEqualTo(p.pid()).isNotEqualTo(ours[0]);
        assertThat(its[1]).as("%s: session", watch).isEqualTo(p.pid()).isNotEqualTo(ours[1]);
      } finally {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    // without a new session it shares ours (what the check above tells apart)
    Process same =
        InfluxdProcesses.start(
            new ProcessBuilder(InfluxdProcesses.command(fake, CONFIG, ParentWatch.NONE, false)));
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> InfluxdProcesses.groupAndSession(same.pid()).isPresent());
      assertThat(InfluxdProcesses.groupAndSession(same.pid()).orElseThrow()[0]).isEqualTo(ours[0]);
    } finally {
      same.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void anInfluxdIsRecognisedByItsBinaryAndExactlyItsConfig() {
    assertThat(
            InfluxdProcesses.isInfluxdWith(
                List.of("/usr/bin/influxd", "run", "-config", CONFIG.toString()), CONFIG))
        .isTrue();
    assertThat(
            InfluxdProcesses.isInfluxdWith(
                List.of("/usr/bin/influxd", "run", "-config", CONFIG + ".old"), CONFIG))
        .isFalse();
    assertThat(InfluxdProcesses.isInfluxdWith(List.of("/usr/bin/influxd", "run"), CONFIG))
        .isFalse();
    assertThat(InfluxdProcesses.isInfluxdWith(List.of(), CONFIG)).isFalse();
    List<String> watcher =
        InfluxdProcesses.command(Path.of("/usr/bin/influxd"), CONFIG, ParentWatch.SHELL);
    assertThat(watcher).endsWith("/usr/bin/influxd", "run", "-config", CONFIG.toString());
    assertThat(InfluxdProcesses.isInfluxdWith(watcher, CONFIG))
        .as("the shell that watches influxd is not influxd")
        .isFalse();
  }

  @Test
  void theCommandLineOfThisProcessIsReadFromProc() {
    List<String> argv = InfluxdProcesses.commandLine(ProcessHandle.current().pid()).orElseThrow();
    assertThat(argv.get(0)).contains("java");
    assertThat(InfluxdProcesses.commandLine(Long.MAX_VALUE)).isEmpty();
  }

  @Test
  void theShellWatchStopsItsProgramWhenTheWatchedProcessDies() throws Exception {
    Process parent = new ProcessBuilder("sleep", "600").start(); // stands in for the JVM
    Process watched = new ProcessBuilder(shellWatch(parent.pid(), "sleep", "600")).start();
    try {
      await("exec: the started pid runs the program itself")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> InfluxdProcesses.commandLine(watched.pid()).orElseThrow(),
              argv -> argv.equals(List.of("sleep", "600")));
      assertThat(watched.waitFor(1500, TimeUnit.MILLISECONDS))
          .as("alive while its parent lives")
          .isFalse();
      parent.destroyForcibly();
      assertThat(watched.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(watched.exitValue()).as("terminated by SIGTERM").isEqualTo(128 + 15);
    } finally {
      parent.destroyForcibly();
      watched.destroyForcibly();
    }
  }

  @Test
  void theShellWatchEndsWhenItsProgramEndsOnItsOwn() throws Exception {
    Process parent = new ProcessBuilder("sleep", "600").start();
    Process watched =
        new ProcessBuilder(shellWatch(parent.pid(), "sh", "-c", "sleep 0.3; exit 7")).start();
    try {
      assertThat(watched.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(watched.exitValue()).isEqualTo(7);
      String marker = "hepaloop-influxd-watch";
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  ProcessHandle.allProcesses()
                      .noneMatch(
                          h ->
                              h.info()
                                  .arguments()
                                  .map(
                                      a ->
                                          List.of(a).contains(marker)
                                              && List.of(a).contains(Long.toString(parent.pid())))
                                  .orElse(false)));
      assertThat(parent.isAlive()).isTrue();
    } finally {
      parent.destroyForcibly();
    }
  }

  /** The SHELL command for {@code program}, watching {@code parentPid} instead of this JVM. */
  private static List<String> shellWatch(long parentPid, String... program) {
    List<String> cmd =
        new ArrayList<>(InfluxdProcesses.command(Path.of("influxd"), CONFIG, ParentWatch.SHELL));
    int jvmArg = cmd.indexOf("hepaloop-influxd-watch") + 1;
    cmd.set(jvmArg, Long.toString(parentPid));
    List<String> out = new ArrayList<>(cmd.subList(0, jvmArg + 1));
    out.addAll(List.of(program));
    return out;
  }
}
