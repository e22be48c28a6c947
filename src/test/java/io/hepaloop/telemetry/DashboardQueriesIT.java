package io.hepaloop.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hepaloop.app.Codecs;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every query of every Grafana dashboard (panels, template variables, annotations), with the
 * variables substituted, runs without error and returns data against a real influxd filled by a
 * short run.
 */
class DashboardQueriesIT {
  static LocalInfluxd influxd;
  static InfluxHttp http;
  @TempDir static Path dataDir;

  @BeforeAll
  static void fill() throws Exception {
    influxd = LocalInfluxd.launch();
    Vertx vertx = Vertx.vertx();
    Codecs.register(vertx);
    InfluxConfig cfg = InfluxConfig.local(influxd.url(), "hepaloop");
    TelemetryService svc =
        TelemetryService.start(
                vertx,
                new TelemetryService.Config(
                    cfg,
                    false,
                    dataDir,
                    List.of("r1", "r2"),
                    1.3,
                    TelemetryWriter.Options.defaults()),
                TelemetryMetrics.standalone())
            .await();
    svc.setRun("r1", "run-1", 2e7);
    long published = ShortRun.publish(vertx, List.of("r1", "r2"), 10);
    await().atMost(Duration.ofSeconds(30)).until(() -> svc.writer().submitted() >= published);
    assertThat(svc.writer().flush(Duration.ofSeconds(30))).isTrue();
    svc.stop().await();
    vertx.close().await();
    http = new InfluxHttp(cfg, Duration.ofSeconds(10));
    // the run is in the past: roll it up as the continuous queries would have done live
    InfluxSchemaSetup.backfillRollups(
        http,
        LineBuilder.epochNanos(java.time.Instant.now().minusSeconds(3600)),
        LineBuilder.epochNanos(java.time.Instant.now()));
  }

  @AfterAll
  static void stop() {
    influxd.close();
  }

  @TestFactory
  Stream<DynamicTest> everyDashboardQueryReturnsData() throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<DynamicTest> tests = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(Path.of("dashboards"))) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(2);
    for (Path f : files) {
      JsonNode d = json.readTree(f.toFile());
      for (JsonNode v : d.path("templating").path("list")) {
        tests.add(query(f, "variable " + v.path("name").asText(), v.path("query").asText()));
      }
      for (JsonNode a : d.path("annotations").path("list")) {
        tests.add(query(f, "annotation " + a.path("name").asText(), a.path("query").asText()));
      }
      for (JsonNode p : d.path("panels")) {
        for (JsonNode t : p.path("targets")) {
          tests.add(
              query(
                  f,
                  "panel '" + p.path("title").asText() + "' " + t.path("refId").asText(),
                  t.path("query").asText()));
        }
      }
    }
    return tests.stream();
  }

  private static DynamicTest query(Path file, String what, String raw) {
    return DynamicTest.dynamicTest(
        file.getFileName() + ": " + what,
        () -> {
          String q =
              raw.replace("$timeFilter", "time > now() - 1h")
                  .replace("$__interval", "10s")
                  .replace("$reactor", "r1")
                  .replace("$run", "run-1");
          assertThat(q).as("all variables substituted").doesNotContainPattern("\\$[A-Za-z_{]");
          JsonNode result = http.query(q);
          JsonNode values = result.path("results").path(0).path("series").path(0).path("values");
          assertThat(values.size()).as("rows returned by %s", q).isPositive();
          boolean anyNonNull = false;
          for (JsonNode row : values) {
            for (int i = 1; i < row.size(); i++) {
              anyNonNull |= !row.get(i).isNull();
            }
            if (row.size() == 1) {
              anyNonNull =
                  true; // SHOW TAG VALUES rows of (key, value) come as 2 columns; 1-column rows are
              // names
            }
          }
          assertThat(anyNonNull).as("some non-null value in %s", q).isTrue();
        });
  }
}
