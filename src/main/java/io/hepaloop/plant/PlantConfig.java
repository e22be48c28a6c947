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
 */
public record PlantConfig(Path dataDir, List<ReactorConfig> reactors, Path source) {
  public PlantConfig {
    reactors = List.copyOf(reactors);
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
