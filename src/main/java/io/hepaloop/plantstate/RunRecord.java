package io.hepaloop.plantstate;

import java.time.Instant;

/**
 * One row of {@code runs} (db/migration/V6__runs.sql): a culture on one reactor, the construct it
 * grows and the exact recipe version it follows. Plain strings, so that this package needs neither
 * the run nor the recipe package; the run service maps them.
 *
 * @param recipeText the recipe file's whole text when the run was created: a restart resumes from
 *     it, never from the file, so editing the file changes no run
 * @param recipeSha256 SHA-256 (hex) of that text's UTF-8 bytes
 * @param cellSource primary_hepatocytes, heparg, ipsc_hlc, msc_coculture or other
 * @param state an ISA-88 state name (IDLE until started)
 * @param progressJson the executor's saved progress, or null before start
 * @param startedAt null until started
 * @param endedAt null until stopped, aborted or complete
 */
public record RunRecord(
    String runId,
    String reactorId,
    String recipeName,
    String recipeVersion,
    String recipeSha256,
    String recipeText,
    String cellSource,
    String cellSourceDetail,
    double cellsSeeded,
    String scaffold,
    String medium,
    String operator,
    Instant createdAt,
    String createdBy,
    Instant startedAt,
    Instant endedAt,
    String state,
    String progressJson,
    Instant updatedAt) {

  /** This record under another id (a second run created on a reactor within the same second). */
  public RunRecord withRunId(String id) {
    return new RunRecord(
        id,
        reactorId,
        recipeName,
        recipeVersion,
        recipeSha256,
        recipeText,
        cellSource,
        cellSourceDetail,
        cellsSeeded,
        scaffold,
        medium,
        operator,
        createdAt,
        createdBy,
        startedAt,
        endedAt,
        state,
        progressJson,
        updatedAt);
  }
}
