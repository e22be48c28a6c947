package io.hepaloop.alarm;

/**
 * Receives every transition, on the engine's thread. Must not block (it runs beside the control
 * loop): hand work for storage or notification to another thread. If it throws, the engine counts
 * the failure ({@link AlarmEngine#listenerFailures()}) and carries on.
 */
@FunctionalInterface
public interface AlarmListener {
  void onTransition(AlarmTransition transition);

  /**
   * A device clock crossed the offset its staleness alarm tolerates, or came back (once per
   * crossing, see {@link ClockOffset}). Not an alarm transition: nothing changes state. Ignored
   * unless overridden.
   */
  default void onClockOffset(ClockOffset offset) {}
}
