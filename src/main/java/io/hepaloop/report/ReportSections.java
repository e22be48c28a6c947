package io.hepaloop.report;

import io.hepaloop.report.RunReport.AlarmStats;
import io.hepaloop.report.RunReport.LabResult;
import io.hepaloop.report.RunReport.LoopBand;
import io.hepaloop.report.RunReport.Note;
import io.hepaloop.report.RunReport.Phase;
import io.hepaloop.report.RunReport.RunInfo;
import io.hepaloop.report.RunReport.SignedRecord;
import io.hepaloop.report.RunReport.TimePoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The report's content as titled sections of sentences and tables of plain text, in reading order.
 * Markdown and HTML write the same sections, each escaping the text its own way (HTML adds its
 * charts), so both formats always say the same.
 */
final class ReportSections {
  /** Rows of the OUR table in Markdown and HTML at most; the chart and CSV have every bucket. */
  static final int OUR_TABLE_ROWS = 24;

  enum Key {
    RUN,
    PHASES,
    ALARMS,
    TIME_IN_BAND,
    OUR,
    LOOP_TRENDS,
    LAB,
    NOTES,
    AUDIT
  }

  record Table(List<String> header, List<List<String>> rows) {}

  /**
   * @param unavailable why the section has no figures, or null
   */
  record Section(
      Key key, String title, List<String> paragraphs, List<Table> tables, String unavailable) {}

  private ReportSections() {}

  static String title(RunReport r) {
    return "Run report " + r.run().runId();
  }

  static String subtitle(RunReport r) {
    return "Reactor "
        + r.run().reactorId()
        + ", generated "
        + ReportText.time(r.generatedAt())
        + (r.run().endedAt() == null ? " (run still open: figures up to now)" : "");
  }

  static List<Section> of(RunReport r) {
    List<Section> out = new ArrayList<>();
    out.add(run(r));
    out.add(phases(r));
    out.add(alarms(r));
    out.add(timeInBand(r));
    out.add(our(r));
    out.add(
        new Section(
            Key.LOOP_TRENDS,
            "Loop trends (PV and setpoint)",
            r.loopTrends().isEmpty() && r.unavailableReason(RunReport.LOOP_TRENDS) == null
                ? List.of("No loop data in the run's window.")
                : List.of(),
            List.of(),
            r.unavailableReason(RunReport.LOOP_TRENDS)));
    out.add(lab(r));
    out.add(notes(r));
    out.add(audit(r));
    return out;
  }

  private static Section run(RunReport r) {
    RunInfo i = r.run();
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("Run", i.runId()));
    rows.add(List.of("Reactor", i.reactorId()));
    rows.add(List.of("State", i.state()));
    rows.add(List.of("Cell source", ReportText.cellSource(i.cellSource(), i.cellSourceDetail())));
    rows.add(List.of("Cells seeded", ReportText.number(i.cellsSeeded())));
    rows.add(List.of("Scaffold", i.scaffold()));
    rows.add(List.of("Medium", i.medium()));
    rows.add(List.of("Operator", i.operator()));
    rows.add(List.of("Recipe", i.recipeName() + " version " + i.recipeVersion()));
    rows.add(List.of("Recipe SHA-256", i.recipeSha256()));
    rows.add(List.of("Created", ReportText.time(i.createdAt())));
    rows.add(List.of("Started", ReportText.time(i.startedAt())));
    rows.add(List.of("Ended", ReportText.time(i.endedAt())));
    rows.add(List.of("Duration", ReportText.duration(r.duration())));
    return new Section(Key.RUN, "Run", List.of(), List.of(new Table(List.of("", ""), rows)), null);
  }

  private static Section phases(RunReport r) {
    List<List<String>> rows = new ArrayList<>();
    for (Phase p : r.phases()) {
      rows.add(
          List.of(
              String.valueOf(p.index() + 1),
              ReportText.orDash(p.phaseId()),
              ReportText.time(p.startedAt()),
              p.endedAt() == null ? "running" : ReportText.time(p.endedAt()),
              ReportText.duration(p.duration())));
    }
    return new Section(
        Key.PHASES,
        "Phases",
        rows.isEmpty() ? List.of("No phase has started.") : List.of(),
        rows.isEmpty()
            ? List.of()
            : List.of(new Table(List.of("#", "Phase", "Started", "Ended", "Duration"), rows)),
        null);
  }

  private static Section alarms(RunReport r) {
    List<List<String>> rows = new ArrayList<>();
    for (AlarmStats a : r.alarms()) {
      rows.add(
          List.of(
              a.priority(),
              String.valueOf(a.count()),
              String.valueOf(a.acknowledged()),
              ReportText.seconds(a.medianAckS()),
              ReportText.seconds(a.maxAckS())));
    }
    return new Section(
        Key.ALARMS,
        "Alarms",
        List.of(
            "Alarms of the reactor annunciated while the run was open, by priority; time to"
                + " acknowledge from annunciation to an operator's acknowledgement."),
        List.of(
            new Table(
                List.of(
                    "Priority",
                    "Annunciated",
                    "Acknowledged",
                    "Median time to acknowledge",
                    "Longest time to acknowledge"),
                rows)),
        null);
  }

  private static Section timeInBand(RunReport r) {
    List<List<String>> rows = new ArrayList<>();
    for (LoopBand b : r.loops()) {
      rows.add(
          List.of(
              b.loopId(),
              "± " + ReportText.number(b.bandAbs()),
              b.bandSource(),
              String.valueOf(b.samples()),
              ReportText.percent(b.fractionInBand())));
    }
    return new Section(
        Key.TIME_IN_BAND,
        "Time in band",
        List.of(
            "Share of the loop's good PV samples in the run within the band around their setpoint"
                + " (|PV - SP| ≤ band, PV units). The band is the loop's deviation alarm limit, else "
                + Math.round(LoopBands.DEFAULT_FRACTION_OF_SETPOINT_RANGE * 100)
                + " % of its setpoint range."),
        rows.isEmpty()
            ? List.of()
            : List.of(new Table(List.of("Loop", "Band", "Band from", "Samples", "In band"), rows)),
        r.unavailableReason(RunReport.TIME_IN_BAND));
  }

  private static Section our(RunReport r) {
    List<TimePoint> points = r.ourPer1e6Cells();
    List<String> text = new ArrayList<>();
    List<Table> tables = new ArrayList<>();
    if (points.isEmpty()) {
      text.add("No good OUR value in the run's window.");
    } else {
      double min = points.stream().mapToDouble(TimePoint::value).min().orElse(Double.NaN);
      double max = points.stream().mapToDouble(TimePoint::value).max().orElse(Double.NaN);
      double mean = points.stream().mapToDouble(TimePoint::value).average().orElse(Double.NaN);
      text.add(
          "Oxygen uptake rate per 10^6 cells seeded, nmol/min, mean per time bucket: first "
              + ReportText.number(points.get(0).value())
              + ", last "
              + ReportText.number(points.get(points.size() - 1).value())
              + ", min "
              + ReportText.number(min)
              + ", max "
              + ReportText.number(max)
              + ", mean "
              + ReportText.number(mean)
              + " ("
              + points.size()
              + " buckets).");
      List<List<String>> rows = new ArrayList<>();
      int step = Math.max(1, (points.size() + OUR_TABLE_ROWS - 1) / OUR_TABLE_ROWS);
      for (int i = 0; i < points.size(); i += step) {
        rows.add(
            List.of(
                ReportText.time(points.get(i).time()), ReportText.number(points.get(i).value())));
      }
      tables.add(new Table(List.of("Time", "OUR nmol/min per 10^6 cells"), rows));
    }
    return new Section(
        Key.OUR,
        "OUR per 10^6 cells",
        r.unavailableReason(RunReport.OUR_TREND) == null ? text : List.of(),
        r.unavailableReason(RunReport.OUR_TREND) == null ? tables : List.of(),
        r.unavailableReason(RunReport.OUR_TREND));
  }

  private static Section lab(RunReport r) {
    List<List<String>> rows = new ArrayList<>();
    boolean anyCorrected = false;
    for (LabResult l : r.labResults()) {
      String value = (l.belowDetectionLimit() ? "< " : "") + ReportText.number(l.value());
      String note = "";
      if (l.corrected()) {
        anyCorrected = true;
        note =
            "corrected (revision "
                + l.revision()
                + ") from "
                + ReportText.number(l.originalValue())
                + " "
                + l.originalUnit()
                + ": "
                + l.correctionReason();
      }
      rows.add(
          List.of(
              ReportText.time(l.sampledAt()),
              l.analyte(),
              value,
              l.unit(),
              ReportText.number(l.valueCanonical()) + " " + l.canonicalUnit(),
              ReportText.orDash(l.method()),
              ReportText.time(l.measuredAt()),
              l.enteredBy(),
              note));
    }
    List<String> text = new ArrayList<>();
    if (rows.isEmpty()) {
      text.add("No lab results.");
    } else {
      text.add(
          "The latest revision of each sample."
              + (anyCorrected
                  ? " Corrected values show the value first entered and the reason."
                  : "")
              + " \"<\" marks a result below the detection limit (the value is the limit).");
    }
    return new Section(
        Key.LAB,
        "Lab results",
        text,
        rows.isEmpty()
            ? List.of()
            : List.of(
                new Table(
                    List.of(
                        "Sampled",
                        "Analyte",
                        "Value",
                        "Unit",
                        "Canonical",
                        "Method",
                        "Measured",
                        "Entered by",
                        "Correction"),
                    rows)),
        null);
  }

  private static Section notes(RunReport r) {
    List<List<String>> rows = new ArrayList<>();
    for (Note n : r.notes()) {
      rows.add(List.of(ReportText.time(n.notedAt()), n.user(), n.text()));
    }
    return new Section(
        Key.NOTES,
        "Operator notes",
        rows.isEmpty() ? List.of("No notes.") : List.of(),
        rows.isEmpty() ? List.of() : List.of(new Table(List.of("About", "User", "Note"), rows)),
        null);
  }

  private static Section audit(RunReport r) {
    List<List<String>> counts = new ArrayList<>();
    for (Map.Entry<String, Long> e : r.audit().countByAction().entrySet()) {
      counts.add(List.of(e.getKey(), String.valueOf(e.getValue())));
    }
    List<List<String>> signed = new ArrayList<>();
    for (SignedRecord s : r.audit().signed()) {
      signed.add(
          List.of(
              String.valueOf(s.seq()),
              ReportText.time(s.recordedAt()),
              s.user(),
              s.action(),
              ReportText.orDash(s.target()),
              s.signedBy(),
              s.meaning(),
              ReportText.time(s.signedAt())));
    }
    List<Table> tables = new ArrayList<>();
    if (!counts.isEmpty()) {
      tables.add(new Table(List.of("Action", "Records"), counts));
    }
    if (!signed.isEmpty()) {
      tables.add(
          new Table(
              List.of(
                  "Seq", "Recorded", "User", "Action", "Target", "Signed by", "Meaning", "Signed"),
              signed));
    }
    return new Section(
        Key.AUDIT,
        "Audit trail",
        List.of(
            r.audit().total()
                + " audit records of the run, "
                + r.audit().signed().size()
                + " of them e-signed (listed)."),
        tables,
        null);
  }
}
