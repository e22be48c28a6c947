package io.hepaloop.telemetry;

import java.nio.file.Path;

/**
 * A second HepaLoop (or a second {@link LocalInfluxd} in this JVM) on the same private InfluxDB data:
 * the user's to fix, so the CLI prints the message (which names the other process) without a stack trace.
 */
public final class DataDirInUseException extends IllegalStateException {
  DataDirInUseException(Path dir, String why) {
    super("the private InfluxDB data in " + dir.toAbsolutePath() + " is in use: " + why
        + ". Only one process may run influxd on a data directory: stop that one first, or use another data directory.");
  }
}
