package io.hepaloop.report;

import io.hepaloop.report.RunReport.AlarmStats;
import io.hepaloop.report.RunReport.AuditSummary;
import io.hepaloop.report.RunReport.LabResult;
import io.hepaloop.report.RunReport.LoopBand;
import io.hepaloop.report.RunReport.LoopTrend;
import io.hepaloop.report.RunReport.Note;
import io.hepaloop.report.RunReport.Phase;
import io.hepaloop.report.RunReport.RunInfo;
import io.hepaloop.report.RunReport.SignedRecord;
import io.hepaloop.report.RunReport.TimePoint;
import io.hepaloop.report.RunReport.Unavailable;
import io.hepaloop.report.RunReport.WideRow;
import io.hepaloop.report.RunReport.WideTable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Hand-built reports for the renderer tests. */
final class SampleReports {
  static final Instant START = Instant.parse("2026-03-01T08:00:00Z");
  static final Instant END = START.plus(Duration.ofDays(3).plusHours(2).plusMinutes(5));
  static final String EVIL_NOTE = "<script>alert('x')</script> & | *bold*";

  private SampleReports() {}

  static RunReport full() {
    RunInfo run =
        new RunInfo(
            "r1-20260301-080000",
            "r1",
            "COMPLETE",
            "heparg",
            "lot 42",
            2.5e7,
            "PCL scaffold",
            "William's E",
            "alice",
            "hepatocyte-perfusion-standard",
            "3",
            "a".repeat(64),
            START.minusSeconds(600),
            START,
            END);
    List<Phase> phases =
        List.of(
            new Phase(0, "attachment", START, START.plus(Duration.ofHours(24))),
            new Phase(1, "maintenance", START.plus(Duration.ofHours(24)), END));
    List<AlarmStats> alarms =
        List.of(
            new AlarmStats("CRITICAL", 0, 0, null, null),
            new AlarmStats("HIGH", 3, 2, 45.0, 300.0),
            new AlarmStats("MEDIUM", 1, 1, 10.0, 10.0),
            new AlarmStats("LOW", 0, 0, null, null));
    List<LoopBand> loops =
        List.of(
            new LoopBand("flow", 0.2, "deviation alarm flow_deviation limit", 1000, 973),
            new LoopBand("temperature", 0.18, "2 % of the setpoint range 30.0..39.0", 400, 100));
    List<TimePoint> our =
        List.of(
            new TimePoint(START, 12.5),
            new TimePoint(START.plus(Duration.ofDays(1)), 14.0),
            new TimePoint(START.plus(Duration.ofDays(2)), 11.25));
    List<LoopTrend> trends =
        List.of(
            new LoopTrend(
                "flow",
                List.of(new TimePoint(START, 0.98), new TimePoint(END, 1.02)),
                List.of(new TimePoint(START, 1.0), new TimePoint(END, 1.0))));
    List<LabResult> lab =
        List.of(
            new LabResult(
                "s-1",
                1,
                "albumin",
                12.0,
                "ug/mL",
                12.0,
                "ug/mL",
                false,
                null,
                "ELISA",
                START.plus(Duration.ofHours(30)),
                START.plus(Duration.ofHours(50)),
                "bob",
                null,
                null,
                null),
            new LabResult(
                "s-2",
                2,
                "urea",
                3.4,
                "mg/dL",
                34.0,
                "mg/L",
                false,
                0.1,
                null,
                START.plus(Duration.ofHours(40)),
                START.plus(Duration.ofHours(60)),
                "carol",
                "transcription error",
                4.3,
                "mg/dL"));
    List<Note> notes = List.of(new Note(START.plus(Duration.ofHours(2)), "alice", EVIL_NOTE));
    AuditSummary audit =
        new AuditSummary(
            Map.of("RUN", 4L, "SETPOINT", 2L),
            List.of(
                new SignedRecord(
                    17,
                    END,
                    "dave",
                    "RUN",
                    "r1-20260301-080000",
                    "Dave Engineer",
                    "approved",
                    END)));
    WideTable wide =
        new WideTable(
            Duration.ofMinutes(1),
            List.of("flow", "temperature", "our_per_1e6_cells_nmol_per_min", "lab_urea,total_mg/L"),
            List.of(
                new WideRow(START, new double[] {1.0, 37.0, 12.5, Double.NaN}),
                new WideRow(START.plusSeconds(60), new double[] {1.01, Double.NaN, 12.75, 34.0})));
    return new RunReport(
        END.plusSeconds(60),
        run,
        phases,
        alarms,
        loops,
        our,
        trends,
        lab,
        notes,
        audit,
        wide,
        List.of());
  }

  /** The same run gathered without InfluxDB. */
  static RunReport withoutTelemetry() {
    RunReport f = full();
    String why = "no InfluxDB configured (telemetry is in InfluxDB only)";
    return new RunReport(
        f.generatedAt(),
        f.run(),
        f.phases(),
        f.alarms(),
        List.of(),
        List.of(),
        List.of(),
        f.labResults(),
        f.notes(),
        f.audit(),
        null,
        List.of(
            new Unavailable(RunReport.TIME_IN_BAND, why),
            new Unavailable(RunReport.OUR_TREND, why),
            new Unavailable(RunReport.LOOP_TRENDS, why)));
  }
}
