package io.hepaloop.report;

import java.util.Arrays;
import java.util.Locale;

/** The report's formats: Markdown, one self-contained HTML file, the wide CSV export. */
public enum ReportFormat {
  md("text/markdown; charset=utf-8", "md"),
  html("text/html; charset=utf-8", "html"),
  csv("text/csv; charset=utf-8", "csv");

  private final String contentType;
  private final String extension;

  ReportFormat(String contentType, String extension) {
    this.contentType = contentType;
    this.extension = extension;
  }

  public String contentType() {
    return contentType;
  }

  /**
   * The file name a download of {@code runId}'s report gets (characters a run id may not hold
   * replaced, so the name is safe in a header and a file system).
   */
  public String fileName(String runId) {
    return runId.replaceAll("[^A-Za-z0-9._:+@-]", "_") + "-report." + extension;
  }

  /** True when the format needs the wide table (more queries to InfluxDB). */
  public boolean needsWideTable() {
    return this == csv;
  }

  public String render(RunReport report) {
    return switch (this) {
      case md -> MarkdownReport.render(report);
      case html -> HtmlReport.render(report);
      case csv -> CsvReport.render(report);
    };
  }

  /**
   * The format named {@code name} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the formats there are
   */
  public static ReportFormat parse(String name) {
    for (ReportFormat f : values()) {
      if (f.name().equalsIgnoreCase(name.strip())) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown report format '"
            + name
            + "' (formats: "
            + Arrays.stream(values()).map(f -> f.name().toLowerCase(Locale.ROOT)).toList()
            + ")");
  }
}
