package io.hepaloop.telemetry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The file of lines InfluxDB refused as bad data ({@code spool/quarantine.lp}), bounded: when an
 * append would take it past {@code maxBytes} it is first renamed to {@code quarantine.lp.1}
 * (replacing the previous one), so the two hold at most about {@code 2 × maxBytes} on day 30 of a
 * device that sends a bad value every second, and the newest refusals are always kept. Not
 * thread-safe: the writer's sender calls it under its lock.
 */
final class RefusedLines {
  /** Default bound of one file: 64 MiB, some 300,000 refused points with their reasons. */
  static final long DEFAULT_MAX_BYTES = 64L << 20;

  private final Path file;
  private final Path previous;
  private final long maxBytes;
  private long rotations;

  RefusedLines(Path file, long maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive, was " + maxBytes);
    }
    this.file = file;
    this.previous = file.resolveSibling(file.getFileName() + ".1");
    this.maxBytes = maxBytes;
  }

  /** Appends one refusal: a comment line with the reason, then the line itself. */
  void append(String header, String line) throws IOException {
    byte[] bytes = ("# " + header + "\n" + line + "\n").getBytes(StandardCharsets.UTF_8);
    if (Files.exists(file) && Files.size(file) + bytes.length > maxBytes) {
      Files.move(file, previous, StandardCopyOption.REPLACE_EXISTING);
      rotations++;
    }
    OwnerOnly.append(file, bytes);
  }

  /** How many times the file was full and replaced the previous one since start. */
  long rotations() {
    return rotations;
  }

  Path file() {
    return file;
  }
}
