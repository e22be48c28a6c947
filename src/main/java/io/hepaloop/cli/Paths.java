package io.hepaloop.cli;

import java.nio.file.Path;

/**
 * Where the project's files are: {@code HEPALOOP_ROOT} (set by the launcher), else the working
 * directory.
 */
final class Paths {
  private Paths() {}

  /**
   * The device profile shipped with HepaLoop, used when a command is given no {@code --profile}.
   */
  static final String DEFAULT_PROFILE = "device-profiles/liver-perfusion-bioreactor.yaml";

  static Path root() {
    String env = System.getenv("HEPALOOP_ROOT");
    return Path.of(env != null && !env.isBlank() ? env : ".").toAbsolutePath().normalize();
  }

  /**
   * {@code given} as the user wrote it (relative to the working directory), else the shipped
   * profile under {@link #root()}.
   */
  static Path profileOrDefault(Path given) {
    return given != null ? given : root().resolve(DEFAULT_PROFILE);
  }
}
