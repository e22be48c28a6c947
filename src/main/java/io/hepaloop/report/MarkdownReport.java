package io.hepaloop.report;

import io.hepaloop.report.ReportSections.Section;
import io.hepaloop.report.ReportSections.Table;
import java.util.List;

/**
 * Writes a {@link RunReport} as GitHub-flavoured Markdown. Text from people (notes, names, reasons)
 * is escaped, so a note can neither break a table nor inject HTML into a Markdown viewer.
 */
public final class MarkdownReport {
  private MarkdownReport() {}

  public static String render(RunReport report) {
    StringBuilder md = new StringBuilder();
    md.append("# ").append(escape(ReportSections.title(report))).append("\n\n");
    md.append(escape(ReportSections.subtitle(report))).append("\n");
    for (Section s : ReportSections.of(report)) {
      md.append("\n## ").append(escape(s.title())).append("\n\n");
      if (s.unavailable() != null) {
        md.append("_Unavailable: ").append(escape(s.unavailable())).append("_\n\n");
      }
      for (String p : s.paragraphs()) {
        md.append(escape(p)).append("\n\n");
      }
      for (Table t : s.tables()) {
        table(md, t);
        md.append('\n');
      }
    }
    return md.toString().stripTrailing() + "\n";
  }

  private static void table(StringBuilder md, Table t) {
    row(md, t.header());
    md.append('|');
    for (int i = 0; i < t.header().size(); i++) {
      md.append(" --- |");
    }
    md.append('\n');
    for (List<String> r : t.rows()) {
      row(md, r);
    }
  }

  private static void row(StringBuilder md, List<String> cells) {
    md.append('|');
    for (String c : cells) {
      md.append(' ').append(escape(c)).append(" |");
    }
    md.append('\n');
  }

  /**
   * Escapes Markdown syntax and HTML: backslash-escapes the punctuation Markdown acts on, writes
   * {@code <}, {@code >} and {@code &} as entities, and keeps a multi-line text on one line (a
   * table cell cannot hold a line break).
   */
  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\', '|', '*', '_', '`', '[', ']', '#', '~' -> out.append('\\').append(c);
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '\r' -> {}
        case '\n' -> out.append("<br>");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
