package io.hepaloop.telemetry;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Child JVM of {@link SpoolCrashIT}: writes numbered points to a spool (InfluxDB unreachable, so
 * all stay spooled) and prints {@code ACK n} each time n points are acknowledged (fsynced), until
 * killed.
 */
public final class SpoolCrashChild {
  public static void main(String[] args) {
    Path spool = Path.of(args[0]);
    long t0 = Long.parseLong(args[1]);
    InfluxHttp dead =
        new InfluxHttp(InfluxConfig.local("http://127.0.0.1:9", "crash"), Duration.ofSeconds(1));
    TelemetryWriter w =
        new TelemetryWriter(
            dead,
            spool,
            TelemetryWriter.Options.defaults().withBatch(200, Duration.ofMillis(20)),
            TelemetryMetrics.standalone(),
            null);
    w.onSpooled(
        n -> {
          System.out.println("ACK " + n);
          System.out.flush();
        });
    w.start();
    for (long i = 0; ; i++) {
      while (!w.submit("crash,reactor=r1 seq=" + i + "i " + (t0 + i * 1000))) {
        Thread.onSpinWait();
      }
      if (i % 200 == 0) {
        Thread.yield();
      }
    }
  }
}
