package io.hepaloop.cli;

import io.hepaloop.audit.AuditVerification;
import io.hepaloop.audit.AuditVerifier;
import io.hepaloop.audit.Finding;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hepaloop audit verify}: recomputes the chain and checks the anchors; exit code 0 when the
 * trail is intact, 1 when it was tampered with (each finding printed), 2 when there is nothing to
 * verify (no database, no audit trail).
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Recompute the audit trail's hash chain and check it against the anchor file; name every"
          + " edited, deleted, inserted, reordered or truncated record.",
      "Exit code 0: intact; 1: tampered with; 2: nothing to verify."
    })
public final class AuditVerifyCommand implements Callable<Integer> {
  /** Findings printed at most; a mass edit would otherwise print one line per record. */
  static final int MAX_PRINTED = 100;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--data-dir", paramLabel = "DIR", description = AuditCommand.DATA_DIR_HELP)
  Path dataDir;

  @Override
  public Integer call() {
    Path dir = AuditCommand.dataDir(dataDir);
    AuditVerification v = AuditVerifier.verify(dir);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "audit trail of %s: %d records (last %d), %d anchors (last covers record %d), verified in"
            + " %.2f s%n",
        dir,
        v.records(),
        v.lastSequence(),
        v.anchors(),
        v.lastAnchoredSequence(),
        v.took().toNanos() / 1e9);
    if (v.intact()) {
      out.println(
          "INTACT"
              + (v.unanchored() > 0
                  ? " (" + v.unanchored() + " newest records are not anchored yet: chain only)"
                  : ""));
      out.flush();
      return 0;
    }
    PrintWriter err = spec.commandLine().getErr();
    err.println("TAMPERED: " + v.findings().size() + " problem(s)");
    v.findings().stream().limit(MAX_PRINTED).map(Finding::toString).forEach(err::println);
    if (v.findings().size() > MAX_PRINTED) {
      err.println("... and " + (v.findings().size() - MAX_PRINTED) + " more");
    }
    out.flush();
    err.flush();
    return 1;
  }
}
