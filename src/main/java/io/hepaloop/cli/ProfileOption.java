package io.hepaloop.cli;

import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --profile} option that every command working on one device model shares (a picocli
 * {@code @Mixin}): the file the user names, else the profile shipped with HepaLoop.
 */
final class ProfileOption {
  @Option(
      names = "--profile",
      paramLabel = "FILE",
      description = "Device profile (default: " + Paths.DEFAULT_PROFILE + ").")
  Path given;

  /**
   * The profile file: as the user wrote it when it exists there (relative to the working
   * directory), else under the HepaLoop root (the launcher may run from elsewhere), else as
   * written, so the error names the path the user gave.
   */
  Path path() {
    Path p = Paths.profileOrDefault(given);
    if (given == null || p.isAbsolute() || Files.exists(p)) {
      return p;
    }
    Path underRoot = Paths.root().resolve(p);
    return Files.exists(underRoot) ? underRoot : p;
  }

  DeviceProfile load() {
    return ProfileLoader.load(path());
  }
}
