package io.hepaloop.api;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/**
 * Stored telemetry as the history route reads it: downsampled means of a reactor's signals and loop
 * setpoints. The app implements it over the telemetry store (InfluxDB); {@link #NONE} stands for a
 * plant that stores no history (no InfluxDB configured), and the route then says live data only.
 * Never blocks: the answer comes as a Future.
 */
public interface HistoryAccess {

  /** One bucket: its start, the mean of its Good values (null: none) and its non-Good count. */
  record Bucket(long startMs, Double mean, long suspectCount) {}

  /** A signal's values ({@code kind} "signal") or a loop's setpoint ("setpoint"). */
  record Series(String kind, String id, List<Bucket> buckets) {
    public Series {
      buckets = List.copyOf(buckets);
    }
  }

  /**
   * One part of the answer's range: [{@code fromMs}, {@code toMs}) read from {@code source} ({@code
   * raw} or {@code rollup_1m}) in buckets of {@code bucketMs}.
   */
  record Part(String source, long fromMs, long toMs, long bucketMs) {}

  /**
   * What a read found: the bucket of its newest part, its parts in time order (adjoining, never
   * overlapping), and one series per signal and per loop asked, in the order asked.
   */
  record Result(long bucketMs, List<Part> parts, List<Series> series) {
    public Result {
      parts = List.copyOf(parts);
      series = List.copyOf(series);
    }
  }

  /** No history store: {@link #available()} is false. */
  HistoryAccess NONE =
      new HistoryAccess() {
        @Override
        public boolean available() {
          return false;
        }

        @Override
        public Future<Result> read(
            String reactorId,
            List<String> signals,
            List<String> loops,
            Instant from,
            Instant to,
            int maxPoints) {
          return Future.failedFuture(new IllegalStateException("no history store configured"));
        }
      };

  /** Whether history is stored at all (false: the console shows live data only). */
  boolean available();

  /**
   * Means from {@code from} (inclusive) to {@code to} (exclusive) in at most about {@code
   * maxPoints} buckets per series; a bucket without data is absent.
   */
  Future<Result> read(
      String reactorId,
      List<String> signals,
      List<String> loops,
      Instant from,
      Instant to,
      int maxPoints);
}
