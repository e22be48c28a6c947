package io.hepaloop.notify;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import java.time.Duration;
import java.util.List;

/**
 * Delivers {@link Notification}s as e-mail through the SMTP server the configuration names (Vert.x
 * mail client), at least once and without making the caller wait: queueing, order and retries are
 * {@link DeliveryQueue}'s (channel {@code email}). The subject says priority, reactor and what; the
 * text adds since when and the corrective action, so the mail alone tells a person what to do.
 */
public final class MailNotifier implements AutoCloseable {

  /**
   * @param host SMTP server
   * @param port its port (25, 465 with TLS, 587 with STARTTLS)
   * @param startTls {@code true}: STARTTLS required; {@code false}: plain (a relay on loopback)
   * @param username null for an open relay
   * @param password from the environment, never a file; null with no username
   * @param from the sender address
   */
  public record Options(
      String host,
      int port,
      boolean startTls,
      String username,
      String password,
      String from,
      Duration firstRetry,
      Duration maxRetry,
      int maxQueued) {
    public Options {
      if (host == null || host.isBlank() || port < 1 || port > 65535) {
        throw new IllegalArgumentException("smtp: host and a port 1-65535 are required");
      }
      if (from == null || !from.contains("@")) {
        throw new IllegalArgumentException("smtp: 'from' must be an e-mail address, got " + from);
      }
      if ((username == null) != (password == null)) {
        throw new IllegalArgumentException(
            "smtp: a username needs a password and the other way round");
      }
      new DeliveryQueue.Policy(firstRetry, maxRetry, maxQueued);
    }
  }

  /** One mail: the notification and who gets it. */
  private record Mail(Notification notification, List<String> to) {
    @Override
    public String toString() {
      return "notification " + notification.id() + " to " + to;
    }
  }

  private final Options options;
  private final MailClient client;
  private final DeliveryQueue<Mail> queue;

  public MailNotifier(Vertx vertx, Options options, MeterRegistry registry) {
    this.options = options;
    MailConfig config =
        new MailConfig()
            .setHostname(options.host())
            .setPort(options.port())
            .setStarttls(options.startTls() ? StartTLSOptions.REQUIRED : StartTLSOptions.DISABLED)
            .setLogin(options.username() == null ? LoginOption.DISABLED : LoginOption.REQUIRED)
            .setUsername(options.username())
            .setPassword(options.password());
    this.client = MailClient.create(vertx, config);
    this.queue =
        new DeliveryQueue<>(
            vertx,
            "email",
            new DeliveryQueue.Policy(options.firstRetry(), options.maxRetry(), options.maxQueued()),
            this::deliver,
            registry);
  }

  /** Queues a mail of {@code n} to {@code to} and returns at once (any thread). */
  public void send(Notification n, List<String> to) {
    if (to.isEmpty()) {
      throw new IllegalArgumentException("a notification mail needs at least one recipient");
    }
    queue.offer(new Mail(n, List.copyOf(to)));
  }

  public int queued() {
    return queue.queued();
  }

  public double delivered() {
    return queue.delivered();
  }

  public double failedAttempts() {
    return queue.failedAttempts();
  }

  static String subject(Notification n) {
    return "[HepaLoop "
        + n.priority().toUpperCase(java.util.Locale.ROOT)
        + "] "
        + (n.reactorId() == null ? "plant" : "reactor " + n.reactorId())
        + ": "
        + n.what();
  }

  static String text(Notification n) {
    return "What:    "
        + n.what()
        + "\nWhere:   "
        + (n.reactorId() == null ? "the plant" : "reactor " + n.reactorId())
        + "\nSince:   "
        + n.since()
        + "\nAction:  "
        + n.action()
        + "\nPriority: "
        + n.priority()
        + "\n\nAcknowledge it in the HepaLoop alarm list. Notification "
        + n.id()
        + ".\n";
  }

  private Future<Void> deliver(Mail m) {
    MailMessage message =
        new MailMessage()
            .setFrom(options.from())
            .setTo(m.to())
            .setSubject(subject(m.notification()))
            .setText(text(m.notification()));
    message.addHeader("X-HepaLoop-Delivery", m.notification().id());
    return client.sendMail(message).mapEmpty();
  }

  @Override
  public void close() {
    queue.close();
    client.close();
  }
}
