package io.hepaloop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hepaloop.cli.HepaLoop;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The private influxd at process level, with real processes: HepaLoop's telemetry in a child JVM
 * ({@link PrivateInfluxdChild}), killed with SIGKILL, influxd killed with SIGKILL, two HepaLoops on
 * one data directory. "Nothing lost" is exact: the child numbers its points, and influxdb-java
 * counts them. Processes on the data directory are found with {@link ProcessHandle}, independently
 * of the code under test.
 */
class PrivateInfluxdIT {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  @TempDir Path dir;
  private final List<Child> children = new ArrayList<>();

  @AfterEach
  void killEverything() {
    children.forEach(c -> c.process.destroyForcibly());
    influxdOnData().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
  }

  @Test
  void killDashNineOfHepaLoopTakesItsInfluxdAlongAndTheNextStartLosesNothing() throws Exception {
    Child first = startChild("1");
    long firstInfluxd = theOneInfluxdOf(first);
    long acked = killAfterSomeDeliveredAndMoreSpooled(first);
    await("influxd dies with its parent").atMost(PATIENCE).until(() -> !alive(firstInfluxd));

    Child second = startChild("2");
    assertThat(theOneInfluxdOf(second)).isNotEqualTo(firstInfluxd);
    assertAllPresent(second.url, "1", acked);
  }

  @Test
  void anInfluxdLeftRunningByACrashIsStoppedBeforeTheNextStartsItsOwn() throws Exception {
    Child first =
        startChild("1", "-Dhepaloop.influxd.parentWatch=none"); // as an older HepaLoop left it
    long leftover = theOneInfluxdOf(first);
    long acked = killAfterSomeDeliveredAndMoreSpooled(first);
    assertThat(alive(leftover)).as("no parent watch: influxd outlives its HepaLoop").isTrue();

    Child second = startChild("2");
    assertThat(alive(leftover)).as("the leftover was stopped").isFalse();
    assertThat(theOneInfluxdOf(second)).isNotEqualTo(leftover);
    assertAllPresent(second.url, "1", acked);
  }

  @Test
  void withoutSetprivAShellWatchStopsInfluxdWhenHepaLoopDies() throws Exception {
    Child child = startChild("1", "-Dhepaloop.influxd.parentWatch=shell");
    long influxd = theOneInfluxdOf(child);
    child.process.destroyForcibly();
    assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    await("influxd and its watch exit")
        .atMost(PATIENCE)
        .until(() -> !alive(influxd) && processesMentioningData().isEmpty());
  }

  @Test
  void aSecondHepaLoopOnTheSameDataIsRefusedWithTheFirstOnesPid() throws Exception {
    Child first = startChild("1");
    long influxd = theOneInfluxdOf(first);

    Child second = launch("2");
    assertThat(second.process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(second.process.exitValue()).as(second.output()).isEqualTo(3);
    assertThat(second.output())
        .contains("REFUSED")
        .contains("in use")
        .contains("pid " + first.process.pid());

    StringWriter err = new StringWriter();
    int rc =
        HepaLoop.commandLine()
            .setErr(new PrintWriter(err))
            .execute("export", "--run", "any", "--data-dir", dir.resolve("data").toString());
    assertThat(rc).isEqualTo(2);
    assertThat(err.toString())
        .contains("is in use")
        .contains("pid " + first.process.pid())
        .doesNotContain("Exception");

    assertThat(influxdOnData()).containsExactly(influxd);
    assertThat(first.process.isAlive()).isTrue();
  }

  @Test
  void aKilledInfluxdIsBackWithinSecondsAndNoPointIsMissing() throws Exception {
    Child child = startChild("1");
    long influxd = theOneInfluxdOf(child);
    await().atMost(PATIENCE).until(() -> child.lastAck >= 1000);
    try (InfluxQueries q = new InfluxQueries(child.url, "hepaloop")) {
      await().atMost(PATIENCE).until(() -> countOf(q, "1", Long.MAX_VALUE) > 0);
    }

    long killedAt = System.nanoTime();
    ProcessHandle.of(influxd).orElseThrow().destroyForcibly();
    await("a new influxd")
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> influxdOnData().stream().anyMatch(p -> p != influxd) && answers(child.url));
    double backAfterS = (System.nanoTime() - killedAt) / 1e9;
    System.out.printf(
        "PrivateInfluxdIT: influxd answered again %.1f s after kill -9%n", backAfterS);
    assertThat(backAfterS).as("back within seconds").isLessThan(30);
    assertThat(theOneInfluxdOf(child)).isNotEqualTo(influxd);

    long target = child.lastAck + 1000; // points made during and after the outage
    await().atMost(PATIENCE).until(() -> child.lastAck >= target);
    assertAllPresent(child.url, "1", target);
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(child.output())
                    .containsPattern(
                        "EVENT warning influxd The private InfluxDB \\(influxd pid "
                            + influxd
                            + "\\) exited")
                    .containsPattern(
                        "EVENT info influxd The private InfluxDB runs again .* RESTARTS 1"));
  }

  /**
   * Waits until points are both in InfluxDB and only in the spool, kills the child (SIGKILL),
   * returns the points acknowledged.
   */
  private long killAfterSomeDeliveredAndMoreSpooled(Child c) throws Exception {
    await().atMost(PATIENCE).until(() -> c.lastAck >= 1000);
    try (InfluxQueries q = new InfluxQueries(c.url, "hepaloop")) {
      await().atMost(PATIENCE).until(() -> countOf(q, c.label, Long.MAX_VALUE) > 0);
    }
    c.process.destroyForcibly();
    assertThat(c.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    long acked = c.lastAck;
    assertThat(acked).isGreaterThanOrEqualTo(1000);
    return acked;
  }

  /**
   * Every point 0..n-1 of {@code label} is in InfluxDB (once: same series and time is one point).
   */
  private static void assertAllPresent(String url, String label, long n) {
    try (InfluxQueries q = new InfluxQueries(url, "hepaloop")) {
      await().atMost(PATIENCE).untilAsserted(() -> assertThat(countOf(q, label, n)).isEqualTo(n));
    }
  }

  private static long countOf(InfluxQueries q, String label, long belowSeq) {
    try {
      return q.count(
          "SELECT count(seq) FROM seqcheck WHERE child='" + label + "' AND seq < " + belowSeq);
    } catch (RuntimeException e) {
      return -1; // database not created yet, or influxd restarting
    }
  }

  private long theOneInfluxdOf(Child c) {
    Set<Long> pids = influxdOnData();
    assertThat(pids).as("influxd processes on %s", dir).hasSize(1);
    long pid = pids.iterator().next();
    assertThat(ProcessHandle.of(pid).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
        .as("influxd's parent")
        .contains(c.process.pid());
    return pid;
  }

  private Path config() {
    return dir.resolve("data").resolve("influxd").resolve("influxd.conf").toAbsolutePath();
  }

  /** influxd processes whose config is this test's data directory. */
  private Set<Long> influxdOnData() {
    String config = config().toString();
    return ProcessHandle.allProcesses()
        .filter(h -> h.info().command().map(c -> c.endsWith("/influxd")).orElse(false))
        .filter(h -> h.info().arguments().map(a -> Arrays.asList(a).contains(config)).orElse(false))
        .map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }

  /**
   * Any process (influxd, a shell watching one) with this test's influxd config on its command
   * line.
   */
  private Set<Long> processesMentioningData() {
    String config = config().toString();
    return ProcessHandle.allProcesses()
        .filter(
            h ->
                h.info()
                    .arguments()
                    .map(a -> Arrays.stream(a).anyMatch(s -> s.contains(config)))
                    .orElse(false))
        .map(ProcessHandle::pid)
        .collect(Collectors.toSet());
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static boolean answers(String url) {
    try {
      java.net.HttpURLConnection c =
          (java.net.HttpURLConnection) java.net.URI.create(url + "/ping").toURL().openConnection();
      c.setConnectTimeout(500);
      c.setReadTimeout(1000);
      return c.getResponseCode() == 204;
    } catch (IOException e) {
      return false;
    }
  }

  /** Starts a child and waits until its telemetry runs with a private influxd. */
  private Child startChild(String label, String... jvmOptions) {
    Child c = launch(label, jvmOptions);
    await("child " + label + " up")
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              assertThat(c.process.isAlive())
                  .as("child alive; output:%n%s%nlog:%n%s", c.output(), c.log())
                  .isTrue();
              assertThat(c.url).isNotNull();
            });
    return c;
  }

  private Child launch(String label, String... jvmOptions) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(List.of(jvmOptions));
    cmd.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            PrivateInfluxdChild.class.getName(),
            dir.resolve("data").toString(),
            label));
    try {
      Path log = dir.resolve("child-" + label + "-" + children.size() + ".log");
      Child c = new Child(label, new ProcessBuilder(cmd).redirectError(log.toFile()).start(), log);
      children.add(c);
      return c;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final class Child {
    final String label;
    final Process process;
    final Path log;
    final List<String> lines = new CopyOnWriteArrayList<>();
    volatile long lastAck;
    volatile String url;

    Child(String label, Process process, Path log) {
      this.label = label;
      this.process = process;
      this.log = log;
      Thread reader = new Thread(this::read, "child-" + label + "-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (line.startsWith("ACK ")) {
            lastAck = Long.parseLong(line.substring(4).trim());
          } else {
            lines.add(line);
            if (line.startsWith("URL ")) {
              url = line.substring(4).trim();
            }
          }
        }
      } catch (IOException | NumberFormatException e) {
        lines.add("(reader: " + e + ")");
      }
    }

    String output() {
      return String.join("\n", lines);
    }

    String log() {
      try {
        String s = Files.readString(log);
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
      } catch (IOException e) {
        return "(no log)";
      }
    }
  }
}
