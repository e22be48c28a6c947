package io.hepaloop.notify;

import io.hepaloop.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Who is told about an unacknowledged alarm, and when: the first contact of the chain at once, the
 * next one each time {@link #step} passes without an acknowledgement, until the chain is exhausted
 * (the last contact keeps it). An acknowledgement, or the alarm's return to normal and
 * acknowledgement, ends the escalation.
 *
 * <p>Plain Java on the control {@link Clock} (tested on {@code ManualClock}, no threads, no
 * sleeps): the alarm engine calls {@link #raised}, {@link #acknowledged} and {@link #tick}; the
 * {@code notify} callback hands the notification to a channel ({@link WebhookNotifier}, {@link
 * MailNotifier}), which never blocks. Memory is one entry per alarm still being escalated.
 *
 * @param <C> a contact (an e-mail address, a webhook, a person)
 */
public final class Escalation<C> {
  private record Pending<C>(Notification notification, long raisedNanos, int notified) {}

  private final List<C> chain;
  private final Duration step;
  private final Clock clock;
  private final BiConsumer<C, Notification> notify;
  private final Map<String, Pending<C>> pending = new LinkedHashMap<>();

  /**
   * @param chain contacts in order of escalation (at least one)
   * @param step how long an alarm may stay unacknowledged before the next contact is told
   */
  public Escalation(List<C> chain, Duration step, Clock clock, BiConsumer<C, Notification> notify) {
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("an escalation chain needs at least one contact");
    }
    if (step.isNegative() || step.isZero()) {
      throw new IllegalArgumentException("the escalation step must be positive, got " + step);
    }
    this.chain = List.copyOf(chain);
    this.step = step;
    this.clock = clock;
    this.notify = notify;
  }

  /** An alarm needing acknowledgement was raised: the first contact is told now. */
  public void raised(String alarmKey, Notification n) {
    if (pending.containsKey(alarmKey)) {
      return; // already being escalated: a re-alarm does not start the chain again
    }
    notify.accept(chain.get(0), n);
    pending.put(alarmKey, new Pending<>(n, clock.nanoTime(), 1));
  }

  /** Someone acknowledged it: nobody else is woken. */
  public void acknowledged(String alarmKey) {
    pending.remove(alarmKey);
  }

  /** Tells the next contact of every alarm unacknowledged for another {@link #step}. */
  public void tick() {
    long now = clock.nanoTime();
    for (Map.Entry<String, Pending<C>> e : pending.entrySet()) {
      Pending<C> p = e.getValue();
      long due = p.raisedNanos() + step.toNanos() * p.notified();
      if (p.notified() < chain.size() && now - due >= 0) {
        notify.accept(chain.get(p.notified()), p.notification());
        e.setValue(new Pending<>(p.notification(), p.raisedNanos(), p.notified() + 1));
      }
    }
  }

  /** Alarms still waiting for an acknowledgement. */
  public int pending() {
    return pending.size();
  }
}
