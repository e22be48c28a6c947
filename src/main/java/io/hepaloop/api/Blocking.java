package io.hepaloop.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;

/**
 * Where the API's blocking work runs: database work on Vert.x's worker pool, password hashing
 * (Argon2, ~100 ms and 19 MiB each) on a small pool of its own, so a burst of logins neither
 * starves other blocking work nor takes hundreds of MiB at once.
 */
final class Blocking {
  /** Parallel password hashes at most. */
  static final int HASH_THREADS = 2;

  private final Vertx vertx;
  private final WorkerExecutor hashing;

  Blocking(Vertx vertx) {
    this.vertx = vertx;
    this.hashing = vertx.createSharedWorkerExecutor("hepaloop-password-hash", HASH_THREADS);
  }

  /** Database work. */
  <T> Future<T> db(Callable<T> work) {
    return vertx.executeBlocking(work, false);
  }

  /** Work that hashes a password (and may touch the database). */
  <T> Future<T> hashing(Callable<T> work) {
    return hashing.executeBlocking(work, false);
  }

  void close() {
    hashing.close();
  }
}
