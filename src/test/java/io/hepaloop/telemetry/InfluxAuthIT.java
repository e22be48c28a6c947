package io.hepaloop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With authentication on, the writer authenticates with the configured user; wrong credentials keep
 * everything in the spool.
 */
class InfluxAuthIT {
  @TempDir Path dir;

  private static InfluxConfig config(String url, String user, String password) {
    return new InfluxConfig(url, "secured", null, null, null, user, password, null, false);
  }

  @Test
  void wrongCredentialsKeepPointsSpooledAndTheRightOnesDeliverThem() {
    try (LocalInfluxd influxd = LocalInfluxd.launchWithAuth()) {
      new InfluxHttp(config(influxd.url(), null, null), Duration.ofSeconds(5))
          .query("CREATE USER \"hepaloop\" WITH PASSWORD 's3cret' WITH ALL PRIVILEGES");
      long t = LineBuilder.epochNanos(java.time.Instant.now().minusSeconds(10));
      TelemetryWriter wrong =
          new TelemetryWriter(
                  new InfluxHttp(config(influxd.url(), "hepaloop", "nope"), Duration.ofSeconds(5)),
                  dir,
                  TelemetryWriter.Options.defaults().withBatch(10, Duration.ofMillis(10)),
                  TelemetryMetrics.standalone(),
                  null)
              .start();
      for (int i = 0; i < 100; i++) {
        wrong.submit("auth,reactor=r1 seq=" + i + "i " + (t + i));
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> wrong.spooled() == 100 && wrong.influxDown());
      assertThat(wrong.delivered()).isZero();
      wrong.close(Duration.ofMillis(200));

      InfluxConfig right = config(influxd.url(), "hepaloop", "s3cret");
      try (TelemetryWriter w =
          new TelemetryWriter(
                  new InfluxHttp(right, Duration.ofSeconds(5)),
                  dir,
                  TelemetryWriter.Options.defaults(),
                  TelemetryMetrics.standalone(),
                  null)
              .start()) {
        assertThat(w.flush(Duration.ofSeconds(20))).isTrue();
      }
      assertThat(
              new InfluxHttp(right, Duration.ofSeconds(5))
                  .query("SELECT count(seq) FROM auth")
                  .toString())
          .contains("[0,100]");
    }
  }
}
