package io.hepaloop.plant;

import io.hepaloop.profile.DeviceProfile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one HepaLoop controller supervises: its reactors, and where data lives. Load with {@link
 * PlantConfigLoader}, which refuses a bad file with every problem listed.
 *
 * @param dataDir absolute; the run database, telemetry spool and exports live here (not created by
 *     loading)
 * @param reactors in file order, ids unique
 * @param source the configuration file it was read from (null when built in code)
 * @param notifications who is told about alarms, and how; {@link NotificationsConfig#none()} when
 *     the file has no {@code notifications:} section
 */
public record PlantConfig(
    Path dataDir, List<ReactorConfig> reactors, Path source, NotificationsConfig notifications) {
  public PlantConfig {
    reactors = List.copyOf(reactors);
    notifications = notifications == null ? NotificationsConfig.none() : notifications;
  }

  /** A plant without notifications (tests, tools). */
  public PlantConfig(Path dataDir, List<ReactorConfig> reactors, Path source) {
    this(dataDir, reactors, source, NotificationsConfig.none());
  }

  public Optional<ReactorConfig> reactor(String id) {
    return reactors.stream().filter(r -> r.id().equals(id)).findFirst();
  }

  public List<String> reactorIds() {
    return reactors.stream().map(ReactorConfig::id).toList();
  }

  /** Each reactor's device profile, in file order. */
  public Map<String, DeviceProfile> profileByReactor() {
    Map<String, DeviceProfile> m = new LinkedHashMap<>();
    reactors.forEach(r -> m.put(r.id(), r.profile()));
    return m;
  }
}
