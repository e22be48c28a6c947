package io.hepaloop.run;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * What a controller start did with the run: continued the data directory's run, or started one.
 *
 * @param run the run this process records into
 * @param continued true when {@code run} was already the data directory's run
 * @param previous the run the data directory had before a new one started (null when there was
 *     none, or when the run continued)
 * @param note why a new run started, or a remark on the previous run file; null when there is
 *     nothing to say
 */
public record RunStart(RunIdentity run, boolean continued, RunIdentity previous, String note) {
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  /**
   * One line for the terminal, e.g. {@code demo-20261202-004130 (continued; started 2026-12-02
   * 00:41:30)}.
   */
  public String describe() {
    return describe(ZoneId.systemDefault());
  }

  String describe(ZoneId zone) {
    StringBuilder b =
        new StringBuilder(run.id())
            .append(continued ? " (continued; started " : " (new run, started ")
            .append(local(run.startedAt(), zone));
    if (previous != null) {
      b.append("; previous run ")
          .append(previous.id())
          .append(" of ")
          .append(local(previous.startedAt(), zone))
          .append(" ended");
    }
    if (note != null) {
      b.append("; ").append(note);
    }
    return b.append(')').toString();
  }

  private static String local(Instant t, ZoneId zone) {
    return LOCAL.format(t.atZone(zone));
  }
}
