package io.hepaloop.control;

/**
 * Where a {@link ReactorController} reports the real-time timing of its loop executions (the
 * telemetry's Micrometer histograms in production). Called on the control context: implementations
 * must be cheap and never block.
 */
public interface LoopTiming {
  LoopTiming NONE =
      new LoopTiming() {
        @Override
        public void executed(String reactorId, String loopId, long nanos) {}

        @Override
        public void period(String reactorId, String loopId, long actualNanos, long nominalNanos) {}
      };

  /** One execution of the loop took {@code nanos} of real time. */
  void executed(String reactorId, String loopId, long nanos);

  /**
   * The real interval since the previous execution was {@code actualNanos}; {@code nominalNanos}
   * was asked.
   */
  void period(String reactorId, String loopId, long actualNanos, long nominalNanos);
}
