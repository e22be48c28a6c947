package io.hepaloop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies the README's first promise: {@code ./hepaloop demo} starts four simulated reactors and
 * the controller over real OPC UA, shows live values with loop setpoints, serves loop timing,
 * sample counts and a zero dropped-points counter on {@code /metrics}, and stops cleanly.
 */
class DemoIT {
  @TempDir Path dataDir;

  /** The last complete table the demo printed (a table ends with the r4 row). */
  private static String lastTable(ByteArrayOutputStream buffer) {
    String out = buffer.toString(StandardCharsets.UTF_8);
    int end = out.lastIndexOf("\nr4 ");
    if (end < 0) {
      return out.substring(Math.max(0, out.length() - 2000));
    }
    int start = out.lastIndexOf("HepaLoop — 4 reactors", end);
    int lineEnd = out.indexOf('\n', end + 1);
    return start < 0 || lineEnd < 0 ? "" : out.substring(start, lineEnd);
  }

  @Test
  @Timeout(120)
  void demoShowsFourConnectedReactorsUnderControlAndStopsCleanly() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    DemoCommand demo = new DemoCommand();
    demo.out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () ->
                new picocli.CommandLine(demo)
                    .execute(
                        "--data-dir",
                        dataDir.toString(),
                        "--http-port",
                        "0",
                        "--no-influxd",
                        "--refresh-ms",
                        "300"));

    Pattern controlledRow =
        Pattern.compile(
            "(?m)^r[1-4] +CONNECTED +3[67]\\.\\d\\d \\[37\\.0 AUTO\\].*\\d+\\.\\d\\d \\[1\\.0 AUTO\\]");
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                String table = lastTable(buffer);
                assertThat(controlledRow.matcher(table).results().count())
                    .as("rows under control in:%n%s", table)
                    .isEqualTo(4);
              });
      Matcher url =
          Pattern.compile("metrics: +(http://\\S+/metrics)")
              .matcher(buffer.toString(StandardCharsets.UTF_8));
      assertThat(url.find()).isTrue();
      HttpClient http = HttpClient.newHttpClient();
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                String metrics =
                    http.send(
                            HttpRequest.newBuilder(URI.create(url.group(1))).build(),
                            HttpResponse.BodyHandlers.ofString())
                        .body();
                assertThat(metrics)
                    .containsPattern(
                        "hepaloop_loop_execution_seconds_count\\{loop=\"temperature\",reactor=\"r4\"\\} [1-9]")
                    .containsPattern(
                        "hepaloop_loop_period_jitter_seconds_count\\{loop=\"flow\",reactor=\"r1\"\\} [1-9]")
                    .containsPattern("hepaloop_samples_total\\{reactor=\"r2\"\\} [1-9]")
                    .contains("hepaloop_telemetry_points_dropped_total 0.0");
              });
      // The first start created the admin: password printed once and in an owner-only file; it
      // logs in over the API and must be changed first.
      Path initial = dataDir.resolve(HttpSecurityOptions.INITIAL_PASSWORD_FILE);
      String password = Files.readString(initial).strip();
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(initial)))
          .isEqualTo("rw-------");
      assertThat(buffer.toString(StandardCharsets.UTF_8)).contains("initial password  " + password);
      String base = url.group(1).replace("/metrics", "");
      HttpResponse<String> login =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/login"))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"user\":\"admin\",\"password\":\"" + password + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
      assertThat(login.body()).contains("\"mustChangePassword\":true");
      // The console is served beside the API, and the banner says where and how to log in.
      assertThat(buffer.toString(StandardCharsets.UTF_8))
          .contains("console:      " + base + "/console/  (first login: user 'admin'");
      HttpResponse<String> console =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/console/")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(console.statusCode()).isEqualTo(200);
      assertThat(console.body()).contains("<title>HepaLoop console</title>");
    } finally {
      demo.stop.countDown();
    }

    assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
    String out = buffer.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("HepaLoop demo: stopped.").contains("plant config: ");
    assertThat(Files.readString(dataDir.resolve("hepaloop.yaml"))).contains("id: r4");
    assertThat(dataDir.resolve("spool")).isDirectory();
  }
}
