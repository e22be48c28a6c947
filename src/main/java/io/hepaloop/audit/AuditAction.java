package io.hepaloop.audit;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a person did. Stored by its lower-case {@link #id()} ("setpoint", "interlock_reset"); a
 * verifier reads the stored text and never needs to parse it, so a record written by a newer
 * HepaLoop with an action this one does not know still verifies.
 */
public enum AuditAction {
  LOGIN(false),
  LOGIN_FAILED(false),
  LOGOUT(false),
  PASSWORD_CHANGE(false),
  USER(false),
  SETPOINT(false),
  MODE(false),
  TUNING(true),
  MANUAL_OUTPUT(false),
  ACKNOWLEDGE(false),
  SHELVE(false),
  UNSHELVE(false),
  INTERLOCK_RESET(true),
  RUN_START(false),
  RUN_HOLD(false),
  RUN_RESTART(false),
  RUN_STOP(false),
  RUN_ABORT(true),
  RUN_COMPLETE(false),
  PHASE_TRANSITION(false),
  PROMPT_ANSWER(false),
  OPERATOR_NOTE(false),
  RECIPE(false),
  RECIPE_RELEASE(true),
  PROFILE(false),
  CONFIGURATION(false),
  LAB_ENTRY(false),
  LAB_CORRECTION(false),
  SIGNATURE_REFUSED(false),
  CASCADE_SETPOINT(false),
  OUT_OF_SERVICE(false),
  RETURN_TO_SERVICE(false),
  ALARM_RESET(false),
  TOKEN_CREATE(false),
  TOKEN_REVOKE(false),
  /** Auto-tune of a loop started, accepted, rejected or aborted (the new value says which). */
  AUTOTUNE(false),
  /** A run was created on a reactor (construct metadata and recipe version in the new value). */
  RUN_CREATE(false);

  private final boolean critical;

  AuditAction(boolean critical) {
    this.critical = critical;
  }

  /** The text stored and exported: "setpoint", "login_failed". */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * True for the critical actions (abort a run, change tuning, reset an interlock, release a
   * recipe) that a strict plant lets happen only with an electronic {@link Signature}. The command
   * layer checks it before it acts; the trail records what it is given.
   */
  public boolean critical() {
    return critical;
  }

  /**
   * The action named {@code id} (any case).
   *
   * @throws IllegalArgumentException naming the actions there are
   */
  public static AuditAction parse(String id) {
    for (AuditAction a : values()) {
      if (a.id().equalsIgnoreCase(id == null ? "" : id.strip())) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown audit action '"
            + id
            + "'; actions: "
            + Arrays.stream(values()).map(AuditAction::id).collect(Collectors.joining(", ")));
  }
}
