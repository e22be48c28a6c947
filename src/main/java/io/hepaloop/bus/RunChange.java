package io.hepaloop.bus;

/**
 * A change of a run (created, a state change, a phase started or completed, a prompt raised or
 * answered, a setpoint refused), published on {@link Addresses#RUNS} for the SSE stream ({@code
 * run} events) and anyone else who follows runs.
 *
 * @param kind {@code CREATED} or the recipe event's kind ({@code STATE_CHANGED}, {@code
 *     PHASE_STARTED} ...)
 * @param phaseIndex 0-based; -1 before the first phase
 */
public record RunChange(
    String runId,
    String reactorId,
    String state,
    int phaseIndex,
    String phaseId,
    String kind,
    String message) {}
