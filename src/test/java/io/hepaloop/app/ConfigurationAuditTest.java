package io.hepaloop.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.audit.AuditAction;
import io.hepaloop.audit.AuditEntry;
import io.hepaloop.audit.AuditQuery;
import io.hepaloop.audit.AuditSearch;
import io.hepaloop.audit.AuditTrail;
import io.hepaloop.audit.AuditVerifier;
import io.hepaloop.plant.PlantConfig;
import io.hepaloop.plant.ReactorConfig;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import io.hepaloop.store.Store;
import io.hepaloop.time.SystemClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigurationAuditTest {
  @TempDir Path dir;

  static final DeviceProfile PROFILE =
      ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));

  PlantConfig plant(Path source, DeviceProfile profile) {
    ReactorConfig r =
        new ReactorConfig(
            "r1",
            "R1",
            profile,
            "opc.tcp://127.0.0.1:4840/",
            "None",
            "None",
            null,
            null,
            null,
            null);
    return new PlantConfig(dir, List.of(r), source);
  }

  List<AuditSearch.Row> records(AuditAction action) {
    return AuditSearch.find(
            dir, new AuditQuery(null, null, null, action, null, null, AuditQuery.MAX_LIMIT, null))
        .rows();
  }

  @Test
  void aChangeIsRecordedOnceWithOldAndNewVersionAndAnUnchangedStartAddsNothing() throws Exception {
    Path config = Files.writeString(dir.resolve("plant.yaml"), "reactors: []\n# first\n");
    try (Store store = Store.open(dir);
        AuditTrail trail = AuditTrail.open(store, SystemClock.INSTANCE)) {
      List<AuditEntry> first =
          ConfigurationAudit.recordChanges(trail, dir, plant(config, PROFILE), "run-1", "olga");
      assertThat(first)
          .extracting(AuditEntry::action)
          .containsExactly(AuditAction.CONFIGURATION, AuditAction.PROFILE);
      assertThat(first.get(0).user()).isEqualTo("os:olga");
      assertThat(first.get(0).oldValue()).isNull();

      // restarted unchanged (the profile loaded again from its file): nothing new
      DeviceProfile reloaded =
          ProfileLoader.load(Path.of("device-profiles/liver-perfusion-bioreactor.yaml"));
      assertThat(
              ConfigurationAudit.recordChanges(
                  trail, dir, plant(config, reloaded), "run-1", "olga"))
          .isEmpty();

      // the file is edited, and the profile's watchdog timing changes
      Files.writeString(config, "reactors: []\n# second\n");
      DeviceProfile changed =
          PROFILE.withWatchdog(
              new io.hepaloop.profile.WatchdogSpec(
                  PROFILE.watchdog().nodeId(),
                  PROFILE.watchdog().dataType(),
                  PROFILE.watchdog().intervalMs() + 1000,
                  PROFILE.watchdog().timeoutMs() + 1000));
      List<AuditEntry> second =
          ConfigurationAudit.recordChanges(trail, dir, plant(config, changed), "run-1", "olga");
      assertThat(second).hasSize(2);
      assertThat(second.get(0).oldValue()).isEqualTo(first.get(0).newValue());
      assertThat(second.get(1).oldValue()).isEqualTo(first.get(1).newValue());
      assertThat(second.get(1).newValue()).isNotEqualTo(first.get(1).newValue());
      assertThat(second.get(1).target()).isEqualTo("profile/r1");
    }
    assertThat(records(AuditAction.CONFIGURATION)).hasSize(2);
    assertThat(records(AuditAction.PROFILE)).hasSize(2);
    assertThat(AuditVerifier.verify(dir).intact()).isTrue();
  }
}
