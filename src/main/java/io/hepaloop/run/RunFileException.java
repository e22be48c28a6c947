package io.hepaloop.run;

import java.nio.file.Path;

/**
 * The run file of a data directory cannot be read or written. Never answered by starting a new run
 * silently: that would split a culture's record. The message names the file and says what to do.
 */
public final class RunFileException extends RuntimeException {
  private final Path file;

  RunFileException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  public Path file() {
    return file;
  }
}
