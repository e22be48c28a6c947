package io.hepaloop.telemetry;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM of {@link InfluxdCtrlCIT}: telemetry with a private influxd as {@code demo} runs it,
 * fed numbered points ({@code seqcheck seq=<n>}) until SIGINT; its shutdown hook then does what
 * {@code demo}'s does — stops the telemetry (final flush into influxd, then influxd stopped) — and
 * prints {@code FINAL submitted=<n> spooled=<n> delivered=<n> pending=<n>
 * influxdAliveAfterFlush=<b>}. Also prints {@code URL <url>}, {@code INFLUXD <pid>} and {@code ACK
 * <n>} as points become durable.
 */
public final class CtrlCChild {
  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    Vertx vertx = Vertx.vertx();
    TelemetryService svc =
        TelemetryService.start(
                vertx,
                new TelemetryService.Config(
                    null,
                    true,
                    dataDir,
                    List.of(),
                    1.3,
                    // batches of 500 ms as in demo: the last ones are only spooled at the flush
                    TelemetryWriter.Options.defaults()),
                TelemetryMetrics.standalone())
            .await(60, TimeUnit.SECONDS);
    TelemetryWriter w = svc.writer();
    CountDownLatch stopping = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread feeder = Thread.currentThread();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stopping.countDown();
                  try {
                    feeder.join(5_000);
                    svc.stop().await(40, TimeUnit.SECONDS);
                    System.out.println(
                        "FINAL submitted="
                            + w.submitted()
                            + " spooled="
                            + w.spooled()
                            + " delivered="
                            + w.delivered()
                            + " pending="
                            + w.spoolPendingPoints());
                  } catch (Exception e) {
                    System.out.println("FINAL failed " + e);
                  } finally {
                    System.out.flush();
                    stopped.countDown();
                  }
                },
                "ctrl-c-child-shutdown"));
    w.onSpooled(n -> System.out.println("ACK " + n));
    System.out.println("URL " + svc.influx().url());
    System.out.println(
        "INFLUXD "
            + java.nio.file.Files.readString(dataDir.resolve("influxd").resolve("influxd.pid"))
                .trim());
    System.out.flush();
    long t0 = LineBuilder.epochNanos(Instant.now());
    for (long i = 0; stopping.getCount() > 0; i++) {
      w.submit("seqcheck seq=" + i + "i " + (t0 + i * 1000));
      stopping.await(2, TimeUnit.MILLISECONDS);
    }
    stopped.await(Duration.ofSeconds(60).toMillis(), TimeUnit.MILLISECONDS);
  }
}
