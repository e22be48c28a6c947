package io.hepaloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.report.ReportRows;
import io.hepaloop.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hepaloop run report} through picocli on a temporary data directory, without InfluxDB. */
class RunReportCommandTest {
  static final String RUN = "r1-20260401-060000";
  static final Instant T0 = Instant.parse("2026-04-01T06:00:00Z");

  @TempDir Path tmp;

  private CliRun run(String... args) {
    return CliRun.of(args);
  }

  private void oneRun() {
    try (Store store = Store.open(tmp)) {
      ReportRows rows = new ReportRows(store);
      rows.run(RUN, "r1", T0, T0.plusSeconds(7200), "COMPLETE");
      rows.note(RUN, T0.plusSeconds(60), "alice", "<b>looks fine</b>");
    }
  }

  @Test
  void anUnknownRunIsAClearErrorNamingIt() {
    oneRun();
    CliRun r = run("run", "report", "r1-20990101-000000", "--data-dir", tmp.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("hepaloop run report: no run 'r1-20990101-000000' in ")
        .contains(tmp.toString())
        .doesNotContain("\tat ");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aMalformedRunIdIsRefusedBeforeAnythingIsRead() {
    CliRun r = run("run", "report", "r1 bad/id", "--data-dir", tmp.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("run id 'r1 bad/id' is not valid");
  }

  @Test
  void aDirectoryWithoutDatabaseIsNamed() {
    Path empty = tmp.resolve("nothing");
    CliRun r = run("run", "report", RUN, "--data-dir", empty.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("no database in " + empty);
    assertThat(Files.exists(empty.resolve(Store.FILE_NAME))).isFalse();
  }

  @Test
  void writesTheHtmlReportToAFileAndSaysWhatIsUnavailable() throws Exception {
    oneRun();
    Path file = tmp.resolve("report.html");
    CliRun r =
        run(
            "run",
            "report",
            RUN,
            "--data-dir",
            tmp.toString(),
            "--format",
            "html",
            "--out",
            file.toString());
    assertThat(r.exit()).isZero();
    String html = Files.readString(file);
    assertThat(html).contains("<h1>Run report " + RUN + "</h1>");
    assertThat(html).contains("&lt;b&gt;looks fine&lt;/b&gt;");
    assertThat(r.err()).contains("Time in band unavailable: no InfluxDB configured");
  }

  @Test
  void markdownGoesToStandardOutput() {
    oneRun();
    CliRun r = run("run", "report", RUN, "--data-dir", tmp.toString());
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("# Run report " + RUN).contains("| Duration | 02:00:00 |");
  }
}
