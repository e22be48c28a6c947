package io.hepaloop.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MarkdownReportTest {
  @Test
  void theReportStatesMetadataPhasesAlarmsBandsLabAndAudit() {
    String md = MarkdownReport.render(SampleReports.full());
    assertThat(md).startsWith("# Run report r1-20260301-080000\n");
    assertThat(md)
        .contains("| Cell source | HepaRG (lot 42) |")
        .contains("| Cells seeded | 2.500e+07 |")
        .contains("| Recipe | hepatocyte-perfusion-standard version 3 |")
        .contains("| Recipe SHA-256 | " + "a".repeat(64) + " |")
        .contains("| Duration | 3 d 02:05:00 |");
    assertThat(md)
        .contains("| 1 | attachment | 2026-03-01 08:00:00Z | 2026-03-02 08:00:00Z | 1 d 00:00:00 |")
        .contains("| HIGH | 3 | 2 | 45 s | 5.0 min |")
        .contains("| CRITICAL | 0 | 0 | - | - |");
    assertThat(md)
        .contains("| flow | ± 0.2 | deviation alarm flow\\_deviation limit | 1000 | 97.3 % |")
        .contains("| temperature | ± 0.18 |")
        .contains("25.0 %");
    assertThat(md).contains("first 12.5, last 11.25, min 11.25, max 14, mean 12.58 (3 buckets)");
    assertThat(md)
        .contains("| urea | 3.4 | mg/dL | 34 mg/L |")
        .contains("corrected (revision 2) from 4.3 mg/dL: transcription error");
    assertThat(md)
        .contains("| RUN | 4 |")
        .contains("| SETPOINT | 2 |")
        .contains(
            "| 17 | 2026-03-04 10:05:00Z | dave | RUN | r1-20260301-080000 | Dave Engineer | approved |");
    assertThat(md).doesNotContain("Unavailable");
  }

  @Test
  void userTextCannotInjectHtmlOrBreakATable() {
    String md = MarkdownReport.render(SampleReports.full());
    assertThat(md).doesNotContain("<script>");
    assertThat(md).contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; \\| \\*bold\\*");
  }

  @Test
  void withoutInfluxTheSectionsSayWhyTheyAreMissing() {
    String md = MarkdownReport.render(SampleReports.withoutTelemetry());
    assertThat(md)
        .contains("## Time in band\n\n_Unavailable: no InfluxDB configured")
        .contains("## OUR per 10^6 cells\n\n_Unavailable: no InfluxDB configured")
        .contains("## Loop trends (PV and setpoint)\n\n_Unavailable: no InfluxDB configured");
    assertThat(md).contains("| urea |"); // the database's sections are all there
  }
}
