package io.hepaloop.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.report.ReportRows;
import io.hepaloop.report.RunReportGatherer;
import io.hepaloop.users.Role;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/runs/{runId}/report} over a real server and database (no InfluxDB): each format
 * with its content type, the HTML's note escaped and its script-free policy, a viewer may read, an
 * unknown run is 404 naming it, an unknown format 400.
 */
class ReportRoutesTest {
  static final String RUN = "r1-20260401-060000";
  static final Instant T0 = Instant.parse("2026-04-01T06:00:00Z");

  @TempDir Path tmp;
  ApiFixture f;

  @BeforeEach
  void start() {
    f = new ApiFixture(tmp);
    ReportRows rows = new ReportRows(f.store);
    rows.run(RUN, "r1", T0, T0.plusSeconds(3600), "COMPLETE");
    rows.note(RUN, T0.plusSeconds(60), "olga", "<script>alert(1)</script>");
    rows.sample("s1", 1, RUN, "urea", 3.4, "mg/dL", 34, "mg/L", T0.plusSeconds(600), null);
    ReportRoutes.mount(
        f.vertx,
        f.api.router(),
        f.api.guard(),
        new RunReportGatherer(f.store, null, reactor -> null, f.clock));
    f.user("vera", Role.VIEWER);
  }

  @AfterEach
  void stop() {
    f.close();
  }

  @Test
  void aViewerGetsEachFormat() {
    ApiFixture.Client vera = f.loggedIn("vera");
    ApiFixture.Response md = vera.get("/api/runs/" + RUN + "/report");
    assertThat(md.status()).isEqualTo(200);
    assertThat(md.contentType()).startsWith("text/markdown");
    assertThat(md.body()).startsWith("# Run report " + RUN).contains("| Duration | 01:00:00 |");

    ApiFixture.Response html = vera.get("/api/runs/" + RUN + "/report?format=html");
    assertThat(html.status()).isEqualTo(200);
    assertThat(html.contentType()).startsWith("text/html");
    assertThat(html.headers().firstValue("Content-Security-Policy"))
        .hasValue(ReportRoutes.HTML_POLICY);
    assertThat(html.body())
        .doesNotContain("<script>")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .contains("Unavailable: no InfluxDB configured");

    ApiFixture.Response csv = vera.get("/api/runs/" + RUN + "/report?format=CSV");
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.contentType()).startsWith("text/csv");
    assertThat(csv.headers().firstValue("Content-Disposition"))
        .hasValue("attachment; filename=\"" + RUN + "-report.csv\"");
    assertThat(csv.body().lines())
        .containsExactly("bucket_start,lab_urea_mg/L", "2026-04-01T06:10:00Z,34.0");
  }

  @Test
  void anUnknownRunIs404NamingIt() {
    ApiFixture.Response r = f.loggedIn("vera").get("/api/runs/r1-20990101-000000/report");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(r.json().getString("detail")).isEqualTo("no run 'r1-20990101-000000'");
  }

  @Test
  void anUnknownFormatOrParameterIs400() {
    ApiFixture.Client vera = f.loggedIn("vera");
    ApiFixture.Response pdf = vera.get("/api/runs/" + RUN + "/report?format=pdf");
    assertThat(pdf.status()).isEqualTo(400);
    assertThat(pdf.body()).contains("format").contains("unknown report format 'pdf'");
    assertThat(vera.get("/api/runs/" + RUN + "/report?fmt=md").status()).isEqualTo(400);
  }

  @Test
  void withoutASessionItIs401() {
    assertThat(f.client().get("/api/runs/" + RUN + "/report").status()).isEqualTo(401);
  }
}
