package io.hepaloop.app;

import io.hepaloop.alarm.AlarmPriority;
import io.hepaloop.notify.MailNotifier;
import io.hepaloop.notify.WebhookNotifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who is told about which alarms, and how: named webhooks, one SMTP server, per priority the
 * recipients told when an alarm activates (or re-alarms), and an escalation for the priorities that
 * must not stay unacknowledged (an unacknowledged alarm tells the next contact every {@code step}).
 * Checked when built: a route naming an unknown webhook, or mail without an SMTP server, is refused
 * with a message naming it. The plant configuration's {@code notifications:} section is mapped onto
 * this.
 *
 * @param webhooks receivers by name
 * @param smtp the mail server, or null when nobody is mailed
 * @param routes per priority, who is told at once; a priority without a route tells nobody
 * @param escalation or null: no escalation
 */
public record NotificationPlan(
    Map<String, WebhookNotifier.Options> webhooks,
    MailNotifier.Options smtp,
    Map<AlarmPriority, Recipients> routes,
    EscalationPlan escalation) {

  /**
   * A set of people or systems told together.
   *
   * @param name for logs and the notification ("on-call engineer")
   * @param webhooks names of {@link NotificationPlan#webhooks}
   * @param mailTo e-mail addresses
   */
  public record Recipients(String name, List<String> webhooks, List<String> mailTo) {
    public Recipients {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("notification recipients need a name");
      }
      webhooks = List.copyOf(webhooks == null ? List.of() : webhooks);
      mailTo = List.copyOf(mailTo == null ? List.of() : mailTo);
      if (webhooks.isEmpty() && mailTo.isEmpty()) {
        throw new IllegalArgumentException(
            "recipients '" + name + "' have neither a webhook nor a mail address");
      }
      for (String m : mailTo) {
        if (m == null || !m.contains("@")) {
          throw new IllegalArgumentException(
              "recipients '" + name + "': '" + m + "' is not an e-mail address");
        }
      }
    }
  }

  /**
   * Escalation of unacknowledged alarms of the given priorities: the priority's route is told at
   * once, {@code nextContacts.get(0)} after one {@code step} without acknowledgement, the next one
   * after another, and so on.
   */
  public record EscalationPlan(
      Set<AlarmPriority> priorities, Duration step, List<Recipients> nextContacts) {
    public EscalationPlan {
      if (priorities == null || priorities.isEmpty()) {
        throw new IllegalArgumentException("escalation: name at least one priority");
      }
      if (step == null || step.isNegative() || step.isZero()) {
        throw new IllegalArgumentException("escalation: step must be positive, got " + step);
      }
      if (nextContacts == null || nextContacts.isEmpty()) {
        throw new IllegalArgumentException("escalation: name at least one next contact");
      }
      priorities = Set.copyOf(EnumSet.copyOf(priorities));
      nextContacts = List.copyOf(nextContacts);
    }
  }

  public NotificationPlan {
    webhooks = Map.copyOf(webhooks == null ? Map.of() : webhooks);
    routes = routes == null || routes.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(routes));
    List<Recipients> all = new ArrayList<>(routes.values());
    if (escalation != null) {
      all.addAll(escalation.nextContacts());
      for (AlarmPriority p : escalation.priorities()) {
        if (!routes.containsKey(p)) {
          throw new IllegalArgumentException(
              "escalation of "
                  + p
                  + " alarms needs a route for "
                  + p
                  + " (who is told first); routes: "
                  + routes.keySet());
        }
      }
    }
    for (Recipients r : all) {
      for (String w : r.webhooks()) {
        if (!webhooks.containsKey(w)) {
          throw new IllegalArgumentException(
              "recipients '"
                  + r.name()
                  + "' name webhook '"
                  + w
                  + "', which is not defined (webhooks: "
                  + webhooks.keySet()
                  + ")");
        }
      }
      if (!r.mailTo().isEmpty() && smtp == null) {
        throw new IllegalArgumentException(
            "recipients '" + r.name() + "' are mailed, but no SMTP server is configured");
      }
    }
  }

  /** Nobody is told (alarms still appear in the list, the history and the event stream). */
  public static NotificationPlan none() {
    return new NotificationPlan(Map.of(), null, Map.of(), null);
  }

  public boolean isEmpty() {
    return routes.isEmpty();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a plan step by step; {@link #build} checks it. */
  public static final class Builder {
    private final Map<String, WebhookNotifier.Options> webhooks = new LinkedHashMap<>();
    private MailNotifier.Options smtp;
    private final Map<AlarmPriority, Recipients> routes = new EnumMap<>(AlarmPriority.class);
    private EscalationPlan escalation;

    public Builder webhook(String name, WebhookNotifier.Options options) {
      webhooks.put(name, options);
      return this;
    }

    public Builder smtp(MailNotifier.Options options) {
      this.smtp = options;
      return this;
    }

    public Builder route(AlarmPriority priority, Recipients recipients) {
      routes.put(priority, recipients);
      return this;
    }

    public Builder escalate(Set<AlarmPriority> priorities, Duration step, List<Recipients> next) {
      this.escalation = new EscalationPlan(priorities, step, next);
      return this;
    }

    public NotificationPlan build() {
      return new NotificationPlan(webhooks, smtp, routes, escalation);
    }
  }
}
