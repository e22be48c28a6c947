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
 */
package io.hepaloop.alarm;
