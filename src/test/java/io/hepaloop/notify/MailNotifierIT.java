package io.hepaloop.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Verifies e-mail notifications through a real SMTP server (GreenMail) on loopback. */
class MailNotifierIT {
  private final Vertx vertx = Vertx.vertx();
  private GreenMail smtp;

  @AfterEach
  void stop() throws Exception {
    if (smtp != null) {
      smtp.stop();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private GreenMail startSmtp(int port) {
    GreenMail g = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    g.start();
    g.setUser("hepaloop@lab.example", "hepaloop", "a-secret-password");
    return g;
  }

  private static MailNotifier.Options options(int port) {
    return new MailNotifier.Options(
        "127.0.0.1",
        port,
        false,
        "hepaloop",
        "a-secret-password",
        "hepaloop@lab.example",
        Duration.ofMillis(50),
        Duration.ofMillis(500),
        100);
  }

  private static Notification critical() {
    return new Notification(
        "n-42",
        "critical",
        "r3",
        "outlet pO2 low-low: 24.8 mmHg below 25 mmHg",
        Instant.parse("2026-12-02T01:15:00Z"),
        "check the oxygenator gas supply; raise sweep-gas O2");
  }

  @Test
  void aNotificationArrivesAsAMailThatSaysWhatWhereSinceWhenAndWhatToDo() throws Exception {
    int port = freePort();
    smtp = startSmtp(port);
    try (MailNotifier mail = new MailNotifier(vertx, options(port), new SimpleMeterRegistry())) {
      mail.send(critical(), List.of("oncall@lab.example", "lead@lab.example"));
      await().atMost(Duration.ofSeconds(30)).until(() -> mail.delivered() == 1);
    }
    MimeMessage[] got = smtp.getReceivedMessages();
    assertThat(got).hasSize(2); // one copy per recipient mailbox
    MimeMessage m = got[0];
    assertThat(m.getSubject())
        .isEqualTo("[HepaLoop CRITICAL] reactor r3: outlet pO2 low-low: 24.8 mmHg below 25 mmHg");
    String text = m.getContent().toString();
    assertThat(text)
        .contains("Where:   reactor r3")
        .contains("Since:   2026-12-02T01:15:00Z")
        .contains("Action:  check the oxygenator gas supply; raise sweep-gas O2");
    assertThat(m.getHeader("X-HepaLoop-Delivery")).containsExactly("n-42");
  }

  @Test
  void aMailWaitsWhileTheSmtpServerIsDownAndGoesOutWhenItIsBack() throws Exception {
    int port = freePort();
    try (MailNotifier mail = new MailNotifier(vertx, options(port), new SimpleMeterRegistry())) {
      mail.send(critical(), List.of("oncall@lab.example"));
      await().atMost(Duration.ofSeconds(20)).until(() -> mail.failedAttempts() >= 2);
      assertThat(mail.queued()).isEqualTo(1);
      smtp = startSmtp(port);
      await().atMost(Duration.ofSeconds(30)).until(() -> mail.delivered() == 1);
    }
    assertThat(smtp.getReceivedMessages()).hasSize(1);
  }

  @Test
  void badSettingsAreRefusedNamingWhatIsWrong() {
    assertThatThrownBy(
            () ->
                new MailNotifier.Options(
                    "127.0.0.1",
                    25,
                    false,
                    null,
                    null,
                    "no-address",
                    Duration.ZERO,
                    Duration.ZERO,
                    1))
        .hasMessageContaining("'from'");
    assertThatThrownBy(
            () ->
                new MailNotifier.Options(
                    "127.0.0.1", 25, false, "user", null, "a@b.c", Duration.ZERO, Duration.ZERO, 1))
        .hasMessageContaining("password");
  }
}
