/**
 * The alarm engine core (ISA-18.2 / IEC 62682): {@link io.hepaloop.alarm.AlarmDefinition}s with
 * their rationale, the lifecycle state machine ({@link io.hepaloop.alarm.AlarmState}), the {@link
 * io.hepaloop.alarm.AlarmEngine} that evaluates values against definitions on the control clock,
 * and {@link io.hepaloop.alarm.AlarmHealth} (flood, chattering, stale, shelved).
 *
 * <p>Plain Java on an {@link io.hepaloop.time.Clock}: no Vert.x, no database, no threads, so it can
 * run beside the control loop and be tested on a {@code ManualClock}. Every state change is an
 * {@link io.hepaloop.alarm.AlarmTransition} handed to a listener; storage, the bus and the API are
 * listeners added by other packages.
 *
 * <p>Single-threaded by design: the engine, its slots and {@link io.hepaloop.alarm.AlarmHealth}
 * hold no locks, so the caller serialises every call (values, ticks, operator actions, {@code
 * restore}, queries such as {@code alarms()}) on one context, e.g. one Vert.x context or the
 * control thread. Calls from two threads at once corrupt state silently.
 *
 * <p>Windowed kinds keep bounded memory: {@code RATE_OF_CHANGE} a ring of 13 samples over its
 * window, {@code OUR_DECLINE} and {@code PREDICTED_LOW} 120 bucket means over theirs (24 h of 1 Hz
 * input is 120 numbers). {@code PREDICTED_LOW} fires only on a statistically clear, line-shaped
 * fall (least-squares slope beyond 6 standard errors, R² ≥ 0.85) over a full window, so sensor
 * noise and a step are not taken for a trend.
 */
package io.hepaloop.alarm;
