package io.hepaloop.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
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
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);

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
      if (maxQueued < 1 || firstRetry.isNegative() || maxRetry.compareTo(firstRetry) < 0) {
        throw new IllegalArgumentException(
            "webhook: maxQueued must be ≥ 1 and maxRetry ≥ firstRetry ≥ 0");
      }
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
  private final Vertx vertx;
  private final Context context;
  private final HttpClient client;

  // --- this notifier's context only ---
  private final ArrayDeque<Notification> queue = new ArrayDeque<>();
  private boolean inFlight;
  private int failuresInARow;
  private boolean refusing;
  private boolean closed;

  // --- any thread ---
  private final AtomicInteger queued = new AtomicInteger();
  private final Counter delivered;
  private final Counter attemptsFailed;
  private final Counter refused;

  public WebhookNotifier(Vertx vertx, Options options, MeterRegistry registry) {
    this.options = options;
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setSsl("https".equals(options.url().getScheme()))
                .setConnectTimeout((int) options.timeout().toMillis()));
    delivered = Counter.builder("hepaloop.notify.webhook.delivered").register(registry);
    attemptsFailed = Counter.builder("hepaloop.notify.webhook.attempts.failed").register(registry);
    refused =
        Counter.builder("hepaloop.notify.webhook.refused")
            .description("Notifications not queued because the queue was full")
            .register(registry);
    Gauge.builder("hepaloop.notify.webhook.queued", queued, AtomicInteger::get).register(registry);
  }

  /** Queues {@code n} for delivery and returns at once (any thread). */
  public void send(Notification n) {
    context.runOnContext(v -> enqueue(n));
  }

  /** Notifications waiting or in flight (any thread). */
  public int queued() {
    return queued.get();
  }

  public double delivered() {
    return delivered.count();
  }

  public double failedAttempts() {
    return attemptsFailed.count();
  }

  public double refused() {
    return refused.count();
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

  private void enqueue(Notification n) {
    if (closed) {
      return;
    }
    if (queue.size() >= options.maxQueued()) {
      refused.increment();
      if (!refusing) {
        refusing = true;
        LOG.error(
            "webhook {}: {} notifications wait for a receiver that does not take them; "
                + "further ones are refused (counted in hepaloop_notify_webhook_refused_total)",
            options.url(),
            queue.size());
      }
      return;
    }
    refusing = false;
    queue.add(n);
    queued.incrementAndGet();
    next();
  }

  private void next() {
    if (closed || inFlight || queue.isEmpty()) {
      return;
    }
    inFlight = true;
    Notification n = queue.peek();
    String body = n.toJson().encode();
    long now = System.currentTimeMillis() / 1000;
    String signature = signature(options.secret(), now, body);
    RequestOptions request =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setAbsoluteURI(options.url().toString())
            .setTimeout(options.timeout().toMillis())
            .putHeader("Content-Type", "application/json")
            .putHeader("X-HepaLoop-Delivery", n.id())
            .putHeader("X-HepaLoop-Timestamp", Long.toString(now))
            .putHeader("X-HepaLoop-Signature", signature);
    client
        .request(request)
        .compose(req -> req.send(Buffer.buffer(body)))
        .compose(resp -> resp.body().map(b -> resp.statusCode()))
        .onComplete(
            ar -> {
              inFlight = false;
              if (ar.succeeded() && ar.result() / 100 == 2) {
                queue.poll();
                queued.decrementAndGet();
                delivered.increment();
                if (failuresInARow > 0) {
                  LOG.info(
                      "webhook {}: delivering again after {} failed attempts",
                      options.url(),
                      failuresInARow);
                }
                failuresInARow = 0;
                next();
              } else {
                retryLater(n, ar.succeeded() ? "HTTP " + ar.result() : String.valueOf(ar.cause()));
              }
            });
  }

  private void retryLater(Notification n, String why) {
    attemptsFailed.increment();
    failuresInARow++;
    if (failuresInARow == 1) {
      LOG.warn(
          "webhook {}: notification {} not taken ({}); retrying with backoff",
          options.url(),
          n.id(),
          why);
    }
    long delayMs = backoffMs(failuresInARow);
    vertx.setTimer(Math.max(1, delayMs), id -> next());
  }

  /** First retry after {@link Options#firstRetry}, doubling, capped at {@link Options#maxRetry}. */
  long backoffMs(int failures) {
    long first = options.firstRetry().toMillis();
    long max = options.maxRetry().toMillis();
    long d = first << Math.min(failures - 1, 30);
    return d > max || d < first ? max : d;
  }

  @Override
  public void close() {
    context.runOnContext(v -> closed = true);
    client.close();
  }
}
