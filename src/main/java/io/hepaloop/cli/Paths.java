package io.hepaloop.cli;

import java.nio.file.Path;

/** Where the project's files are: {@code HEPALOOP_ROOT} (set by the launcher), else the working directory. */
final class Paths {
  private Paths() {}

  static Path root() {
    String env = System.getenv("HEPALOOP_ROOT");
    return Path.of(env != null && !env.isBlank() ? env : ".").toAbsolutePath().normalize();
  }
}
