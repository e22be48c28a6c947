package io.hepaloop.alarm;

/**
 * Receives every transition, on the engine's thread. Must not block (it runs beside the control
 * loop): hand work for storage or notification to another thread. If it throws, the engine counts
 * the failure ({@link AlarmEngine#listenerFailures()}) and carries on.
 */
@FunctionalInterface
public interface AlarmListener {
  void onTransition(AlarmTransition transition);
}
