package io.hepaloop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a process in the middle of spooling, then restart: nothing acknowledged is missing.
 */
class SpoolCrashIT {
  @TempDir Path dir;

  @Test
  void pointsAcknowledgedToTheSpoolSurviveKillDashNineAndReachInfluxdAfterRestart()
      throws Exception {
    long t0 = LineBuilder.epochNanos(Instant.now().minusSeconds(3600));
    Path spool = dir.resolve("spool");
    Process child =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                SpoolCrashChild.class.getName(),
                spool.toString(),
                Long.toString(t0))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    long lastAck = 0;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while ((line = out.readLine()) != null && System.nanoTime() < deadline) {
        if (line.startsWith("ACK ")) {
          lastAck = Long.parseLong(line.substring(4));
          if (lastAck >= 20_000) {
            break;
          }
        }
      }
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no flush, mid-append
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(lastAck).as("acknowledged before the kill").isGreaterThanOrEqualTo(20_000);

    try (LocalInfluxd influxd = LocalInfluxd.launch()) {
      InfluxConfig cfg = InfluxConfig.local(influxd.url(), "crash");
      try (TelemetryWriter w =
          new TelemetryWriter(
                  new InfluxHttp(cfg, Duration.ofSeconds(5)),
                  spool,
                  TelemetryWriter.Options.defaults(),
                  TelemetryMetrics.standalone(),
                  null)
              .start()) {
        assertThat(w.spoolPendingPoints()).isGreaterThanOrEqualTo(lastAck);
        assertThat(w.flush(Duration.ofSeconds(60))).isTrue();
      }
      try (InfluxQueries q = new InfluxQueries(influxd.url(), cfg.database())) {
        assertThat(q.count("SELECT count(seq) FROM crash WHERE seq < " + lastAck))
            .isEqualTo(lastAck);
        assertThat(q.count("SELECT max(seq) FROM crash")).isGreaterThanOrEqualTo(lastAck - 1);
      }
    }
  }
}
