package io.hepaloop.app;

import io.hepaloop.alarm.AlarmPriority;
import io.hepaloop.notify.MailNotifier;
import io.hepaloop.notify.WebhookNotifier;
import io.hepaloop.plant.NotificationsConfig;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plant configuration's {@code notifications:} section as the alarm service's {@link
 * NotificationPlan}: every webhook and every contact that lists a priority is told at once about
 * alarms of that priority; escalation tells its first contact at once (with the critical route) and
 * each next contact one step later while the alarm stays unacknowledged.
 */
public final class NotificationPlans {
  private NotificationPlans() {}

  /** Webhooks are named {@code webhook-1}, {@code webhook-2}, … in file order. */
  public static NotificationPlan from(NotificationsConfig c) {
    if (c == null || c.isEmpty()) {
      return NotificationPlan.none();
    }
    NotificationsConfig.Retry retry = c.retry();
    NotificationPlan.Builder plan = NotificationPlan.builder();
    Map<String, NotificationsConfig.Webhook> webhooks = new LinkedHashMap<>();
    for (NotificationsConfig.Webhook w : c.webhooks()) {
      String name = "webhook-" + (webhooks.size() + 1);
      webhooks.put(name, w);
      plan.webhook(
          name,
          new WebhookNotifier.Options(
              w.url(),
              w.secret(),
              w.timeout(),
              retry.firstRetry(),
              retry.maxRetry(),
              retry.maxQueued()));
    }
    if (c.smtp() != null) {
      NotificationsConfig.Smtp s = c.smtp();
      plan.smtp(
          new MailNotifier.Options(
              s.host(),
              s.port(),
              s.startTls(),
              s.username(),
              s.password(),
              s.from(),
              retry.firstRetry(),
              retry.maxRetry(),
              retry.maxQueued()));
    }
    Map<String, NotificationsConfig.Contact> contacts = new LinkedHashMap<>();
    c.contacts().forEach(p -> contacts.put(p.name(), p));
    NotificationsConfig.Escalation escalation = c.escalation();
    String firstOnCall =
        escalation == null || escalation.contacts().isEmpty()
            ? null
            : contacts.get(escalation.contacts().get(0)).email();
    for (AlarmPriority p : AlarmPriority.values()) {
      List<String> hooks = new ArrayList<>();
      webhooks.forEach(
          (name, w) -> {
            if (w.priorities().contains(p.name())) {
              hooks.add(name);
            }
          });
      List<String> mail = new ArrayList<>();
      for (NotificationsConfig.Contact person : contacts.values()) {
        if (person.priorities().contains(p.name())) {
          mail.add(person.email());
        }
      }
      if (p == AlarmPriority.CRITICAL && firstOnCall != null && !mail.contains(firstOnCall)) {
        mail.add(firstOnCall);
      }
      if (!hooks.isEmpty() || !mail.isEmpty()) {
        plan.route(
            p, new NotificationPlan.Recipients(p.name().toLowerCase() + " alarms", hooks, mail));
      }
    }
    if (escalation != null && escalation.contacts().size() > 1) {
      List<NotificationPlan.Recipients> next = new ArrayList<>();
      for (String name : escalation.contacts().subList(1, escalation.contacts().size())) {
        next.add(
            new NotificationPlan.Recipients(name, List.of(), List.of(contacts.get(name).email())));
      }
      Set<AlarmPriority> critical = EnumSet.of(AlarmPriority.CRITICAL);
      plan.escalate(critical, escalation.step(), next);
    }
    return plan.build();
  }
}
