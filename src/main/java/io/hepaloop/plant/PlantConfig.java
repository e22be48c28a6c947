package io.hepaloop.plant;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What one HepaLoop controller supervises: its reactors, and where data lives. Load with
 * {@link PlantConfigLoader}, which refuses a bad file with every problem listed.
 *
 * @param dataDir absolute; the run database, telemetry spool and exports live here (not created by loading)
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
}
