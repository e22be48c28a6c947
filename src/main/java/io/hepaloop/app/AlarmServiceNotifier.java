package io.hepaloop.app;

import io.hepaloop.alarm.AlarmDefinition;
import io.hepaloop.alarm.AlarmState;
import io.hepaloop.alarm.AlarmTransition;
import io.hepaloop.alarm.Rationale;
import io.hepaloop.notify.Escalation;
import io.hepaloop.notify.MailNotifier;
import io.hepaloop.notify.Notification;
import io.hepaloop.notify.WebhookNotifier;
import io.hepaloop.time.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns alarm transitions into {@link Notification}s along a {@link NotificationPlan}: an
 * activation or a re-alarm tells its priority's recipients, and for the priorities the plan
 * escalates, an alarm still unacknowledged after each step tells the next contact ({@link
 * Escalation}); acknowledging it (or anything that takes it out of "waiting for an operator":
 * shelving, out of service, suppression) ends the escalation.
 *
 * <p>Used on the alarm service's context only. It never waits: {@link WebhookNotifier} and {@link
 * MailNotifier} queue and deliver on contexts of their own, which is why it must be created off any
 * Vert.x context (each channel takes a fresh one; created on the alarm context they would share
 * it).
 */
final class AlarmServiceNotifier implements AutoCloseable {
  /** One step of an escalation chain: level 0 is the priority's route. */
  private record Step(int level, NotificationPlan.Recipients recipients) {}

  private final NotificationPlan plan;
  private final Map<String, WebhookNotifier> webhooks = new LinkedHashMap<>();
  private final MailNotifier mail;
  private final Map<String, Escalation<Step>> escalations = new HashMap<>();
  private final Map<String, Instant> activeSince = new HashMap<>();
  private long sent;

  AlarmServiceNotifier(Vertx vertx, NotificationPlan plan, Clock clock, MeterRegistry registry) {
    this.plan = plan;
    plan.webhooks()
        .forEach((name, o) -> webhooks.put(name, new WebhookNotifier(vertx, o, registry)));
    if (!webhooks.isEmpty()) {
      // The first signature and JSON body load the JCA provider and Jackson, which can take
      // seconds on a loaded machine: do it here, off the event loops (a channel's event loop may
      // also carry a controller).
      Notification warmUp = new Notification("warm-up", "low", null, "-", Instant.EPOCH, "-");
      WebhookNotifier.signature("warm-up-secret-16", 0, warmUp.toJson().encode());
    }
    this.mail = plan.smtp() == null ? null : new MailNotifier(vertx, plan.smtp(), registry);
    NotificationPlan.EscalationPlan e = plan.escalation();
    if (e != null) {
      for (var p : e.priorities()) {
        List<Step> chain = new ArrayList<>();
        chain.add(new Step(0, plan.routes().get(p)));
        for (int i = 0; i < e.nextContacts().size(); i++) {
          chain.add(new Step(i + 1, e.nextContacts().get(i)));
        }
        escalations.put(p.name(), new Escalation<>(chain, e.step(), clock, this::deliverStep));
      }
    }
  }

  /** An engine transition, with its alarm's definition. */
  void onTransition(AlarmTransition t, AlarmDefinition d) {
    String key = t.reactorId() + "/" + t.alarmId();
    if (t.to().isActive() && !t.from().isActive()) {
      activeSince.put(key, t.time());
    } else if (!t.to().isActive()) {
      activeSince.remove(key);
    }
    Escalation<Step> escalation = escalations.get(d.priority().name());
    if (t.to() == AlarmState.UNACK_ACTIVE) {
      boolean reAlarm = !t.isActivation();
      Notification n = notification(t, d, key, reAlarm);
      if (escalation != null) {
        // a new chain unless one still runs (an alarm back from RTN_UNACK is not told twice)
        escalation.raised(key, n);
      } else {
        NotificationPlan.Recipients r = plan.routes().get(d.priority());
        if (r != null) {
          deliver(r, n);
        }
      }
    } else if (escalation != null && !t.to().needsAcknowledgement()) {
      escalation.acknowledged(key);
    }
  }

  /** Tells the next contact of every alarm unacknowledged for another step. */
  void tick() {
    for (Escalation<Step> e : escalations.values()) {
      e.tick();
    }
  }

  /** Alarms whose escalation still waits for an acknowledgement. */
  int escalating() {
    int n = 0;
    for (Escalation<Step> e : escalations.values()) {
      n += e.pending();
    }
    return n;
  }

  /** Notifications handed to the channels (one per recipients set). */
  long sent() {
    return sent;
  }

  private Notification notification(
      AlarmTransition t, AlarmDefinition d, String key, boolean reAlarm) {
    Instant since = activeSince.getOrDefault(key, t.time());
    Rationale r = d.rationale();
    String action =
        r == null
            ? "see the alarm's rationale"
            : r.correctiveAction()
                + " (respond within "
                + responseTime(r.maxResponseTimeS())
                + "; if nothing is done: "
                + r.consequence()
                + ")";
    return new Notification(
        t.reactorId()
            + ":"
            + t.alarmId()
            + ":"
            + (reAlarm ? "realarm" : "activation")
            + ":"
            + t.time().toEpochMilli(),
        d.priority().name().toLowerCase(Locale.ROOT),
        t.reactorId(),
        (reAlarm ? "still active (re-alarm): " : "") + t.alarmId() + ": " + t.message(),
        since,
        action);
  }

  private void deliverStep(Step step, Notification n) {
    if (step.level() == 0) {
      deliver(step.recipients(), n);
      return;
    }
    deliver(
        step.recipients(),
        new Notification(
            n.id() + ":escalation" + step.level(),
            n.priority(),
            n.reactorId(),
            "ESCALATED, not acknowledged (to "
                + step.recipients().name()
                + ", level "
                + step.level()
                + "): "
                + n.what(),
            n.since(),
            n.action()));
  }

  private void deliver(NotificationPlan.Recipients r, Notification n) {
    for (String w : r.webhooks()) {
      webhooks.get(w).send(n);
    }
    if (!r.mailTo().isEmpty()) {
      mail.send(n, r.mailTo());
    }
    sent++;
  }

  static String responseTime(double seconds) {
    if (seconds >= 120) {
      return String.format(Locale.ROOT, "%.0f min", seconds / 60);
    }
    return String.format(Locale.ROOT, "%.0f s", seconds);
  }

  @Override
  public void close() {
    webhooks.values().forEach(WebhookNotifier::close);
    if (mail != null) {
      mail.close();
    }
  }
}
