package io.hepaloop.cli;

import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.report.ReportFormat;
import io.hepaloop.report.ReportTelemetry;
import io.hepaloop.report.RunReport;
import io.hepaloop.report.RunReportGatherer;
import io.hepaloop.run.RunIdentity;
import io.hepaloop.store.Store;
import io.hepaloop.telemetry.InfluxConfig;
import io.hepaloop.telemetry.InfluxHttp;
import io.hepaloop.time.SystemClock;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hepaloop run report RUN_ID}: the run report (docs/run-report.md) as Markdown, one HTML
 * file with charts, or the wide CSV, to standard output or a file. Telemetry figures need {@code
 * --influx}; without it the report names the sections it lacks.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Report of one run: metadata, phases, alarms with time to acknowledge, time in band per loop,"
          + " OUR per 10^6 cells, lab results, notes and audit records; as Markdown, one HTML file"
          + " with charts, or the wide CSV export.",
      "Exit code 0: written; 2: no such run or bad input."
    })
public final class RunReportCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run, e.g. r1-20260101-080000.")
  String runId;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Data directory whose database holds the run (default: data/demo). May be in use by a"
              + " running HepaLoop.")
  Path dataDir;

  @Option(
      names = "--influx",
      paramLabel = "URL",
      description =
          "InfluxDB (v1 API) holding the run's telemetry, e.g. http://127.0.0.1:8086; credentials"
              + " from HEPALOOP_INFLUX_USER/PASSWORD/TOKEN. Without it the telemetry sections say"
              + " they are unavailable.")
  String influxUrl;

  @Option(
      names = "--influx-db",
      paramLabel = "NAME",
      defaultValue = "hepaloop",
      description = "InfluxDB database (default: ${DEFAULT-VALUE}).")
  String influxDb;

  @Option(
      names = "--format",
      defaultValue = "md",
      description = "md, html (one file with charts, no network needed) or csv (wide export).")
  ReportFormat format;

  @Option(
      names = {"-o", "--out"},
      paramLabel = "FILE",
      description = "Write to FILE (default: standard output).")
  Path out;

  @Mixin ProfileOption profile;

  @Override
  public Integer call() throws Exception {
    RunIdentity.checkId(runId);
    Path dir = AuditCommand.dataDir(dataDir);
    if (!Files.isRegularFile(dir.resolve(Store.FILE_NAME))) {
      throw new IllegalArgumentException(
          "no database in " + dir + " (" + Store.FILE_NAME + "); check --data-dir");
    }
    DeviceProfile deviceProfile = profile.load();
    ReportTelemetry telemetry = null;
    if (influxUrl != null) {
      InfluxConfig cfg =
          InfluxConfig.fromEnv(System.getenv()).withUrl(influxUrl).withDatabase(influxDb);
      telemetry = new ReportTelemetry(new InfluxHttp(cfg, Duration.ofMinutes(2)));
    }
    RunReport report;
    try (Store store = Store.open(dir)) {
      report =
          new RunReportGatherer(store, telemetry, reactor -> deviceProfile, SystemClock.INSTANCE)
              .gather(runId, format.needsWideTable());
    }
    String text = format.render(report);
    if (out == null) {
      PrintWriter w = spec.commandLine().getOut();
      w.print(text);
      w.flush();
    } else {
      Files.writeString(out, text, StandardCharsets.UTF_8);
    }
    PrintWriter err = spec.commandLine().getErr();
    for (RunReport.Unavailable u : report.unavailable()) {
      err.println("hepaloop run report: " + u.section() + " unavailable: " + u.reason());
    }
    if (out != null) {
      err.println("hepaloop run report: " + format + " report of " + runId + " written to " + out);
    }
    err.flush();
    return 0;
  }
}
