package io.hepaloop.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReportTest {
  @Test
  void oneRowPerBucketEmptyCellsForMissingValuesAndQuotedNames() {
    String csv = CsvReport.render(SampleReports.full());
    List<String> lines = csv.lines().toList();
    assertThat(lines)
        .containsExactly(
            "bucket_start,flow,temperature,our_per_1e6_cells_nmol_per_min,\"lab_urea,total_mg/L\"",
            "2026-03-01T08:00:00Z,1.0,37.0,12.5,",
            "2026-03-01T08:01:00Z,1.01,,12.75,34.0");
  }

  @Test
  void aReportWithoutItsWideTableIsRefused() {
    assertThatThrownBy(() -> CsvReport.render(SampleReports.withoutTelemetry()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("wide table");
  }
}
