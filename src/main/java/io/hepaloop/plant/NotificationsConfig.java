package io.hepaloop.plant;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Who is told about alarms, and how: the plant configuration's {@code notifications:} section,
 * loaded and checked by {@link PlantConfigLoader}, secrets already read (from the environment or a
 * file the configuration names; never from the configuration itself). Plain records that map one to
 * one onto {@code notify}: {@link Webhook} → {@code WebhookNotifier.Options}, {@link Smtp} → {@code
 * MailNotifier.Options}, {@link Escalation} → {@code notify.Escalation}, with {@link Retry} the
 * delivery policy of both channels.
 *
 * <p>Priorities are the {@code alarm.AlarmPriority} constant names ({@code CRITICAL}, {@code HIGH},
 * {@code MEDIUM}, {@code LOW}); this package does not depend on alarm or notify.
 *
 * @param webhooks in file order; empty when none
 * @param smtp the mail server, or null when nobody is e-mailed
 * @param contacts people reached by e-mail, in file order, names unique
 * @param escalation who is told, in turn, about an unacknowledged critical alarm; null when none
 * @param retry delivery retry policy and queue bound of every channel
 */
public record NotificationsConfig(
    List<Webhook> webhooks, Smtp smtp, List<Contact> contacts, Escalation escalation, Retry retry) {

  public NotificationsConfig {
    webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
    contacts = contacts == null ? List.of() : List.copyOf(contacts);
    retry = retry == null ? Retry.DEFAULT : retry;
  }

  /** No notification at all (a plant configuration without {@code notifications:}). */
  public static NotificationsConfig none() {
    return new NotificationsConfig(List.of(), null, List.of(), null, Retry.DEFAULT);
  }

  public boolean isEmpty() {
    return webhooks.isEmpty() && smtp == null && contacts.isEmpty() && escalation == null;
  }

  /**
   * One HTTP receiver.
   *
   * @param url http or https
   * @param secret the HMAC key, read from {@code secretEnv} or {@code secretFile}; never logged
   * @param priorities the alarm priorities it receives
   * @param timeout one request's limit
   */
  public record Webhook(URI url, String secret, List<String> priorities, Duration timeout) {
    public Webhook {
      priorities = List.copyOf(priorities);
    }

    @Override
    public String toString() {
      return "Webhook[url="
          + url
          + ", secret=***, priorities="
          + priorities
          + ", timeout="
          + timeout
          + "]";
    }
  }

  /**
   * The SMTP server mail goes through.
   *
   * @param startTls {@code true}: STARTTLS required
   * @param username null for an open relay
   * @param password read from {@code passwordEnv} or {@code passwordFile}; null without username;
   *     never logged
   * @param from the sender address
   */
  public record Smtp(
      String host, int port, boolean startTls, String from, String username, String password) {
    @Override
    public String toString() {
      return "Smtp[host="
          + host
          + ", port="
          + port
          + ", startTls="
          + startTls
          + ", from="
          + from
          + ", username="
          + username
          + ", password="
          + (password == null ? "null" : "***")
          + "]";
    }
  }

  /** A person reached by e-mail for alarms of {@code priorities}. */
  public record Contact(String name, String email, List<String> priorities) {
    public Contact {
      priorities = List.copyOf(priorities);
    }
  }

  /**
   * An unacknowledged critical alarm goes to {@code contacts.get(0)} at once and to the next one
   * every {@code step} until acknowledged.
   *
   * @param contacts contact names, in order, each one of {@link NotificationsConfig#contacts()}
   */
  public record Escalation(Duration step, List<String> contacts) {
    public Escalation {
      contacts = List.copyOf(contacts);
    }
  }

  /**
   * Delivery policy shared by the channels: the first retry after {@code firstRetry}, doubling up
   * to {@code maxRetry}; at most {@code maxQueued} notifications held while a receiver is down.
   */
  public record Retry(Duration firstRetry, Duration maxRetry, int maxQueued) {
    public static final Retry DEFAULT =
        new Retry(Duration.ofSeconds(1), Duration.ofMinutes(5), 10_000);
  }
}
