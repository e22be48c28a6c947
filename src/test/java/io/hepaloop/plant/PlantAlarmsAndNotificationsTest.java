package io.hepaloop.plant;

import static org.assertj.core.api.Assertions.assertThat;

import io.hepaloop.profile.AlarmSpec;
import io.hepaloop.profile.DeviceProfile;
import io.hepaloop.profile.ProfileLoader;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-reactor alarm overrides and the plant's notifications, loaded from a real file. */
class PlantAlarmsAndNotificationsTest {
  static final Path PROFILE =
      Path.of("device-profiles/liver-perfusion-bioreactor.yaml").toAbsolutePath();
  static final String WEBHOOK_SECRET = "0123456789abcdef-webhook";
  static final String SMTP_PASSWORD = "smtp-password-from-file";

  @TempDir Path dir;

  private Path config(String yaml) throws IOException {
    Path file = dir.resolve("hepaloop.yaml");
    Files.writeString(file, yaml.replace("PROFILE", PROFILE.toString()));
    return file;
  }

  @Test
  void overridesChangeOnlyTheirReactorsEffectiveAlarmsAndDisabledOnesAreGone() throws IOException {
    DeviceProfile shipped = ProfileLoader.load(PROFILE);
    Path file =
        config(
            """
            dataDir: data
            reactors:
              - id: r1
                profile: PROFILE
                endpoint: { url: "opc.tcp://127.0.0.1:4841/hepaloop" }
                alarms:
                  - id: temperature_high
                    limit: 37.8
                    deadband: 0.2
                    onDelayS: 120
                    offDelayS: 30
                    priority: high
                    reAlarmAfterS: 3600
                  - id: spool_growing
                    enabled: false
              - id: r2
                profile: PROFILE
                endpoint: { url: "opc.tcp://127.0.0.1:4842/hepaloop" }
            """);

    PlantConfig plant = PlantConfigLoader.load(file, k -> null);

    DeviceProfile r1 = plant.reactor("r1").orElseThrow().profile();
    DeviceProfile r2 = plant.reactor("r2").orElseThrow().profile();
    AlarmSpec high = r1.alarm("temperature_high").orElseThrow();
    AlarmSpec shippedHigh = shipped.alarm("temperature_high").orElseThrow();
    assertThat(high)
        .isEqualTo(
            new AlarmSpec(
                "temperature_high",
                "high",
                "temperature",
                37.8,
                0.2,
                120.0,
                30.0,
                "high",
                shippedHigh.latched(),
                3600.0,
                shippedHigh.suppressWhen(),
                shippedHigh.windowS(),
                shippedHigh.horizonS(),
                shippedHigh.rationale()));
    assertThat(r1.alarm("spool_growing")).isEmpty();
    assertThat(r1.alarms()).hasSize(shipped.alarms().size() - 1);
    assertThat(r2.alarms()).isEqualTo(shipped.alarms());
    assertThat(r1.signals()).isEqualTo(r2.signals());
  }

  @Test
  void notificationsLoadWithTheirSecretsFromAFileAndTheEnvironment() throws IOException {
    Files.writeString(dir.resolve("webhook.key"), WEBHOOK_SECRET + "\n");
    Path file =
        config(
            """
            dataDir: data
            reactors:
              - id: r1
                profile: PROFILE
            notifications:
              webhooks:
                - url: https://hooks.example.com/hepaloop
                  secretFile: webhook.key
                  priorities: [critical, high]
                - url: http://127.0.0.1:9000/alarms
                  secretEnv: TEST_WEBHOOK_SECRET
                  timeoutS: 2.5
              smtp:
                host: smtp.example.com
                port: 587
                from: hepaloop@example.com
                user: hepaloop
                passwordEnv: TEST_SMTP_PASSWORD
              contacts:
                - name: night
                  email: night@example.com
                  priorities: [critical]
                - name: lead
                  email: lead@example.com
              escalation:
                afterMinutes: 15
                contacts: [night, lead]
              retry: { firstS: 2, maxS: 120, maxQueued: 500 }
            """);
    Map<String, String> env =
        Map.of(
            "TEST_WEBHOOK_SECRET", "env-secret-of-20-chars", "TEST_SMTP_PASSWORD", SMTP_PASSWORD);

    NotificationsConfig n = PlantConfigLoader.load(file, env::get).notifications();

    assertThat(n.webhooks())
        .containsExactly(
            new NotificationsConfig.Webhook(
                URI.create("https://hooks.example.com/hepaloop"),
                WEBHOOK_SECRET,
                List.of("CRITICAL", "HIGH"),
                Duration.ofSeconds(10)),
            new NotificationsConfig.Webhook(
                URI.create("http://127.0.0.1:9000/alarms"),
                "env-secret-of-20-chars",
                List.of("CRITICAL", "HIGH", "MEDIUM", "LOW"),
                Duration.ofMillis(2500)));
    assertThat(n.smtp())
        .isEqualTo(
            new NotificationsConfig.Smtp(
                "smtp.example.com", 587, true, "hepaloop@example.com", "hepaloop", SMTP_PASSWORD));
    assertThat(n.contacts())
        .containsExactly(
            new NotificationsConfig.Contact("night", "night@example.com", List.of("CRITICAL")),
            new NotificationsConfig.Contact(
                "lead", "lead@example.com", List.of("CRITICAL", "HIGH", "MEDIUM", "LOW")));
    assertThat(n.escalation())
        .isEqualTo(
            new NotificationsConfig.Escalation(Duration.ofMinutes(15), List.of("night", "lead")));
    assertThat(n.retry())
        .isEqualTo(
            new NotificationsConfig.Retry(Duration.ofSeconds(2), Duration.ofMinutes(2), 500));
    assertThat(n.toString())
        .doesNotContain(WEBHOOK_SECRET, SMTP_PASSWORD, "env-secret-of-20-chars");
  }

  @Test
  void aShortSecretInItsFileIsRefusedNamingTheLineAndTheMinimum() throws IOException {
    Files.writeString(dir.resolve("webhook.key"), "short\n");
    Path file =
        config(
            """
            dataDir: data
            reactors:
              - id: r1
                profile: PROFILE
            notifications:
              webhooks:
                - url: https://hooks.example.com/hepaloop
                  secretFile: webhook.key
            """);

    assertThat(PlantConfigLoader.validate(file, k -> null))
        .extracting(p -> p.line() + ": " + p.path() + ": " + p.message())
        .containsExactly(
            "8: notifications.webhooks[0].secretFile: the webhook's HMAC key has 5 characters; "
                + "it must have at least 16 (it signs every notification)");
  }

  @Test
  void withoutANotificationsSectionNobodyIsNotified() throws IOException {
    Path file = config("dataDir: data\nreactors:\n  - id: r1\n    profile: PROFILE\n");
    assertThat(PlantConfigLoader.load(file, k -> null).notifications().isEmpty()).isTrue();
  }
}
