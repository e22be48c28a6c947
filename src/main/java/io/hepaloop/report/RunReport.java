package io.hepaloop.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything a run report says, as plain data: gathered once by {@link RunReportGatherer} from the
 * database and InfluxDB, then written by a renderer ({@link MarkdownReport}, {@link HtmlReport},
 * {@link CsvReport}). Renderers read nothing else, so they are tested with a hand-built report.
 *
 * @param generatedAt when the report was made (the end of an open run's window)
 * @param run the run's metadata
 * @param phases the recipe phases the run went through, in order
 * @param alarms annunciations per priority, most urgent first
 * @param loops time in band per loop; empty when {@link #unavailable} names the section
 * @param ourPer1e6Cells OUR per 10^6 cells trend, nmol/min per 10^6 cells, bucket means
 * @param loopTrends PV and setpoint per loop, bucket means
 * @param labResults the latest revision of each lab sample, by sample time
 * @param notes operator notes, by the time they are about
 * @param audit the run's audit records
 * @param wide the wide table (CSV export); null when not gathered
 * @param unavailable sections that could not be made, with the reason
 */
public record RunReport(
    Instant generatedAt,
    RunInfo run,
    List<Phase> phases,
    List<AlarmStats> alarms,
    List<LoopBand> loops,
    List<TimePoint> ourPer1e6Cells,
    List<LoopTrend> loopTrends,
    List<LabResult> labResults,
    List<Note> notes,
    AuditSummary audit,
    WideTable wide,
    List<Unavailable> unavailable) {

  public RunReport {
    phases = List.copyOf(phases);
    alarms = List.copyOf(alarms);
    loops = List.copyOf(loops);
    ourPer1e6Cells = List.copyOf(ourPer1e6Cells);
    loopTrends = List.copyOf(loopTrends);
    labResults = List.copyOf(labResults);
    notes = List.copyOf(notes);
    unavailable = List.copyOf(unavailable);
  }

  /** The sections a report has, for {@link Unavailable}. */
  public static final String TIME_IN_BAND = "Time in band";

  public static final String OUR_TREND = "OUR per 10^6 cells";
  public static final String LOOP_TRENDS = "Loop trends";
  public static final String WIDE_TABLE = "Telemetry columns of the CSV export";

  /** The reason {@code section} is missing, or null when it is there. */
  public String unavailableReason(String section) {
    return unavailable.stream()
        .filter(u -> u.section().equals(section))
        .map(Unavailable::reason)
        .findFirst()
        .orElse(null);
  }

  /**
   * The run's identity and construct.
   *
   * @param startedAt null while IDLE
   * @param endedAt null while the run is open
   */
  public record RunInfo(
      String runId,
      String reactorId,
      String state,
      String cellSource,
      String cellSourceDetail,
      double cellsSeeded,
      String scaffold,
      String medium,
      String operator,
      String recipeName,
      String recipeVersion,
      String recipeSha256,
      Instant createdAt,
      Instant startedAt,
      Instant endedAt) {}

  /** From start to end, or to {@code generatedAt} for an open run; null before it started. */
  public Duration duration() {
    if (run.startedAt() == null) {
      return null;
    }
    Instant end = run.endedAt() != null ? run.endedAt() : generatedAt;
    return Duration.between(run.startedAt(), end);
  }

  /**
   * One phase of the recipe as the run went through it.
   *
   * @param endedAt null while the phase goes on
   */
  public record Phase(int index, String phaseId, Instant startedAt, Instant endedAt) {
    /** Null while the phase goes on. */
    public Duration duration() {
      return endedAt == null ? null : Duration.between(startedAt, endedAt);
    }
  }

  /**
   * Annunciations of one priority in the run's window.
   *
   * @param priority CRITICAL, HIGH, MEDIUM, LOW (or UNKNOWN when the journal has none)
   * @param count alarms that became UNACK_ACTIVE
   * @param acknowledged how many of them an operator acknowledged
   * @param medianAckS median time to acknowledge, seconds; null when none was acknowledged
   * @param maxAckS longest time to acknowledge, seconds; null when none was acknowledged
   */
  public record AlarmStats(
      String priority, long count, long acknowledged, Double medianAckS, Double maxAckS) {}

  /**
   * Time in band of one loop.
   *
   * @param bandAbs half width of the band, PV units: in band when |PV - SP| ≤ bandAbs
   * @param bandSource where the band comes from (the deviation alarm, or the default rule)
   * @param samples good PV samples in the run's window
   * @param inBand how many of them were in the band
   */
  public record LoopBand(
      String loopId, double bandAbs, String bandSource, long samples, long inBand) {
    /** Fraction of the samples in band, 0..1; NaN without samples. */
    public double fractionInBand() {
      return samples == 0 ? Double.NaN : (double) inBand / samples;
    }
  }

  /** A value at a time (a bucket's start for bucket means). */
  public record TimePoint(Instant time, double value) {}

  /** PV and setpoint of one loop. */
  public record LoopTrend(String loopId, List<TimePoint> pv, List<TimePoint> setpoint) {
    public LoopTrend {
      pv = List.copyOf(pv);
      setpoint = List.copyOf(setpoint);
    }
  }

  /**
   * The latest revision of one lab sample.
   *
   * @param revision 1 for an original entry; above 1 it was corrected
   * @param correctionReason why the latest revision corrected the value; null for revision 1
   * @param originalValue the value first entered (revision 1, in {@code originalUnit}) when
   *     corrected, else null
   */
  public record LabResult(
      String sampleId,
      int revision,
      String analyte,
      double value,
      String unit,
      double valueCanonical,
      String canonicalUnit,
      boolean belowDetectionLimit,
      Double detectionLimit,
      String method,
      Instant sampledAt,
      Instant measuredAt,
      String enteredBy,
      String correctionReason,
      Double originalValue,
      String originalUnit) {
    public boolean corrected() {
      return revision > 1;
    }
  }

  /** An operator note. */
  public record Note(Instant notedAt, String user, String text) {}

  /**
   * The run's audit records.
   *
   * @param countByAction records per action, by action name
   * @param signed the e-signed records, in sequence order
   */
  public record AuditSummary(Map<String, Long> countByAction, List<SignedRecord> signed) {
    public AuditSummary {
      countByAction = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(countByAction));
      signed = List.copyOf(signed);
    }

    public long total() {
      return countByAction.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** One e-signed audit record. */
  public record SignedRecord(
      long seq,
      Instant recordedAt,
      String user,
      String action,
      String target,
      String signedBy,
      String meaning,
      Instant signedAt) {}

  /**
   * The wide table of the CSV export: one row per time bucket.
   *
   * @param bucket the buckets' width
   * @param columns the value columns (after the time column)
   * @param rows in time order
   */
  public record WideTable(Duration bucket, List<String> columns, List<WideRow> rows) {
    public WideTable {
      columns = List.copyOf(columns);
      rows = List.copyOf(rows);
    }
  }

  /**
   * One bucket of the wide table.
   *
   * @param values one per column; NaN where the bucket has no value
   */
  public record WideRow(Instant bucketStart, double[] values) {}

  /** A section the report lacks, and why (e.g. no InfluxDB configured). */
  public record Unavailable(String section, String reason) {}
}
