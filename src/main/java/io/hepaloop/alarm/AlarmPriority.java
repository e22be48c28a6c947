package io.hepaloop.alarm;

/** ISA-18.2 priority, most urgent first; notifications and escalation are chosen by it. */
public enum AlarmPriority {
  CRITICAL,
  HIGH,
  MEDIUM,
  LOW
}
