package io.hepaloop.report;

import io.hepaloop.report.RunReport.TimePoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A simple time chart as inline SVG, drawn on the server so the HTML report is one file that needs
 * no script and no network: lines (bucket means) or dots (lab results) against UTC time, with a
 * labelled value axis and a legend. Every text is escaped.
 */
final class SvgChart {
  static final int WIDTH = 760;
  static final int HEIGHT = 260;
  private static final int LEFT = 64;
  private static final int RIGHT = 16;
  private static final int TOP = 28;
  private static final int BOTTOM = 36;
  private static final int Y_TICKS = 5;
  private static final int X_TICKS = 3;
  private static final java.time.format.DateTimeFormatter AXIS_TIME =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm'Z'", Locale.ROOT)
          .withZone(java.time.ZoneOffset.UTC);

  /**
   * One series.
   *
   * @param dots draw each point as a dot instead of a line through them
   * @param dashed a dashed line (a setpoint against its measured value)
   */
  record Series(String name, List<TimePoint> points, String color, boolean dots, boolean dashed) {}

  private SvgChart() {}

  /** The chart of {@code series} over {@code [from, to]}, titled, its value axis named. */
  static String render(String title, String yLabel, List<Series> series, Instant from, Instant to) {
    List<TimePoint> all = new ArrayList<>();
    series.forEach(s -> all.addAll(s.points()));
    double min = all.stream().mapToDouble(TimePoint::value).min().orElse(0);
    double max = all.stream().mapToDouble(TimePoint::value).max().orElse(1);
    if (max - min < 1e-12) {
      double pad = Math.max(Math.abs(max) * 0.05, 1e-3);
      min -= pad;
      max += pad;
    } else {
      double pad = (max - min) * 0.05;
      min -= pad;
      max += pad;
    }
    long t0 = from.toEpochMilli();
    long t1 = Math.max(to.toEpochMilli(), t0 + 1);
    Scale sx = new Scale(t0, t1, LEFT, WIDTH - RIGHT);
    Scale sy = new Scale(min, max, HEIGHT - BOTTOM, TOP);
    StringBuilder svg = new StringBuilder();
    svg.append("<svg class=\"chart\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(HEIGHT)
        .append("\" role=\"img\" aria-label=\"")
        .append(Html.escape(title))
        .append("\"><title>")
        .append(Html.escape(title))
        .append("</title>");
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fff\" stroke=\"#999\"/>",
            LEFT,
            TOP,
            WIDTH - LEFT - RIGHT,
            HEIGHT - TOP - BOTTOM));
    for (int i = 0; i <= Y_TICKS; i++) {
      double v = min + (max - min) * i / Y_TICKS;
      double y = sy.at(v);
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>"
                  + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\">%s</text>",
              LEFT,
              WIDTH - RIGHT,
              y,
              y,
              LEFT - 4,
              y + 4,
              Html.escape(ReportText.number(v))));
    }
    for (int i = 0; i <= X_TICKS; i++) {
      long t = t0 + (t1 - t0) * i / X_TICKS;
      double x = sx.at(t);
      String anchor = i == 0 ? "start" : i == X_TICKS ? "end" : "middle";
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\" font-size=\"11\">%s</text>",
              x,
              HEIGHT - BOTTOM + 16,
              anchor,
              Html.escape(AXIS_TIME.format(Instant.ofEpochMilli(t)))));
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" font-size=\"12\">%s</text>",
            LEFT,
            TOP - 10,
            Html.escape(yLabel)));
    int legendX = WIDTH - RIGHT;
    for (int i = series.size() - 1; i >= 0; i--) {
      Series s = series.get(i);
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\" fill=\"%s\">%s %s</text>",
              legendX,
              TOP - 10,
              s.color(),
              s.dots() ? "●" : s.dashed() ? "- -" : "—",
              Html.escape(s.name())));
      legendX -= 14 + 8 * (s.name().length() + 4);
    }
    for (Series s : series) {
      if (s.dots()) {
        for (TimePoint p : s.points()) {
          svg.append(
              String.format(
                  Locale.ROOT,
                  "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>",
                  sx.at(p.time().toEpochMilli()),
                  sy.at(p.value()),
                  s.color()));
        }
      } else if (!s.points().isEmpty()) {
        StringBuilder pts = new StringBuilder();
        for (TimePoint p : s.points()) {
          pts.append(
              String.format(
                  Locale.ROOT, "%.1f,%.1f ", sx.at(p.time().toEpochMilli()), sy.at(p.value())));
        }
        svg.append("<polyline fill=\"none\" stroke=\"")
            .append(s.color())
            .append("\" stroke-width=\"1.5\"")
            .append(s.dashed() ? " stroke-dasharray=\"6 4\"" : "")
            .append(" points=\"")
            .append(pts.toString().strip())
            .append("\"/>");
      }
    }
    if (all.isEmpty()) {
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"13\">no data</text>",
              WIDTH / 2,
              HEIGHT / 2));
    }
    return svg.append("</svg>").toString();
  }

  /** Linear map from data to pixels. */
  private record Scale(double d0, double d1, double p0, double p1) {
    double at(double v) {
      return p0 + (v - d0) / (d1 - d0) * (p1 - p0);
    }
  }
}
