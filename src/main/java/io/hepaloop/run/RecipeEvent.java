package io.hepaloop.run;

import java.time.Instant;

/**
 * Something the recipe executor did, for the run's event log, the audit trail and the console.
 *
 * @param time on the executor's clock
 * @param phaseIndex the phase it concerns (0-based); -1 before the first phase starts
 * @param phaseId that phase's id, or null
 * @param state the procedure's state after the event
 * @param subject the prompt id (PROMPT_*) or setpoint key (SETPOINT_REFUSED), else null
 * @param message a sentence saying what happened
 */
public record RecipeEvent(
    Instant time,
    Kind kind,
    int phaseIndex,
    String phaseId,
    ProcedureState state,
    String subject,
    String message) {

  /** What happened. */
  public enum Kind {
    /** The procedure changed state (start, hold, restart, stop, abort, complete). */
    STATE_CHANGED,
    /** A phase began: apply its alarm overrides and suppressions (see the recipe's phase). */
    PHASE_STARTED,
    /** A phase ended by its transition. */
    PHASE_COMPLETED,
    /** A question waits for an operator's answer. */
    PROMPT_RAISED,
    /** An operator answered a prompt. */
    PROMPT_ANSWERED,
    /** The control door refused a setpoint the recipe sent (the message gives its reason). */
    SETPOINT_REFUSED
  }
}
