package io.hepaloop.control;

import java.time.Instant;

/**
 * One auto-tune of one loop, from its start to the engineer's decision: the relay test that runs
 * inside the loop ({@link ControlLoop#autotuner()}) plus who started it and who accepted, rejected
 * or aborted it. Kept by {@link ReactorControl} until the next auto-tune of the loop replaces it.
 */
final class AutotuneSession {
  final RelayAutoTuner tuner;
  final String startedBy;
  final Instant startedAt;
  private AutotuneProgress.Phase decision;
  private String decidedBy;

  AutotuneSession(RelayAutoTuner tuner, String startedBy, Instant startedAt) {
    this.tuner = tuner;
    this.startedBy = startedBy;
    this.startedAt = startedAt;
  }

  AutotuneProgress.Phase phase() {
    if (decision != null) {
      return decision;
    }
    return switch (tuner.state()) {
      case RUNNING -> AutotuneProgress.Phase.RUNNING;
      case DONE -> AutotuneProgress.Phase.PROPOSAL_READY;
      case ABORTED -> AutotuneProgress.Phase.ABORTED;
    };
  }

  void decide(AutotuneProgress.Phase phase, String actor) {
    this.decision = phase;
    this.decidedBy = actor;
  }

  AutotuneProgress progress(String reactorId, String loopId, PidTuning current) {
    AutotuneProgress.Phase phase = phase();
    return new AutotuneProgress(
        reactorId,
        loopId,
        phase,
        tuner.state() == RelayAutoTuner.State.ABORTED ? tuner.abortReason() : null,
        startedBy,
        startedAt,
        tuner.elapsedS(),
        tuner.cyclesSeen(),
        tuner.cyclesNeeded(),
        tuner.amplitudeSoFar(),
        tuner.periodSoFarS(),
        tuner.setpoint(),
        tuner.bias(),
        tuner.config(),
        tuner.result() != null ? tuner.result().pvQuantum() : tuner.pvQuantumSoFar(),
        tuner.result(),
        current,
        decidedBy);
  }
}
