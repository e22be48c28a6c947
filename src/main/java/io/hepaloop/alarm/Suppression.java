package io.hepaloop.alarm;

/**
 * Suppression by design: the alarm is not announced while loop {@code loopId} of the same reactor
 * is in {@code mode} (e.g. a deviation alarm is meaningless while the loop is in MANUAL). Modes are
 * compared by name, case-insensitive, so this package needs nothing of the controller.
 */
public record Suppression(String loopId, String mode) {}
