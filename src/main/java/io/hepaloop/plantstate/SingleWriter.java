package io.hepaloop.plantstate;

import io.hepaloop.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread that writes for a journal or settings store. Producers queue their work without
 * locks and {@link #wake} it; it runs {@link Work#runOnce} until that says nothing is left, then
 * parks for the idle interval (so time-driven work such as retention still runs).
 *
 * <p>{@link #flush} waits until everything queued before the call is written: a flush request seen
 * at the start of a round is answered only after a round that found nothing left, and that round
 * drained whatever was queued before the request.
 */
final class SingleWriter {
  /** What a round of writing found. */
  enum Outcome {
    /** Wrote a batch; more is queued. */
    MORE,
    /** Nothing is left. */
    DONE,
    /** The database refused the batch; it is kept and tried again after the idle interval. */
    FAILED
  }

  /** One round of writing. */
  interface Work {
    /**
     * Writes a batch of what is queued (and does any periodic work).
     *
     * @param flushing a caller waits in {@link #flush}: do periodic work now, not later
     */
    Outcome runOnce(boolean flushing);
  }

  private final Thread thread;
  private final Work work;
  private final long idleParkNanos;
  private final ConcurrentLinkedQueue<CompletableFuture<Void>> flushes =
      new ConcurrentLinkedQueue<>();
  private volatile boolean stopping;

  SingleWriter(String name, Work work, Duration idle) {
    this.work = work;
    this.idleParkNanos = idle.toNanos();
    this.thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Lets the writer know there is work; never blocks. */
  void wake() {
    LockSupport.unpark(thread);
  }

  /**
   * Waits until everything queued before this call is written.
   *
   * @throws StoreException when it is not written within {@code timeout} (the database fails)
   */
  void flush(Duration timeout) {
    if (Thread.currentThread() == thread) {
      throw new IllegalStateException("flush called on the writer thread itself");
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    flushes.add(done);
    wake();
    try {
      done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new StoreException(
          thread.getName() + ": not everything was written within " + timeout + "; see the log");
    } catch (ExecutionException e) {
      throw new StoreException(thread.getName() + ": " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(thread.getName() + ": interrupted while flushing");
    }
  }

  /** Writes everything queued, then ends the thread. */
  void stop(Duration timeout) {
    if (stopping) {
      return;
    }
    try {
      flush(timeout);
    } finally {
      stopping = true;
      wake();
      try {
        thread.join(timeout.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  boolean isStopping() {
    return stopping;
  }

  private void loop() {
    List<CompletableFuture<Void>> waiting = new ArrayList<>();
    while (!stopping) {
      for (CompletableFuture<Void> f; (f = flushes.poll()) != null; ) {
        waiting.add(f);
      }
      Outcome outcome = work.runOnce(!waiting.isEmpty());
      if (outcome == Outcome.DONE) {
        waiting.forEach(f -> f.complete(null));
        waiting.clear();
      }
      if (outcome == Outcome.FAILED || (outcome == Outcome.DONE && flushes.isEmpty())) {
        LockSupport.parkNanos(this, idleParkNanos);
      }
    }
    // Stopped after a flush: what was queued in between is written too (a few tries if failing).
    int failures = 0;
    for (Outcome o = work.runOnce(true);
        o != Outcome.DONE && failures < 3;
        o = work.runOnce(true)) {
      if (o == Outcome.FAILED) {
        failures++;
      }
    }
    waiting.forEach(f -> f.complete(null));
  }
}
