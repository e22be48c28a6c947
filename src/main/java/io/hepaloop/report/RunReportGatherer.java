package io.hepaloop.report;

import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.report.RunReport.LabResult;
import io.hepaloop.report.RunReport.LoopBand;
import io.hepaloop.report.RunReport.LoopTrend;
import io.hepaloop.report.RunReport.RunInfo;
import io.hepaloop.report.RunReport.TimePoint;
import io.hepaloop.report.RunReport.Unavailable;
import io.hepaloop.report.RunReport.WideRow;
import io.hepaloop.report.RunReport.WideTable;
import io.hepaloop.store.Store;
import io.hepaloop.time.Clock;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers a {@link RunReport}: the run's rows from the database in one read, then the telemetry
 * figures from InfluxDB. Without an InfluxDB (none configured, or it does not answer) the report is
 * still made, and names the sections it lacks and why. Blocks on disk and HTTP: call it on a
 * worker.
 */
public final class RunReportGatherer implements RunReports {
  private static final Logger LOG = LoggerFactory.getLogger(RunReportGatherer.class);

  private final Store store;
  private final ReportTelemetry telemetry;
  private final Function<String, DeviceProfile> profiles;
  private final Clock clock;

  /**
   * @param store the data directory's database (only read)
   * @param telemetry the InfluxDB telemetry is in, or null when there is none
   * @param profiles the device profile of a reactor, or null when it is unknown (time in band is
   *     then unavailable)
   */
  public RunReportGatherer(
      Store store,
      ReportTelemetry telemetry,
      Function<String, DeviceProfile> profiles,
      Clock clock) {
    this.store = store;
    this.telemetry = telemetry;
    this.profiles = profiles;
    this.clock = clock;
  }

  /**
   * Checks that {@code runId} is in the database, before a caller starts anything costly (the
   * private InfluxDB) for its report.
   *
   * @throws UnknownRunException when there is no such run
   */
  public void requireRun(String runId) {
    if (store.read(c -> new RunRecords(c).run(runId)) == null) {
      throw new UnknownRunException(runId, store.file().toString());
    }
  }

  /**
   * The report of {@code runId}; with {@code wide}, also the wide table of the CSV export.
   *
   * @throws UnknownRunException when there is no such run
   */
  @Override
  public RunReport gather(String runId, boolean wide) {
    Instant now = clock.now();
    Sql sql = store.read(c -> Sql.read(new RunRecords(c), runId, now));
    if (sql == null) {
      throw new UnknownRunException(runId, store.file().toString());
    }
    RunInfo run = sql.run;
    List<Unavailable> unavailable = new ArrayList<>();
    List<LoopBand> bands = new ArrayList<>();
    List<TimePoint> our = List.of();
    List<LoopTrend> trends = List.of();
    WideTable table = null;
    String missing = telemetryMissing(run);
    if (missing == null) {
      Instant from = run.startedAt();
      Instant to = sql.end;
      Duration window = Duration.between(from, to);
      try {
        DeviceProfile profile = profiles.apply(run.reactorId());
        if (profile == null) {
          unavailable.add(
              new Unavailable(
                  RunReport.TIME_IN_BAND,
                  "no device profile known for reactor " + run.reactorId() + ", so no band"));
        } else {
          for (LoopBands.Band b : LoopBands.of(profile)) {
            long[] n = telemetry.timeInBand(run.reactorId(), b.loopId(), b.halfWidth(), from, to);
            bands.add(new LoopBand(b.loopId(), b.halfWidth(), b.source(), n[0], n[1]));
          }
        }
        Duration chart = Buckets.of(window, Buckets.CHART_BUCKETS);
        our = telemetry.ourPer1e6Cells(run.reactorId(), from, to, chart);
        trends = telemetry.loopTrends(run.reactorId(), from, to, chart);
        if (wide) {
          table = wideTable(run.reactorId(), from, to, sql.lab, window);
        }
      } catch (RuntimeException e) {
        LOG.warn("run report {}: telemetry unavailable: {}", runId, e.toString());
        missing = "InfluxDB at " + telemetry.describe() + " failed: " + e.getMessage();
        bands.clear();
        our = List.of();
        trends = List.of();
        table = null;
      }
    }
    if (missing != null) {
      for (String section :
          List.of(RunReport.TIME_IN_BAND, RunReport.OUR_TREND, RunReport.LOOP_TRENDS)) {
        if (unavailable.stream().noneMatch(u -> u.section().equals(section))) {
          unavailable.add(new Unavailable(section, missing));
        }
      }
      if (wide) {
        unavailable.add(new Unavailable(RunReport.WIDE_TABLE, missing));
        table = labOnlyTable(sql.lab);
      }
    }
    return new RunReport(
        now,
        run,
        sql.phases,
        sql.alarms,
        bands,
        our,
        trends,
        sql.lab,
        sql.notes,
        sql.audit,
        table,
        unavailable);
  }

  /** Why the run has no telemetry figures, or null when they can be asked for. */
  private String telemetryMissing(RunInfo run) {
    if (telemetry == null) {
      return "no InfluxDB configured (telemetry is in InfluxDB only)";
    }
    if (run.startedAt() == null) {
      return "the run has not started";
    }
    if (!telemetry.reachable()) {
      return "InfluxDB at " + telemetry.describe() + " does not answer /ping";
    }
    return null;
  }

  /**
   * One row per bucket of the run: every signal's mean, OUR per 10^6 cells, then one column per lab
   * analyte (its canonical unit) holding the mean of the samples drawn in that bucket.
   */
  private WideTable wideTable(
      String reactorId, Instant from, Instant to, List<LabResult> lab, Duration window) {
    Duration bucket = Buckets.of(window, Buckets.CSV_ROWS);
    Map<String, Map<Instant, Double>> columns =
        new TreeMap<>(telemetry.signalMeans(reactorId, from, to, bucket));
    Map<Instant, Double> our = new TreeMap<>();
    for (TimePoint p : telemetry.ourPer1e6Cells(reactorId, from, to, bucket)) {
      our.put(p.time(), p.value());
    }
    Map<String, Map<Instant, Double>> all = new java.util.LinkedHashMap<>(columns);
    all.put("our_per_1e6_cells_nmol_per_min", our);
    all.putAll(labColumns(lab, bucket));
    return table(bucket, all);
  }

  /** The CSV without InfluxDB: the lab results alone, one row per sampled bucket of one minute. */
  private static WideTable labOnlyTable(List<LabResult> lab) {
    Duration bucket = Duration.ofMinutes(1);
    return table(bucket, labColumns(lab, bucket));
  }

  private static Map<String, Map<Instant, Double>> labColumns(
      List<LabResult> lab, Duration bucket) {
    Map<String, Map<Instant, double[]>> sums = new TreeMap<>();
    for (LabResult r : lab) {
      String column = "lab_" + r.analyte() + "_" + r.canonicalUnit();
      long step = bucket.toNanos();
      long t = RunRecords.nanos(r.sampledAt());
      Instant start = Instant.ofEpochSecond(0, Math.floorDiv(t, step) * step);
      double[] s =
          sums.computeIfAbsent(column, k -> new TreeMap<>())
              .computeIfAbsent(start, k -> new double[2]);
      s[0] += r.valueCanonical();
      s[1]++;
    }
    Map<String, Map<Instant, Double>> out = new java.util.LinkedHashMap<>();
    sums.forEach(
        (column, byTime) -> {
          Map<Instant, Double> means = new TreeMap<>();
          byTime.forEach((t, s) -> means.put(t, s[0] / s[1]));
          out.put(column, means);
        });
    return out;
  }

  private static WideTable table(Duration bucket, Map<String, Map<Instant, Double>> columns) {
    List<String> names = new ArrayList<>(columns.keySet());
    TreeSet<Instant> times = new TreeSet<>();
    columns.values().forEach(m -> times.addAll(m.keySet()));
    List<WideRow> rows = new ArrayList<>(times.size());
    for (Instant t : times) {
      double[] values = new double[names.size()];
      Arrays.fill(values, Double.NaN);
      for (int i = 0; i < names.size(); i++) {
        Double v = columns.get(names.get(i)).get(t);
        if (v != null) {
          values[i] = v;
        }
      }
      rows.add(new WideRow(t, values));
    }
    return new WideTable(bucket, names, rows);
  }

  /** The database's part of the report, read on one connection. */
  private record Sql(
      RunInfo run,
      Instant end,
      List<RunReport.Phase> phases,
      List<RunReport.AlarmStats> alarms,
      List<LabResult> lab,
      List<RunReport.Note> notes,
      RunReport.AuditSummary audit) {
    static Sql read(RunRecords records, String runId, Instant now) throws SQLException {
      RunInfo run = records.run(runId);
      if (run == null) {
        return null;
      }
      Instant end = run.endedAt() != null ? run.endedAt() : now;
      Instant start = run.startedAt() != null ? run.startedAt() : end;
      return new Sql(
          run,
          end,
          records.phases(runId, run.endedAt()),
          records.alarms(run.reactorId(), start, end),
          records.labResults(runId),
          records.notes(runId),
          records.audit(runId));
    }
  }
}
