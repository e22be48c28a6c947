package io.hepaloop.plant;

import io.hepaloop.lab.Analyte;
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
 * @param labAnalytes the analytes of {@code lab: analytes:}, added to (or replacing by id) the
 *     built-in ones ({@link io.hepaloop.lab.LabAnalytes}); empty when the file has none
 */
public record PlantConfig(
    Path dataDir,
    List<ReactorConfig> reactors,
    Path source,
    NotificationsConfig notifications,
    List<Analyte> labAnalytes) {
  public PlantConfig {
    reactors = List.copyOf(reactors);
    notifications = notifications == null ? NotificationsConfig.none() : notifications;
    labAnalytes = labAnalytes == null ? List.of() : List.copyOf(labAnalytes);
  }

  /** A plant without lab analytes of its own. */
  public PlantConfig(
      Path dataDir, List<ReactorConfig> reactors, Path source, NotificationsConfig notifications) {
    this(dataDir, reactors, source, notifications, List.of());
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
