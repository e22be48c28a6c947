package io.hepaloop.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;

/** {@code hepaloop audit ...}: the audit trail of a data directory (see docs/audit.md). */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Verify or export the tamper-evident audit trail of a data directory.",
    subcommands = {AuditVerifyCommand.class, AuditExportCommand.class})
public final class AuditCommand {
  static final String DATA_DIR_HELP =
      "Data directory whose database holds the audit trail (default: data/demo). May be in use"
          + " by a running HepaLoop: the audit is read from the last commit, nothing is written.";

  /** {@code given}, else {@code data/demo} under the HepaLoop root, as the other commands. */
  static Path dataDir(Path given) {
    return (given != null ? given : Paths.root().resolve("data/demo")).toAbsolutePath();
  }
}
