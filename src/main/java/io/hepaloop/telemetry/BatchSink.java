package io.hepaloop.telemetry;

/**
 * Where the {@link TelemetryWriter} sends its batches: InfluxDB in production; a fake in unit tests
 * (a sink that throws is how the sender's supervision is tested).
 */
interface BatchSink {
  /**
   * Writes one batch of line protocol; never throws for a server or network failure (status -1
   * then).
   */
  InfluxHttp.WriteOutcome write(byte[] lineProtocol);

  /** Creates the database, retention policies and continuous queries if missing. */
  void ensureSchema();

  /** Rolls up points delivered late (after an outage) between the two times. */
  void backfillRollups(long fromNs, long toNs);

  static BatchSink influx(InfluxHttp http) {
    return new BatchSink() {
      @Override
      public InfluxHttp.WriteOutcome write(byte[] lineProtocol) {
        return http.write(lineProtocol);
      }

      @Override
      public void ensureSchema() {
        InfluxSchemaSetup.ensure(http);
      }

      @Override
      public void backfillRollups(long fromNs, long toNs) {
        InfluxSchemaSetup.backfillRollups(http, fromNs, toNs);
      }
    };
  }
}
