package io.hepaloop.cli;

import io.hepaloop.telemetry.InfluxConfig;
import io.hepaloop.telemetry.InfluxHttp;
import io.hepaloop.telemetry.LocalInfluxd;
import io.hepaloop.telemetry.RunExporter;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hepaloop export --run ID --format csv|lp [--output FILE]}: one wide CSV per run, or line
 * protocol. InfluxDB from the environment ({@code HEPALOOP_INFLUX_URL}, {@code HEPALOOP_INFLUX_DB},
 * credentials) unless {@code --url}/{@code --db} say otherwise. Streams in bounded memory.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Export a run's telemetry as one wide CSV or as line protocol.")
public final class ExportCommand implements Callable<Integer> {
  enum Format {
    csv,
    lp
  }

  @Option(names = "--run", required = true, description = "Run id (the run tag of the points).")
  String run;

  @Option(
      names = "--format",
      defaultValue = "csv",
      description =
          "csv (one wide CSV: time, reactor, per signal value+quality, per loop setpoint/output/mode) or lp (line protocol). Default: ${DEFAULT-VALUE}.")
  Format format;

  @Option(
      names = {"-o", "--output"},
      description = "Output file (default: standard output).")
  Path output;

  @Option(
      names = "--url",
      description = "InfluxDB URL (default: $HEPALOOP_INFLUX_URL or http://127.0.0.1:8086).")
  String url;

  @Option(names = "--db", description = "Database (default: $HEPALOOP_INFLUX_DB or hepaloop).")
  String database;

  @Option(
      names = "--data-dir",
      description =
          "Read the run from the private InfluxDB kept under DIR/influxd by demo or serve "
              + "(started for the export and stopped after), e.g. data/demo. Instead of --url.")
  Path dataDir;

  @Option(
      names = "--window-minutes",
      defaultValue = "10",
      description =
          "Time window read at once; memory is bounded by one window. Default: ${DEFAULT-VALUE}.")
  int windowMinutes;

  @Override
  public Integer call() throws Exception {
    if (dataDir != null) {
      if (url != null) {
        System.err.println(
            "hepaloop export: --data-dir starts the private InfluxDB of that directory; drop --url");
        return 2;
      }
      Path dir = dataDir.resolve("influxd");
      if (!Files.isDirectory(dir.resolve("meta"))) {
        System.err.println(
            "hepaloop export: no private InfluxDB data under "
                + dir
                + " (was the run made by demo or serve with "
                + "--data-dir "
                + dataDir
                + " and influxd installed? Without influxd its telemetry is still in "
                + dataDir.resolve("spool")
                + " and is sent when a run starts with InfluxDB)");
        return 1;
      }
      if (!LocalInfluxd.isInstalled()) {
        System.err.println(
            "hepaloop export: influxd is not installed, so the data under "
                + dir
                + " cannot be read "
                + "(apt-get install influxdb, or set HEPALOOP_INFLUXD)");
        return 1;
      }
      try (LocalInfluxd influxd = LocalInfluxd.launchIn(dir)) {
        return export(InfluxConfig.local(influxd.url(), database != null ? database : "hepaloop"));
      }
    }
    InfluxConfig cfg = InfluxConfig.fromEnv(System.getenv());
    if (url != null) {
      cfg = cfg.withUrl(url);
    }
    if (database != null) {
      cfg = cfg.withDatabase(database);
    }
    return export(cfg);
  }

  private int export(InfluxConfig cfg) throws Exception {
    InfluxHttp http = new InfluxHttp(cfg, Duration.ofMinutes(5));
    if (!http.ping()) {
      System.err.println(
          "hepaloop export: InfluxDB at "
              + cfg.url()
              + " does not answer /ping (set HEPALOOP_INFLUX_URL or --url)");
      return 1;
    }
    RunExporter exporter = new RunExporter(http, run, Duration.ofMinutes(windowMinutes), 10_000);
    try (Writer out =
        output == null
            ? new BufferedWriter(
                new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16)
            : Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
      long n = format == Format.csv ? exporter.exportCsv(out) : exporter.exportLineProtocol(out);
      out.flush();
      if (n == 0) {
        System.err.println(
            "hepaloop export: run '"
                + run
                + "' has no points in "
                + cfg.database()
                + " at "
                + cfg.url());
        return 1;
      }
      System.err.println(
          "hepaloop export: "
              + n
              + (format == Format.csv ? " rows" : " lines")
              + " of run "
              + run
              + (output == null ? "" : " written to " + output));
    }
    return 0;
  }
}
