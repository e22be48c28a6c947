package io.hepaloop.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every notification channel needs: deliver items at least once, in order, one at a time, on a
 * Vert.x context of its own, retrying a failed delivery with exponential backoff until it succeeds,
 * and never making the caller wait ({@link #offer} returns at once from any thread).
 *
 * <p>The queue is bounded: a receiver down for weeks must not fill the heap. What does not fit is
 * counted ({@code hepaloop_notify_refused_total{channel}}) and logged once per run of refusals.
 */
final class DeliveryQueue<T> {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryQueue.class);

  /**
   * @param firstRetry the first retry's delay; each next one doubles, up to {@code maxRetry}
   * @param maxQueued items held at most while deliveries fail
   */
  record Policy(Duration firstRetry, Duration maxRetry, int maxQueued) {
    Policy {
      if (maxQueued < 1 || firstRetry.isNegative() || maxRetry.compareTo(firstRetry) < 0) {
        throw new IllegalArgumentException("maxQueued must be ≥ 1 and maxRetry ≥ firstRetry ≥ 0");
      }
    }

    /** First retry after {@link #firstRetry}, doubling, capped at {@link #maxRetry}. */
    long backoffMs(int failuresInARow) {
      long first = firstRetry.toMillis();
      long max = maxRetry.toMillis();
      long d = first << Math.min(failuresInARow - 1, 30);
      return d > max || d < first ? max : d;
    }
  }

  private final String channel;
  private final Policy policy;
  private final Function<T, Future<Void>> deliver;
  private final Vertx vertx;
  private final Context context;

  // --- this queue's context only ---
  private final ArrayDeque<T> queue = new ArrayDeque<>();
  private boolean inFlight;
  private int failuresInARow;
  private boolean refusing;
  private boolean closed;

  // --- any thread ---
  private final AtomicInteger queued = new AtomicInteger();
  private final Counter delivered;
  private final Counter attemptsFailed;
  private final Counter refused;

  DeliveryQueue(
      Vertx vertx,
      String channel,
      Policy policy,
      Function<T, Future<Void>> deliver,
      MeterRegistry registry) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.channel = channel;
    this.policy = policy;
    this.deliver = deliver;
    delivered =
        Counter.builder("hepaloop.notify.delivered").tag("channel", channel).register(registry);
    attemptsFailed =
        Counter.builder("hepaloop.notify.attempts.failed")
            .tag("channel", channel)
            .register(registry);
    refused =
        Counter.builder("hepaloop.notify.refused")
            .tag("channel", channel)
            .description("Notifications not queued because the queue was full")
            .register(registry);
    Gauge.builder("hepaloop.notify.queued", queued, AtomicInteger::get)
        .tag("channel", channel)
        .register(registry);
  }

  /** Queues {@code item} and returns at once (any thread). */
  void offer(T item) {
    context.runOnContext(v -> enqueue(item));
  }

  int queued() {
    return queued.get();
  }

  double delivered() {
    return delivered.count();
  }

  double failedAttempts() {
    return attemptsFailed.count();
  }

  double refused() {
    return refused.count();
  }

  void close() {
    context.runOnContext(v -> closed = true);
  }

  private void enqueue(T item) {
    if (closed) {
      return;
    }
    if (queue.size() >= policy.maxQueued()) {
      refused.increment();
      if (!refusing) {
        refusing = true;
        LOG.error(
            "{}: {} notifications wait for a receiver that does not take them; further ones are"
                + " refused (counted in hepaloop_notify_refused_total)",
            channel,
            queue.size());
      }
      return;
    }
    refusing = false;
    queue.add(item);
    queued.incrementAndGet();
    next();
  }

  private void next() {
    if (closed || inFlight || queue.isEmpty()) {
      return;
    }
    inFlight = true;
    T item = queue.peek();
    Future<Void> attempt;
    try {
      attempt = deliver.apply(item);
    } catch (RuntimeException e) {
      attempt = Future.failedFuture(e);
    }
    attempt.onComplete(
        ar -> {
          inFlight = false;
          if (ar.succeeded()) {
            queue.poll();
            queued.decrementAndGet();
            delivered.increment();
            if (failuresInARow > 0) {
              LOG.info("{}: delivering again after {} failed attempts", channel, failuresInARow);
            }
            failuresInARow = 0;
            next();
          } else {
            attemptsFailed.increment();
            failuresInARow++;
            if (failuresInARow == 1) {
              LOG.warn(
                  "{}: {} not delivered ({}); retrying with backoff",
                  channel,
                  item,
                  ar.cause().getMessage());
            }
            vertx.setTimer(Math.max(1, policy.backoffMs(failuresInARow)), id -> next());
          }
        });
  }
}
