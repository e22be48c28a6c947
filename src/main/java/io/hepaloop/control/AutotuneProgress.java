package io.hepaloop.control;

import java.time.Instant;

/**
 * Where a loop's auto-tune stands, as the engineer watching it needs it: immutable, built on the
 * reactor's context by {@link ReactorControl#autotuneProgress}, safe to hand to any thread.
 *
 * @param phase running, proposal ready (waiting for accept or reject), aborted, accepted or
 *     rejected
 * @param reason why it was aborted (null otherwise)
 * @param startedBy who started it
 * @param elapsedS process seconds from the first relay execution to now (or to its end)
 * @param cyclesSeen relay cycles completed; {@code cyclesNeeded} ends the test (the first is
 *     discarded)
 * @param amplitudeSoFar mean PV half-amplitude of the cycles so far, PV units (NaN before the
 *     first)
 * @param periodSoFarS mean period of the cycles so far (NaN before the first)
 * @param relayBias output the relay switches around
 * @param pvQuantum PV resolution seen so far (0: none visible, NaN: too few changes yet)
 * @param result measured Ku/Pu and the proposal once the test is done (null before, and when
 *     aborted)
 * @param currentTuning the loop's main tuning now, for comparison with the proposal
 * @param decidedBy who accepted, rejected or aborted it (null while running or waiting)
 */
public record AutotuneProgress(
    String reactorId,
    String loopId,
    Phase phase,
    String reason,
    String startedBy,
    Instant startedAt,
    double elapsedS,
    int cyclesSeen,
    int cyclesNeeded,
    double amplitudeSoFar,
    double periodSoFarS,
    double setpoint,
    double relayBias,
    RelayAutoTuner.Config config,
    double pvQuantum,
    RelayAutoTuner.Result result,
    PidTuning currentTuning,
    String decidedBy) {

  /** The life of one auto-tune. */
  public enum Phase {
    RUNNING,
    PROPOSAL_READY,
    ABORTED,
    ACCEPTED,
    REJECTED;

    /** True once nothing more can happen to it (a new auto-tune may start). */
    public boolean finished() {
      return this == ABORTED || this == ACCEPTED || this == REJECTED;
    }
  }
}
