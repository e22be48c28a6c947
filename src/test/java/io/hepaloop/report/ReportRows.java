package io.hepaloop.report;

import io.hepaloop.store.Store;
import java.sql.PreparedStatement;
import java.time.Instant;

/** Inserts rows into the V2, V4, V6 and V7 tables the way their writers do, for the tests. */
public final class ReportRows {
  private final Store store;
  private int auditSeq;
  private String lastHash = "0".repeat(64);

  public ReportRows(Store store) {
    this.store = store;
  }

  public static String iso(Instant t) {
    return String.format(
        "%sT%s.%06dZ",
        t.toString().substring(0, 10), t.toString().substring(11, 19), t.getNano() / 1000);
  }

  public void run(String runId, String reactorId, Instant started, Instant ended, String state) {
    exec(
        "INSERT INTO runs (run_id, reactor_id, recipe_name, recipe_version, recipe_sha256,"
            + " recipe_text, cell_source, cell_source_detail, cells_seeded, scaffold, medium,"
            + " operator, created_at, created_by, started_at, ended_at, state, updated_at)"
            + " VALUES (?, ?, 'standard', '2', ?, 'phases: []', 'primary_hepatocytes', NULL,"
            + " 2e7, 'collagen sponge', 'HepatoZYME', 'alice', ?, 'alice', ?, ?, ?, ?)",
        runId,
        reactorId,
        "b".repeat(64),
        iso(started.minusSeconds(60)),
        started == null ? null : iso(started),
        ended == null ? null : iso(ended),
        state,
        iso(started));
  }

  public void event(String runId, Instant at, String kind, int phaseIndex, String phaseId) {
    exec(
        "INSERT INTO run_events (run_id, at, kind, phase_index, phase_id, state, message)"
            + " VALUES (?, ?, ?, ?, ?, 'RUNNING', 'test')",
        runId,
        iso(at),
        kind,
        phaseIndex,
        phaseId);
  }

  public void note(String runId, Instant at, String user, String text) {
    exec(
        "INSERT INTO run_notes (run_id, noted_at, written_at, user_name, text)"
            + " VALUES (?, ?, ?, ?, ?)",
        runId,
        iso(at),
        iso(at),
        user,
        text);
  }

  public void sample(
      String sampleId,
      int revision,
      String runId,
      String analyte,
      double value,
      String unit,
      double canonical,
      String canonicalUnit,
      Instant sampled,
      String reason) {
    exec(
        "INSERT INTO lab_samples (sample_id, revision, run_id, reactor_id, analyte, value, unit,"
            + " value_canonical, canonical_unit, sampled_at, measured_at, entered_at, entered_by,"
            + " reason) VALUES (?, ?, ?, 'r1', ?, ?, ?, ?, ?, ?, ?, ?, 'bob', ?)",
        sampleId,
        revision,
        runId,
        analyte,
        value,
        unit,
        canonical,
        canonicalUnit,
        iso(sampled),
        iso(sampled.plusSeconds(3600)),
        iso(sampled.plusSeconds(7200 + revision)),
        reason);
  }

  public void alarm(
      String reactorId,
      Instant at,
      String alarmId,
      String priority,
      String from,
      String to,
      String actor) {
    exec(
        "INSERT INTO alarm_history (time_ns, time, reactor_id, alarm_id, priority, from_state,"
            + " to_state, actor_name, actor_role, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'm')",
        at.getEpochSecond() * 1_000_000_000L + at.getNano(),
        iso(at),
        reactorId,
        alarmId,
        priority,
        from,
        to,
        actor,
        actor == null ? null : "OPERATOR");
  }

  public void audit(Instant at, String action, String runId, String signedBy, String meaning) {
    auditSeq++;
    String hash = String.format("%064x", auditSeq);
    exec(
        "INSERT INTO audit_records (seq, recorded_at, user_name, role, action, target, run_id,"
            + " signed_by, signature_meaning, signed_at, previous_hash, hash)"
            + " VALUES (?, ?, 'dave', 'ENGINEER', ?, 'r1', ?, ?, ?, ?, ?, ?)",
        auditSeq,
        iso(at),
        action,
        runId,
        signedBy,
        meaning,
        signedBy == null ? null : iso(at),
        lastHash,
        hash);
    lastHash = hash;
  }

  private void exec(String sql, Object... args) {
    store.transaction(
        c -> {
          try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
              p.setObject(i + 1, args[i]);
            }
            return p.executeUpdate();
          }
        });
  }
}
