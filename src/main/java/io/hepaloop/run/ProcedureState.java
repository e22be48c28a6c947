package io.hepaloop.run;

/**
 * The ISA-88 states of a recipe's procedure (and of its running phase). The acting states ({@link
 * #HOLDING}, {@link #RESTARTING}, {@link #STOPPING}, {@link #ABORTING}) are entered by a command
 * and left by the executor's next tick, so each is seen, recorded and survives a restart like the
 * others; {@link #COMPLETE}, {@link #STOPPED} and {@link #ABORTED} are final.
 */
public enum ProcedureState {
  IDLE,
  RUNNING,
  HOLDING,
  HELD,
  RESTARTING,
  STOPPING,
  STOPPED,
  ABORTING,
  ABORTED,
  COMPLETE;

  /** Nothing more happens: the procedure ended normally, by a stop or by an abort. */
  public boolean isFinal() {
    return this == COMPLETE || this == STOPPED || this == ABORTED;
  }
}
