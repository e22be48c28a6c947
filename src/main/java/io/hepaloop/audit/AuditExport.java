package io.hepaloop.audit;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a data directory's audit records as CSV (RFC 4180, quoted only where needed, by Jackson's
 * CSV writer), one row per record in sequence order, every stored field including both hashes, so
 * the export can be checked against the chain. Reads through a read-only connection, like {@link
 * AuditVerifier}.
 */
public final class AuditExport {
  /** The header row: the stored columns under the names of docs/audit.md. */
  public static final List<String> COLUMNS =
      List.of(
          "sequence",
          "recorded_at",
          "user",
          "role",
          "action",
          "target",
          "old_value",
          "new_value",
          "reason",
          "run_id",
          "signed_by",
          "signature_meaning",
          "signed_at",
          "previous_hash",
          "hash");

  private AuditExport() {}

  /**
   * Writes the records recorded in {@code [from, to)} (either may be null for no bound) to {@code
   * out}, with a header row. Blocks.
   *
   * @return how many records were written
   * @throws IllegalArgumentException when there is no database or audit trail in {@code dataDir},
   *     or {@code from} is not before {@code to}
   */
  public static long writeCsv(Path dataDir, Instant from, Instant to, Writer out) {
    if (from != null && to != null && !from.isBefore(to)) {
      throw new IllegalArgumentException("--from " + from + " must be before --to " + to);
    }
    CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
    COLUMNS.forEach(schema::addColumn);
    long count = 0;
    try (Connection c = AuditDatabase.openReadOnly(dataDir);
        PreparedStatement p =
            c.prepareStatement(
                "SELECT "
                    + StoredRecord.COLUMNS
                    + " FROM audit_records WHERE recorded_at >= ? AND recorded_at < ?"
                    + " ORDER BY seq");
        SequenceWriter csv =
            new CsvMapper()
                .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
                .writerFor(List.class)
                .with(schema.build())
                .writeValues(out)) {
      // Fixed-width times: text order is time order ('~' sorts after every digit and 'Z').
      p.setString(1, from == null ? "" : AuditHash.time(from));
      p.setString(2, to == null ? "~" : AuditHash.time(to));
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) {
          StoredRecord s = StoredRecord.read(r);
          // An absent field is an empty cell (blank text is never stored, so nothing is lost).
          List<String> row = new ArrayList<>(COLUMNS.size());
          for (String field : s.hashedFields()) {
            row.add(field == null ? "" : field);
          }
          row.add(s.previousHash());
          row.add(s.hash());
          csv.write(row);
          count++;
        }
      }
    } catch (SQLException e) {
      throw new AuditException(dataDir + ": cannot read the audit trail: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new AuditException("cannot write the audit export: " + e.getMessage(), e);
    }
    return count;
  }
}
