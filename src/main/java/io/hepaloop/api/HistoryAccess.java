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

  /** No history store: {@link #available()} is false. */
  HistoryAccess NONE =
      new HistoryAccess() {
        @Override
        public boolean available() {
          return false;
        }

        @Override
        public Future<List<Series>> read(
            String reactorId,
            List<String> signals,
            List<String> loops,
            Instant from,
            Instant to,
            long bucketMs) {
          return Future.failedFuture(new IllegalStateException("no history store configured"));
        }
      };

  /** Whether history is stored at all (false: the console shows live data only). */
  boolean available();

  /**
   * Means in buckets of {@code bucketMs} from {@code from} (inclusive) to {@code to} (exclusive),
   * one series per signal and per loop asked, in the order asked; a bucket without data is absent.
   */
  Future<List<Series>> read(
      String reactorId,
      List<String> signals,
      List<String> loops,
      Instant from,
      Instant to,
      long bucketMs);
}
