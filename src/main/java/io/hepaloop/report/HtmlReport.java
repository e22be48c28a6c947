package io.hepaloop.report;

import io.hepaloop.report.ReportSections.Key;
import io.hepaloop.report.ReportSections.Section;
import io.hepaloop.report.ReportSections.Table;
import io.hepaloop.report.RunReport.LabResult;
import io.hepaloop.report.RunReport.LoopTrend;
import io.hepaloop.report.RunReport.TimePoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link RunReport} as one self-contained HTML file: the sections of the Markdown report
 * plus SVG charts drawn on the server (OUR per 10^6 cells, PV against setpoint per loop, lab
 * results as dots), styles inline, no script and nothing loaded from the network, so it opens the
 * same offline, archived or mailed. All text is escaped: a note holding {@code <script>} shows as
 * text.
 */
public final class HtmlReport {
  private static final String STYLE =
      "body{font-family:system-ui,sans-serif;margin:2em auto;max-width:60em;color:#222}"
          + "h1{font-size:1.6em}h2{font-size:1.2em;border-bottom:1px solid #ccc;margin-top:1.6em}"
          + "table{border-collapse:collapse;margin:.6em 0}"
          + "th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}"
          + "th{background:#f0f0f0}.unavailable{color:#8a5a00;font-style:italic}"
          + ".chart{width:100%;max-width:760px;display:block;margin:.6em 0}"
          + "@media print{.chart{page-break-inside:avoid}}";
  private static final String PV_COLOR = "#1f4e79";
  private static final String SP_COLOR = "#a0522d";

  private HtmlReport() {}

  public static String render(RunReport r) {
    StringBuilder h = new StringBuilder(64 * 1024);
    String title = ReportSections.title(r);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>")
        .append(Html.escape(title))
        .append("</title><style>")
        .append(STYLE)
        .append("</style></head><body>\n");
    h.append("<h1>").append(Html.escape(title)).append("</h1>\n");
    h.append("<p>").append(Html.escape(ReportSections.subtitle(r))).append("</p>\n");
    for (Section s : ReportSections.of(r)) {
      h.append("<section data-section=\"")
          .append(s.key().name().toLowerCase(java.util.Locale.ROOT))
          .append("\"><h2>")
          .append(Html.escape(s.title()))
          .append("</h2>\n");
      if (s.unavailable() != null) {
        h.append("<p class=\"unavailable\">Unavailable: ")
            .append(Html.escape(s.unavailable()))
            .append("</p>\n");
      }
      for (String p : s.paragraphs()) {
        h.append("<p>").append(Html.escape(p)).append("</p>\n");
      }
      charts(h, s.key(), r);
      for (Table t : s.tables()) {
        table(h, t);
      }
      h.append("</section>\n");
    }
    return h.append("</body></html>\n").toString();
  }

  private static void charts(StringBuilder h, Key key, RunReport r) {
    Instant from = r.run().startedAt() != null ? r.run().startedAt() : r.run().createdAt();
    Instant to = r.run().endedAt() != null ? r.run().endedAt() : r.generatedAt();
    switch (key) {
      case OUR -> {
        if (!r.ourPer1e6Cells().isEmpty()) {
          h.append(
                  SvgChart.render(
                      "OUR per 10^6 cells",
                      "nmol/min per 10^6 cells",
                      List.of(
                          new SvgChart.Series("OUR", r.ourPer1e6Cells(), PV_COLOR, false, false)),
                      from,
                      to))
              .append('\n');
        }
      }
      case LOOP_TRENDS -> {
        for (LoopTrend t : r.loopTrends()) {
          h.append(
                  SvgChart.render(
                      "Loop " + t.loopId() + ": PV and setpoint",
                      t.loopId(),
                      List.of(
                          new SvgChart.Series("PV", t.pv(), PV_COLOR, false, false),
                          new SvgChart.Series("SP", t.setpoint(), SP_COLOR, false, true)),
                      from,
                      to))
              .append('\n');
        }
      }
      case LAB -> {
        Map<String, List<TimePoint>> byAnalyte = new LinkedHashMap<>();
        for (LabResult l : r.labResults()) {
          byAnalyte
              .computeIfAbsent(l.analyte() + " (" + l.canonicalUnit() + ")", k -> new ArrayList<>())
              .add(new TimePoint(l.sampledAt(), l.valueCanonical()));
        }
        byAnalyte.forEach(
            (name, points) ->
                h.append(
                        SvgChart.render(
                            "Lab: " + name,
                            name,
                            List.of(new SvgChart.Series(name, points, PV_COLOR, true, false)),
                            from,
                            to))
                    .append('\n'));
      }
      default -> {}
    }
  }

  private static void table(StringBuilder h, Table t) {
    h.append("<table>");
    if (t.header().stream().anyMatch(c -> !c.isEmpty())) {
      h.append("<thead><tr>");
      for (String c : t.header()) {
        h.append("<th>").append(Html.escape(c)).append("</th>");
      }
      h.append("</tr></thead>");
    }
    h.append("<tbody>\n");
    for (List<String> row : t.rows()) {
      h.append("<tr>");
      for (String c : row) {
        h.append("<td>").append(Html.escape(c)).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</tbody></table>\n");
  }
}
