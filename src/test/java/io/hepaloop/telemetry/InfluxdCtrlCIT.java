package io.hepaloop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C in a terminal sends SIGINT to the terminal's foreground process group. HepaLoop's private
 * influxd is in a session of its own, so it does not get it: HepaLoop makes its final telemetry
 * flush into it and then stops it. The child JVM ({@link CtrlCChild}) runs in a group of its own
 * (as a terminal job would), and the test signals that whole group, as the terminal does.
 */
class InfluxdCtrlCIT {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final Pattern FINAL =
      Pattern.compile("FINAL submitted=(\\d+) spooled=(\\d+) delivered=(\\d+) pending=(\\d+)");
  @TempDir Path dir;
  private Process child;
  private long influxdPid = -1;

  @AfterEach
  void killEverything() {
    if (child != null) {
      child.destroyForcibly();
    }
    if (influxdPid > 0) {
      ProcessHandle.of(influxdPid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void ctrlCFlushesEveryPointIntoInfluxdBeforeHepaLoopStopsIt() throws Exception {
    Path data = dir.resolve("data");
    List<String> lines = new CopyOnWriteArrayList<>();
    long[] acked = {0};
    List<String> cmd = new ArrayList<>();
    cmd.add("setsid"); // the child leads its own group, like a job in a terminal
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-Dhepaloop.influxd.newSession=" + System.getProperty("ctrlc.newSession", "true"));
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            CtrlCChild.class.getName(),
            data.toString()));
    Path log = dir.resolve("child.log");
    child = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  if (line.startsWith("ACK ")) {
                    acked[0] = Long.parseLong(line.substring(4).trim());
                  } else {
                    lines.add(line);
                  }
                }
              } catch (IOException e) {
                lines.add("(reader: " + e + ")");
              }
            },
            "ctrl-c-child-stdout");
    reader.setDaemon(true);
    reader.start();
    await("child up with a private influxd")
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              assertThat(child.isAlive()).as("child alive; log:%n%s", tail(log)).isTrue();
              assertThat(lines).anyMatch(l -> l.startsWith("INFLUXD "));
            });
    influxdPid =
        Long.parseLong(
            lines.stream()
                .filter(l -> l.startsWith("INFLUXD "))
                .findFirst()
                .orElseThrow()
                .substring(8)
                .trim());
    String url =
        lines.stream().filter(l -> l.startsWith("URL ")).findFirst().orElseThrow().substring(4);

    long[] childGroup = InfluxdProcesses.groupAndSession(child.pid()).orElseThrow();
    long[] influxdGroup = InfluxdProcesses.groupAndSession(influxdPid).orElseThrow();
    assertThat(childGroup[0]).as("the child leads its group").isEqualTo(child.pid());
    boolean ownSession = !"false".equals(System.getProperty("ctrlc.newSession"));
    if (ownSession) {
      assertThat(influxdGroup[0])
          .as("influxd's process group is not HepaLoop's")
          .isEqualTo(influxdPid)
          .isNotEqualTo(childGroup[0]);
      assertThat(influxdGroup[1]).as("influxd's session").isEqualTo(influxdPid);
    }

    // some delivered, and points still in the memory queue and the batcher at the signal
    await().atMost(PATIENCE).until(() -> acked[0] >= 3_000);
    Process kill =
        new ProcessBuilder("kill", "-INT", "--", "-" + childGroup[0]).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(child.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS))
        .as("child stops on Ctrl-C; log:%n%s", tail(log))
        .isTrue();
    String fin =
        lines.stream()
            .filter(l -> l.startsWith("FINAL"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no FINAL line: " + lines + "\n" + tail(log)));
    System.out.println("CTRLC " + fin + " (influxd own session: " + ownSession + ")");
    Matcher m = FINAL.matcher(fin);
    assertThat(m.find()).as(fin).isTrue();
    long submitted = Long.parseLong(m.group(1));
    long spooled = Long.parseLong(m.group(2));
    long delivered = Long.parseLong(m.group(3));
    long pending = Long.parseLong(m.group(4));
    assertThat(spooled).as("everything submitted was spooled").isEqualTo(submitted);
    assertThat(pending).as("the final flush reached influxd: nothing left in the spool").isZero();
    assertThat(delivered).isEqualTo(spooled);
    assertThat(ProcessHandle.of(influxdPid).map(ProcessHandle::isAlive).orElse(false))
        .as("HepaLoop stopped influxd after the flush")
        .isFalse();
    assertThat(tail(log)).doesNotContain("did not stop on SIGTERM");

    // and every point is in the database (read back by an independent client)
    try (LocalInfluxd again = LocalInfluxd.launchIn(data.resolve("influxd"));
        InfluxQueries q = new InfluxQueries(again.url(), "hepaloop")) {
      assertThat(q.count("SELECT count(seq) FROM seqcheck")).isEqualTo(submitted);
    }
    assertThat(url).isNotBlank();
  }

  private static String tail(Path log) {
    try {
      String s = Files.readString(log);
      return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
