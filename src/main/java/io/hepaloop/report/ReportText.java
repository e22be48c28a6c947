package io.hepaloop.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/** How the renderers write times, durations, numbers and names: the same in every format. */
final class ReportText {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private static final Map<String, String> CELL_SOURCES =
      Map.of(
          "primary_hepatocytes", "primary hepatocytes",
          "heparg", "HepaRG",
          "ipsc_hlc", "iPSC-derived hepatocyte-like cells",
          "msc_coculture", "MSC co-culture",
          "other", "other");

  private ReportText() {}

  /** UTC to the second, or "-" when absent. */
  static String time(Instant t) {
    return t == null ? "-" : TIME.format(t);
  }

  /** "3 d 04:05:06", "04:05:06", or "-" when absent. */
  static String duration(Duration d) {
    if (d == null) {
      return "-";
    }
    long s = d.getSeconds();
    long days = s / 86_400;
    String hms = String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600 % 24, s / 60 % 60, s % 60);
    return days > 0 ? days + " d " + hms : hms;
  }

  /** Seconds as "42 s", "3.5 min" or "2.1 h"; "-" when absent. */
  static String seconds(Double s) {
    if (s == null) {
      return "-";
    }
    if (s < 120) {
      return String.format(Locale.ROOT, "%.0f s", s);
    }
    if (s < 7200) {
      return String.format(Locale.ROOT, "%.1f min", s / 60);
    }
    return String.format(Locale.ROOT, "%.1f h", s / 3600);
  }

  /** Up to 4 significant digits, plain for everyday sizes, scientific for very large or small. */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    double a = Math.abs(v);
    if (a != 0 && (a >= 1e6 || a < 1e-3)) {
      return String.format(Locale.ROOT, "%.3e", v);
    }
    return new java.math.BigDecimal(v)
        .round(new java.math.MathContext(4))
        .stripTrailingZeros()
        .toPlainString();
  }

  /** A fraction 0..1 as "97.3 %", "-" for NaN. */
  static String percent(double fraction) {
    return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.1f %%", fraction * 100);
  }

  /** The cell source in words, with its detail. */
  static String cellSource(String code, String detail) {
    String name = CELL_SOURCES.getOrDefault(code, code);
    return detail == null || detail.isBlank() ? name : name + " (" + detail + ")";
  }

  static String orDash(String s) {
    return s == null || s.isBlank() ? "-" : s;
  }
}
