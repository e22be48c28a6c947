package io.hepaloop.app;

import io.hepaloop.plant.PlantConfig;
import io.hepaloop.plant.ReactorConfig;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.report.ReportTelemetry;
import io.hepaloop.report.RunReportGatherer;
import io.hepaloop.report.RunReports;
import io.hepaloop.store.Store;
import io.hepaloop.telemetry.InfluxConfig;
import io.hepaloop.telemetry.InfluxHttp;
import io.hepaloop.time.Clock;
import java.time.Duration;

/**
 * The plant's run reports for the API: the data directory's database, the InfluxDB telemetry goes
 * to (none: the report names its telemetry sections unavailable), and each configured reactor's
 * profile for the loops' bands.
 */
final class PlantReports {
  /** How long one report query to InfluxDB may take; a four-week run aggregates in seconds. */
  static final Duration INFLUX_TIMEOUT = Duration.ofMinutes(2);

  private PlantReports() {}

  static RunReports of(Store store, InfluxConfig influx, PlantConfig plant, Clock clock) {
    ReportTelemetry telemetry =
        influx == null ? null : new ReportTelemetry(new InfluxHttp(influx, INFLUX_TIMEOUT));
    return new RunReportGatherer(store, telemetry, reactorId -> profile(plant, reactorId), clock);
  }

  private static DeviceProfile profile(PlantConfig plant, String reactorId) {
    return plant.reactors().stream()
        .filter(r -> r.id().equals(reactorId))
        .map(ReactorConfig::profile)
        .findFirst()
        .orElse(null);
  }
}
