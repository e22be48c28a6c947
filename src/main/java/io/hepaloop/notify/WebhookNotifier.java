package io.hepaloop.notify;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Delivers {@link Notification}s to an HTTP webhook, at least once, in order, without ever making
 * its caller wait: {@link #send} queues and returns; one request at a time goes out on this
 * notifier's own Vert.x context, and a failure (connection refused, timeout, non-2xx) is retried
 * with exponential backoff until the receiver takes it.
 *
 * <p>Each POST carries the JSON body and three headers: {@code X-HepaLoop-Delivery} (the
 * notification id, to de-duplicate repeats), {@code X-HepaLoop-Timestamp} (epoch seconds) and
 * {@code X-HepaLoop-Signature: sha256=<hex>}, the HMAC-SHA256 of {@code timestamp + "." + body}
 * with the shared secret, so a receiver can check who sent it and refuse replays of old messages.
 *
 * <p>The queue is bounded ({@link Options#maxQueued}): a receiver down for weeks must not fill the
 * heap. What does not fit is counted ({@code hepaloop_notify_webhook_refused_total}) and logged
 * once per run of refusals; the alarm itself stays in the alarm list and history.
 */
public final class WebhookNotifier implements AutoCloseable {
  /**
   * @param url the receiver, http or https
   * @param secret the shared HMAC key (from the environment, never a file)
   * @param timeout one request's limit
   * @param firstRetry the first retry's delay; each next one doubles, up to {@code maxRetry}
   * @param maxQueued notifications held at most while the receiver does not answer
   */
  public record Options(
      URI url,
      String secret,
      Duration timeout,
      Duration firstRetry,
      Duration maxRetry,
      int maxQueued) {
    public Options {
      if (url == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
        throw new IllegalArgumentException("webhook url must be http:// or https://, got " + url);
      }
      if (secret == null || secret.length() < 16) {
        throw new IllegalArgumentException(
            "webhook secret must have at least 16 characters (it signs every notification)");
      }
      new DeliveryQueue.Policy(firstRetry, maxRetry, maxQueued);
    }

    public static Options defaults(URI url, String secret) {
      return new Options(
          url,
          secret,
          Duration.ofSeconds(10),
          Duration.ofSeconds(1),
          Duration.ofMinutes(5),
          10_000);
    }
  }

  private final Options options;
  private final HttpClient client;
  private final DeliveryQueue<Notification> queue;

  public WebhookNotifier(Vertx vertx, Options options, MeterRegistry registry) {
    this.options = options;
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setSsl("https".equals(options.url().getScheme()))
                .setConnectTimeout((int) options.timeout().toMillis()));
    this.queue =
        new DeliveryQueue<>(
            vertx,
            "webhook",
            new DeliveryQueue.Policy(options.firstRetry(), options.maxRetry(), options.maxQueued()),
            this::post,
            registry);
  }

  /** Queues {@code n} for delivery and returns at once (any thread). */
  public void send(Notification n) {
    queue.offer(n);
  }

  /** Notifications waiting or in flight (any thread). */
  public int queued() {
    return queue.queued();
  }

  public double delivered() {
    return queue.delivered();
  }

  public double failedAttempts() {
    return queue.failedAttempts();
  }

  public double refused() {
    return queue.refused();
  }

  /** The signature a receiver computes to check a delivery. */
  public static String signature(String secret, long epochSeconds, String body) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256="
          + HexFormat.of()
              .formatHex(m.doFinal((epochSeconds + "." + body).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  private Future<Void> post(Notification n) {
    String body = n.toJson().encode();
    long now = System.currentTimeMillis() / 1000;
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(options.url().toString())
            .setTimeout(options.timeout().toMillis())
            .putHeader("Content-Type", "application/json")
            .putHeader("X-HepaLoop-Delivery", n.id())
            .putHeader("X-HepaLoop-Timestamp", Long.toString(now))
            .putHeader("X-HepaLoop-Signature", signature(options.secret(), now, body));
    return client
        .request(request)
        .compose(req -> req.send(Buffer.buffer(body)))
        .compose(resp -> resp.body().map(b -> resp.statusCode()))
        .compose(
            status ->
                status / 100 == 2
                    ? Future.<Void>succeededFuture()
                    : Future.failedFuture("HTTP " + status + " from " + options.url()));
  }

  @Override
  public void close() {
    queue.close();
    client.close();
  }
}
