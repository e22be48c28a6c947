package io.hepaloop.cli;

import io.hepaloop.audit.AuditExport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hepaloop audit export}: the audit records of a time range as one CSV file. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = "Write the audit records (all, or those of a time range) as CSV.")
public final class AuditExportCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--data-dir", paramLabel = "DIR", description = AuditCommand.DATA_DIR_HELP)
  Path dataDir;

  @Option(
      names = "--from",
      paramLabel = "TIME",
      description = "First time included: 2026-01-31 (UTC midnight) or 2026-01-31T08:00:00Z.")
  String from;

  @Option(
      names = "--to",
      paramLabel = "TIME",
      description = "First time excluded, written as --from.")
  String to;

  @Option(names = "--out", paramLabel = "FILE.csv", required = true, description = "CSV to write.")
  Path out;

  @Override
  public Integer call() {
    Path dir = AuditCommand.dataDir(dataDir);
    Instant fromTime = time("--from", from);
    Instant toTime = time("--to", to);
    long count;
    try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      count = AuditExport.writeCsv(dir, fromTime, toTime, w);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
    }
    spec.commandLine().getOut().println("wrote " + count + " audit records to " + out);
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** A date (UTC midnight) or an ISO instant; null when not given. */
  static Instant time(String option, String text) {
    if (text == null) {
      return null;
    }
    try {
      return text.contains("T")
          ? Instant.parse(text)
          : LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          option + " '" + text + "' is not a date (2026-01-31) or UTC time (2026-01-31T08:00:00Z)");
    }
  }
}
