package io.hepaloop.app;

import io.hepaloop.lab.LabSample;
import io.hepaloop.lab.LabSamples;
import io.hepaloop.telemetry.LineBuilder;
import io.hepaloop.telemetry.TelemetryWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each stored lab result revision to InfluxDB through the telemetry writer (its spool, so an
 * InfluxDB that is down gets it later), at the SAMPLE time, so it sits on the trends' time axis
 * where the sample was drawn: measurement {@code lab_sample}, tags reactor, run, analyte; fields
 * value_canonical, value, unit, below_detection_limit, sample_id, revision. A correction is written
 * at the same series and time and so replaces the point in InfluxDB; the database keeps every
 * revision.
 */
final class LabSampleLines implements LabSamples.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(LabSampleLines.class);

  /** The measurement of lab results. */
  static final String MEASUREMENT = "lab_sample";

  private final TelemetryWriter writer;

  LabSampleLines(TelemetryWriter writer) {
    this.writer = writer;
  }

  /** The line-protocol line of {@code s}. */
  static String line(LabSample s) {
    LineBuilder b =
        new LineBuilder(MEASUREMENT)
            .tag("reactor", s.reactorId())
            .tag("run", s.runId())
            .tag("analyte", s.analyte());
    b.field("value_canonical", s.valueCanonical());
    b.field("value", s.value());
    return b.stringField("unit", s.unit())
        .boolField("below_detection_limit", s.belowDetectionLimit())
        .stringField("sample_id", s.sampleId())
        .intField("revision", s.revision())
        .time(s.sampledAt());
  }

  @Override
  public void recorded(LabSample s) {
    if (!writer.submit(line(s))) {
      LOG.error(
          "lab sample {} revision {} not written to InfluxDB: the telemetry queue is full"
              + " (it is in the database)",
          s.sampleId(),
          s.revision());
    }
  }
}
