package io.hepaloop.cli;

import io.hepaloop.core.DirectoryInUseException;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.report.ReportFormat;
import io.hepaloop.report.ReportTelemetry;
import io.hepaloop.report.RunReport;
import io.hepaloop.report.RunReportGatherer;
import io.hepaloop.run.RunIdentity;
import io.hepaloop.store.Store;
import io.hepaloop.telemetry.InfluxConfig;
import io.hepaloop.telemetry.InfluxHttp;
import io.hepaloop.telemetry.LocalInfluxd;
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
 * file with charts, or the wide CSV, to standard output or a file. Telemetry comes from {@code
 * --influx}, else from the data directory's private influxd; without either the report names the
 * sections it lacks. The database is opened read-only, and refused if not at this code's schema.
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
  private static final Duration INFLUX_TIMEOUT = Duration.ofMinutes(2);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run, e.g. r1-20260101-080000.")
  String runId;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Data directory whose database holds the run (default: data/demo), opened read-only;"
              + " it must be at this HepaLoop's schema version. May be in use by a running"
              + " HepaLoop.")
  Path dataDir;

  @Option(
      names = "--influx",
      paramLabel = "URL",
      description =
          "InfluxDB (v1 API) holding the run's telemetry, e.g. http://127.0.0.1:8086; credentials"
              + " from HEPALOOP_INFLUX_USER/PASSWORD/TOKEN. Without it, the private InfluxDB that"
              + " demo or serve keep under DIR/influxd (started for the report and stopped after,"
              + " or the running one while a HepaLoop uses DIR); without either, the telemetry"
              + " sections say they are unavailable.")
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

  /** The telemetry to read, and the private influxd started for it (stopped by close). */
  private record Telemetry(ReportTelemetry reader, LocalInfluxd started) implements AutoCloseable {
    @Override
    public void close() {
      if (started != null) {
        started.close();
      }
    }
  }

  /**
   * With {@code --influx}, that server. Without it, like {@code export --data-dir}: the private
   * influxd that demo or serve keeps under {@code DIR/influxd}, started for the report and stopped
   * after; while a HepaLoop runs on the directory (its influxd holds the lock), the one it runs, at
   * the port of its {@code influxd.conf}. None (no such data, influxd not installed): the report is
   * made without telemetry, and standard error says why.
   */
  private Telemetry telemetry(Path dir, PrintWriter err) {
    if (influxUrl != null) {
      InfluxConfig cfg =
          InfluxConfig.fromEnv(System.getenv()).withUrl(influxUrl).withDatabase(influxDb);
      return new Telemetry(new ReportTelemetry(new InfluxHttp(cfg, INFLUX_TIMEOUT)), null);
    }
    Path influxDir = dir.resolve("influxd");
    if (!Files.isDirectory(influxDir.resolve("meta"))) {
      err.println(
          "hepaloop run report: no --influx, and no private InfluxDB data under "
              + influxDir
              + " (demo and serve keep it there when influxd is installed)");
      return new Telemetry(null, null);
    }
    try {
      LocalInfluxd influxd = LocalInfluxd.launchIn(influxDir);
      return new Telemetry(reader(influxd.url()), influxd);
    } catch (DirectoryInUseException e) {
      String url = runningUrl(influxDir);
      if (url == null) {
        err.println(
            "hepaloop run report: the private InfluxDB under "
                + influxDir
                + " is in use and its port unknown; give --influx: "
                + e.getMessage());
        return new Telemetry(null, null);
      }
      return new Telemetry(reader(url), null);
    } catch (RuntimeException e) {
      err.println(
          "hepaloop run report: the private InfluxDB under "
              + influxDir
              + " could not be started: "
              + e.getMessage());
      return new Telemetry(null, null);
    }
  }

  private ReportTelemetry reader(String url) {
    return new ReportTelemetry(new InfluxHttp(InfluxConfig.local(url, influxDb), INFLUX_TIMEOUT));
  }

  /** The HTTP address in the {@code [http]} section of the private influxd's generated config. */
  static String runningUrl(Path influxDir) {
    Path config = influxDir.resolve("influxd.conf");
    try {
      boolean http = false;
      for (String line : Files.readAllLines(config, StandardCharsets.UTF_8)) {
        String l = line.strip();
        if (l.startsWith("[")) {
          http = l.equals("[http]");
        } else if (http && l.startsWith("bind-address")) {
          String address = l.substring(l.indexOf('=') + 1).strip().replace("\"", "");
          return "http://" + address;
        }
      }
      return null;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  @Override
  public Integer call() throws Exception {
    RunIdentity.checkId(runId);
    Path dir = AuditCommand.dataDir(dataDir);
    if (!Files.isRegularFile(dir.resolve(Store.FILE_NAME))) {
      throw new IllegalArgumentException(
          "no database in " + dir + " (" + Store.FILE_NAME + "); check --data-dir");
    }
    DeviceProfile deviceProfile = profile.load();
    PrintWriter err = spec.commandLine().getErr();
    RunReport report;
    // Read-only: a report never migrates or otherwise changes the database it reads.
    try (Store store = Store.openReadOnly(dir)) {
      new RunReportGatherer(store, null, reactor -> deviceProfile, SystemClock.INSTANCE)
          .requireRun(runId);
      try (Telemetry telemetry = telemetry(dir, err)) {
        report =
            new RunReportGatherer(
                    store, telemetry.reader, reactor -> deviceProfile, SystemClock.INSTANCE)
                .gather(runId, format.needsWideTable());
      }
    }
    String text = format.render(report);
    if (out == null) {
      PrintWriter w = spec.commandLine().getOut();
      w.print(text);
      w.flush();
    } else {
      Files.writeString(out, text, StandardCharsets.UTF_8);
    }
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
