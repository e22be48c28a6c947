package io.hepaloop.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hepaloop.alarm.AlarmPriority;
import io.hepaloop.plant.NotificationsConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotificationPlansTest {
  private static final String SECRET = "0123456789abcdef0123";

  @Test
  void noSectionTellsNobody() {
    assertTrue(NotificationPlans.from(NotificationsConfig.none()).isEmpty());
  }

  @Test
  void prioritiesRouteWebhooksAndContactsAndEscalationStartsWithItsFirstContact() {
    NotificationsConfig c =
        new NotificationsConfig(
            List.of(
                new NotificationsConfig.Webhook(
                    URI.create("http://127.0.0.1:9/hook"),
                    SECRET,
                    List.of("CRITICAL", "HIGH"),
                    Duration.ofSeconds(5))),
            new NotificationsConfig.Smtp("127.0.0.1", 2525, false, "hepaloop@lab.test", null, null),
            List.of(
                new NotificationsConfig.Contact("ana", "ana@lab.test", List.of("HIGH")),
                new NotificationsConfig.Contact("ben", "ben@lab.test", List.of()),
                new NotificationsConfig.Contact("cleo", "cleo@lab.test", List.of())),
            new NotificationsConfig.Escalation(Duration.ofMinutes(15), List.of("ben", "cleo")),
            null);
    NotificationPlan plan = NotificationPlans.from(c);
    NotificationPlan.Recipients critical = plan.routes().get(AlarmPriority.CRITICAL);
    assertEquals(List.of("webhook-1"), critical.webhooks());
    assertEquals(List.of("ben@lab.test"), critical.mailTo(), "the first on call is told at once");
    assertEquals(List.of("ana@lab.test"), plan.routes().get(AlarmPriority.HIGH).mailTo());
    assertNull(plan.routes().get(AlarmPriority.LOW), "nobody listed LOW");
    assertEquals(Duration.ofMinutes(15), plan.escalation().step());
    assertEquals(
        List.of("cleo@lab.test"), plan.escalation().nextContacts().get(0).mailTo(), "then cleo");
    assertEquals(2525, plan.smtp().port());
    assertEquals(SECRET, plan.webhooks().get("webhook-1").secret());
  }
}
