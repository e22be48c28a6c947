package io.hepaloop.report;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.hepaloop.report.RunReport.WideRow;
import io.hepaloop.report.RunReport.WideTable;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the wide CSV export of a run (RFC 4180, quoted only where needed, by Jackson's CSV writer
 * as the audit export; the caller's writer is left open): a header, then one row per time bucket
 * with its start (UTC ISO-8601) and one column per reactor signal (bucket mean of usable values),
 * OUR per 10^6 cells, and each lab analyte in its canonical unit ({@code lab_<analyte>_<unit>}, the
 * mean of the samples drawn in that bucket). An empty cell: no value in that bucket.
 */
public final class CsvReport {
  /** The first column. */
  public static final String TIME_COLUMN = "bucket_start";

  private CsvReport() {}

  /**
   * @throws IllegalArgumentException when the report was gathered without its wide table
   */
  public static void write(RunReport report, Writer out) throws IOException {
    WideTable table = report.wide();
    if (table == null) {
      throw new IllegalArgumentException("the report was gathered without its wide table");
    }
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    schema.addColumn(TIME_COLUMN);
    table.columns().forEach(schema::addColumn);
    try (SequenceWriter csv =
        new CsvMapper()
            .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
            .writerFor(List.class)
            .without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .with(schema.build())
            .writeValues(out)) {
      for (WideRow row : table.rows()) {
        List<String> cells = new ArrayList<>(row.values().length + 1);
        cells.add(row.bucketStart().toString());
        for (double v : row.values()) {
          cells.add(Double.isNaN(v) ? "" : Double.toString(v));
        }
        csv.write(cells);
      }
    }
  }

  public static String render(RunReport report) {
    StringWriter out = new StringWriter();
    try {
      write(report, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
