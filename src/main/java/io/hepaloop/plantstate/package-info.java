/**
 * What the plant remembers across restarts, in the data directory's database ({@link
 * io.hepaloop.store.Store}): the alarm journal (every alarm transition, and the current lifecycle
 * state of each alarm, see {@link io.hepaloop.plantstate.AlarmJournal}) and the loop settings
 * changed at run time ({@link io.hepaloop.plantstate.LoopSettingsStore}).
 *
 * <p>Both are written by one writer thread each, so that their callers (the alarm engine beside the
 * control loop, a Vert.x event loop) never wait on the disk: {@code record} and {@code save} only
 * queue. Uses store, alarm, core and time; not the control package (settings are plain numbers the
 * caller maps).
 */
package io.hepaloop.plantstate;
