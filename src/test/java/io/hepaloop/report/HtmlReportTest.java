package io.hepaloop.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
  @Test
  void aNoteWithScriptIsShownAsTextNeverRun() {
    String html = HtmlReport.render(SampleReports.full());
    assertThat(html).doesNotContainIgnoringCase("<script");
    assertThat(html)
        .contains("<td>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; | *bold*</td>");
  }

  @Test
  void oneFileWithChartsAndNothingFromTheNetwork() {
    String html = HtmlReport.render(SampleReports.full());
    assertThat(html).startsWith("<!DOCTYPE html>");
    assertThat(html).doesNotContain("src=").doesNotContain("<link").doesNotContain("http");
    // OUR, one loop, two lab analytes
    assertThat(count(html, "<svg ")).isEqualTo(4);
    assertThat(html).contains("aria-label=\"OUR per 10^6 cells\"");
    assertThat(html).contains("aria-label=\"Loop flow: PV and setpoint\"");
    // three OUR buckets: one line through three points
    Matcher m =
        Pattern.compile("aria-label=\"OUR per 10\\^6 cells\".*?<polyline[^>]*points=\"([^\"]*)\"")
            .matcher(html);
    assertThat(m.find()).isTrue();
    assertThat(m.group(1).split(" ")).hasSize(3);
    // lab results as dots: one per sample in each analyte's chart
    assertThat(count(html, "<circle ")).isEqualTo(2);
    assertThat(html).contains("<td>97.3 %</td>").contains("<td>HepaRG (lot 42)</td>");
  }

  @Test
  void theHigherOurValueIsDrawnHigher() {
    String html = HtmlReport.render(SampleReports.full());
    Matcher m = Pattern.compile("<polyline[^>]*points=\"([^\"]*)\"").matcher(html);
    assertThat(m.find()).isTrue();
    String[] pts = m.group(1).split(" ");
    double y14 = Double.parseDouble(pts[1].split(",")[1]);
    double y1125 = Double.parseDouble(pts[2].split(",")[1]);
    assertThat(y14).isLessThan(y1125); // SVG y grows downward
  }

  @Test
  void withoutInfluxTheSectionsSayWhy() {
    String html = HtmlReport.render(SampleReports.withoutTelemetry());
    assertThat(html)
        .contains(
            "<p class=\"unavailable\">Unavailable: no InfluxDB configured (telemetry is in InfluxDB"
                + " only)</p>");
    assertThat(count(html, "<svg ")).isEqualTo(2); // the lab charts only
  }

  private static int count(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
