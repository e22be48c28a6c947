package io.hepaloop.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two connections on one file, as the {@code user} command and a running {@code serve} are: a write
 * waits for the other's transaction (busy timeout) instead of failing, and readers go on.
 */
class TwoWritersTest {
  @TempDir Path tmp;

  private static final String INSERT =
      "INSERT INTO users VALUES ('%s', '%s', 'viewer', 'x', 0, 0, 0, NULL, 't', 't')";

  private static int users(Store store) {
    return store.read(
        c -> {
          try (ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM users")) {
            r.next();
            return r.getInt(1);
          }
        });
  }

  @Test
  void aSecondWriterWaitsForTheFirstsTransactionAndReadersAreNotBlocked() throws Exception {
    try (Store first = Store.open(tmp);
        Store second = Store.open(tmp)) {
      CountDownLatch firstHoldsTheLock = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<Void> firstWrite =
          CompletableFuture.runAsync(
              () ->
                  first.transaction(
                      c -> {
                        c.createStatement().executeUpdate(INSERT.formatted("a", "A"));
                        firstHoldsTheLock.countDown();
                        try {
                          release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                        return null;
                      }));
      assertThat(firstHoldsTheLock.await(30, TimeUnit.SECONDS)).isTrue();

      assertThat(users(second)).as("WAL: a reader sees the last commit, not blocked").isZero();
      CompletableFuture<Void> secondWrite =
          CompletableFuture.runAsync(
              () ->
                  second.transaction(
                      c -> c.createStatement().executeUpdate(INSERT.formatted("b", "B"))));
      // Without the busy timeout it would fail at once with SQLITE_BUSY; with it, it waits.
      await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(30))
          .until(() -> !secondWrite.isDone());
      release.countDown();

      firstWrite.get(30, TimeUnit.SECONDS);
      secondWrite.get(30, TimeUnit.SECONDS);
      assertThat(users(first)).isEqualTo(2);
    }
  }
}
