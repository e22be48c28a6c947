package io.hepaloop.app;

/**
 * Which run a reactor's telemetry is tagged with: the run service calls {@link #runOpened} when a
 * run is created or resumed and {@link #runEnded} when it ends (the plant's run applies again).
 * Must not block.
 */
public interface RunTag {
  RunTag NONE =
      new RunTag() {
        @Override
        public void runOpened(String reactorId, String runId, double cellsSeeded) {}

        @Override
        public void runEnded(String reactorId) {}
      };

  void runOpened(String reactorId, String runId, double cellsSeeded);

  void runEnded(String reactorId);
}
