package io.hepaloop.telemetry;

import io.hepaloop.bus.Addresses;
import io.hepaloop.bus.HepaEvent;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM of {@link PrivateInfluxdIT}: telemetry as {@code demo}/{@code serve} run it with no
 * InfluxDB configured ({@link TelemetryService} with a private, supervised influxd under {@code
 * dataDir/influxd}), fed 200 numbered points/s tagged {@code child=<label>}, until killed.
 *
 * <p>Prints {@code URL <influx url>}, {@code ACK <n>} when points 0..n-1 are durable in the spool,
 * {@code EVENT <severity> <source> <message> RESTARTS <counter>} for every event on the bus, and
 * {@code REFUSED <message>} (exit 3) when the data directory is in use.
 */
public final class PrivateInfluxdChild {
  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    String label = args[1];
    Vertx vertx = Vertx.vertx();
    TelemetryMetrics metrics = TelemetryMetrics.standalone();
    TelemetryService svc;
    try {
      svc =
          TelemetryService.start(
                  vertx,
                  new TelemetryService.Config(
                      null,
                      true,
                      dataDir,
                      List.of(),
                      1.3,
                      TelemetryWriter.Options.defaults().withBatch(200, Duration.ofMillis(50))),
                  metrics)
              .await(60, TimeUnit.SECONDS);
    } catch (io.hepaloop.core.DirectoryInUseException e) {
      System.out.println("REFUSED " + e.getMessage());
      System.out.flush();
      Runtime.getRuntime().halt(3);
      return;
    }
    vertx
        .eventBus()
        .<HepaEvent>consumer(
            Addresses.EVENTS,
            m ->
                System.out.println(
                    "EVENT "
                        + m.body().severity()
                        + " "
                        + m.body().source()
                        + " "
                        + m.body().message()
                        + " RESTARTS "
                        + (long) metrics.influxdRestarts()));
    TelemetryWriter w = svc.writer();
    w.onSpooled(n -> System.out.println("ACK " + n));
    System.out.println("URL " + svc.influx().url());
    long t0 = LineBuilder.epochNanos(Instant.now());
    for (long i = 0; ; i++) {
      w.submit("seqcheck,child=" + label + " seq=" + i + "i " + (t0 + i * 1000));
      Thread.sleep(5);
    }
  }
}
