package io.hepaloop.app;

import io.hepaloop.audit.AuditAction;
import io.hepaloop.audit.AuditEntry;
import io.hepaloop.audit.AuditQuery;
import io.hepaloop.audit.AuditSearch;
import io.hepaloop.audit.AuditTrail;
import io.hepaloop.plant.PlantConfig;
import io.hepaloop.plant.ReactorConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Puts configuration and device-profile changes in the audit trail. People change them by editing
 * files, outside HepaLoop; what HepaLoop can do is notice, at every start, that the plant
 * configuration file or a reactor's effective device profile is not the version the trail last
 * recorded, and append a {@code configuration} / {@code profile} record naming the old and new
 * SHA-256 and the operating-system user who started the plant. An unchanged start appends nothing,
 * so a plant restarted a hundred times has one record per real change.
 *
 * <p>A profile's version is the SHA-256 of its effective content as loaded (every field of the
 * {@code DeviceProfile} record, plant overrides applied), so a change in formatting or comments
 * alone is no change, and a changed alarm limit is. Blocking (database and file reads): call it
 * before the plant's event loops run, as {@link PlantRuntime#start} does.
 */
public final class ConfigurationAudit {
  static final String CONFIG_TARGET = "config";
  static final String PROFILE_TARGET = "profile/";

  private ConfigurationAudit() {}

  /**
   * Appends a record for each changed item and returns them (empty when nothing changed).
   *
   * @param startedBy who started the plant (the operating-system user)
   */
  public static List<AuditEntry> recordChanges(
      AuditTrail trail, Path dataDir, PlantConfig plant, String runId, String startedBy) {
    List<AuditEntry> appended = new ArrayList<>();
    String user = "os:" + (startedBy == null || startedBy.isBlank() ? "unknown" : startedBy);
    if (plant.source() != null && Files.isRegularFile(plant.source())) {
      String sha = fileSha256(plant.source());
      appendIfChanged(
          trail,
          dataDir,
          AuditAction.CONFIGURATION,
          CONFIG_TARGET,
          sha,
          "sha256 " + sha + " of " + plant.source().toAbsolutePath().normalize(),
          user,
          runId,
          appended);
    }
    for (ReactorConfig r : plant.reactors()) {
      String sha = sha256(r.profile().toString().getBytes(StandardCharsets.UTF_8));
      appendIfChanged(
          trail,
          dataDir,
          AuditAction.PROFILE,
          PROFILE_TARGET + r.id(),
          sha,
          "sha256 " + sha + " of profile " + r.profile().model() + " (effective, as loaded)",
          user,
          runId,
          appended);
    }
    return appended;
  }

  private static void appendIfChanged(
      AuditTrail trail,
      Path dataDir,
      AuditAction action,
      String target,
      String sha,
      String newValue,
      String user,
      String runId,
      List<AuditEntry> appended) {
    String previous = lastVersion(dataDir, action, target);
    if (previous != null && previous.contains("sha256 " + sha + " ")) {
      return;
    }
    AuditEntry entry =
        new AuditEntry(
            user,
            null,
            action,
            target,
            previous,
            newValue,
            previous == null
                ? "first start with this " + what(action) + " recorded"
                : "the " + what(action) + " changed since the last start",
            runId,
            null);
    trail.append(entry);
    appended.add(entry);
  }

  private static String what(AuditAction action) {
    return action == AuditAction.CONFIGURATION ? "plant configuration" : "device profile";
  }

  /** The new value of the last record of {@code action} on exactly {@code target}, or null. */
  private static String lastVersion(Path dataDir, AuditAction action, String target) {
    Long before = null;
    do {
      AuditSearch.Page page =
          AuditSearch.find(
              dataDir,
              new AuditQuery(null, null, null, action, null, target, AuditQuery.MAX_LIMIT, before));
      for (AuditSearch.Row row : page.rows()) {
        if (target.equals(row.target())) {
          return row.newValue();
        }
      }
      before = page.nextBeforeSeq();
    } while (before != null);
    return null;
  }

  static String fileSha256(Path file) {
    try {
      return sha256(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + " to record its version: " + e, e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
