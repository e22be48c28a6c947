package io.hepaloop.plantstate;

import java.time.Instant;

/**
 * One row of {@code run_events}: something the recipe executor did (its {@code RecipeEvent}).
 *
 * @param seq rises with every event of every run; 0 for an event not yet written
 * @param phaseIndex 0-based, -1 before the first phase
 */
public record RunEventRecord(
    long seq,
    String runId,
    Instant at,
    String kind,
    int phaseIndex,
    String phaseId,
    String state,
    String subject,
    String message) {}
