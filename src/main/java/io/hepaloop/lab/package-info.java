/**
 * Offline lab results of samples drawn from a run's construct or medium (docs/lab-samples.md): the
 * analytes there are ({@link io.hepaloop.lab.LabAnalytes}), their units parsed, checked and
 * converted with a units library ({@link io.hepaloop.lab.LabUnits}, indriya), and the samples of a
 * run with every revision kept ({@link io.hepaloop.lab.LabSamples} over the {@code lab_samples}
 * table).
 *
 * <p>Plain Java over the store: no Vert.x. Every method of {@link io.hepaloop.lab.LabSamples}
 * blocks on the database, so callers run it on a worker. Uses nothing of HepaLoop but store, core
 * and time; who writes a sample to InfluxDB and who audits it is the caller's choice (a {@link
 * io.hepaloop.lab.LabSamples.Listener}).
 */
package io.hepaloop.lab;
