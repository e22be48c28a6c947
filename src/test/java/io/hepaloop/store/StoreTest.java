package io.hepaloop.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.ResultSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database of a data directory: where it is, how it is configured, who may read it. */
class StoreTest {
  @TempDir Path tmp;

  @Test
  void theDataDirectoryDatabaseIsMigratedInWalModeWithForeignKeysAndABusyTimeout() {
    Path dataDir = tmp.resolve("data/demo");
    try (Store store = Store.open(dataDir)) {
      assertThat(store.file()).isEqualTo(dataDir.resolve("hepaloop.db"));
      assertThat(store.schemaVersion()).isEqualTo(Migrations.fromClassPath().size());
      assertThat(store.pragma("journal_mode")).isEqualTo("wal");
      assertThat(store.pragma("foreign_keys")).isEqualTo("1");
      assertThat(store.pragma("busy_timeout")).isEqualTo(String.valueOf(Store.BUSY_TIMEOUT_MS));
    }
  }

  @Test
  void theDatabaseAndItsWalAreReadableByTheirOwnerOnly() throws Exception {
    try (Store store = Store.open(tmp)) {
      store.transaction(
          c ->
              c.createStatement()
                  .executeUpdate(
                      "INSERT INTO users VALUES ('a', 'A', 'viewer', 'x', 0, 0, 0, NULL,"
                          + " '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')"));
      for (String name : new String[] {"hepaloop.db", "hepaloop.db-wal", "hepaloop.db-shm"}) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve(name))))
            .as(name)
            .isEqualTo("rw-------");
      }
    }
  }

  @Test
  void aWideningOfTheFilesModeIsUndoneOnOpen() throws Exception {
    Store.open(tmp).close();
    Path db = tmp.resolve("hepaloop.db");
    Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
    Store.open(tmp).close();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db)))
        .isEqualTo("rw-------");
  }

  @Test
  void aTransactionThatThrowsLeavesNothingBehind() {
    try (Store store = Store.open(tmp)) {
      assertThatThrownBy(
              () ->
                  store.transaction(
                      c -> {
                        c.createStatement()
                            .executeUpdate(
                                "INSERT INTO users VALUES ('a', 'A', 'viewer', 'x', 0, 0, 0,"
                                    + " NULL, 't', 't')");
                        throw new IllegalStateException("changed my mind");
                      }))
          .hasMessage("changed my mind");
      int users =
          store.read(
              c -> {
                try (ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM users")) {
                  r.next();
                  return r.getInt(1);
                }
              });
      assertThat(users).isZero();
    }
  }

  @Test
  void aCallOnAVertxEventLoopIsRefused() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (Store store = Store.open(tmp)) {
      CompletableFuture<Throwable> thrown = new CompletableFuture<>();
      vertx.runOnContext(
          v -> {
            try {
              store.schemaVersion();
              thrown.complete(null);
            } catch (Throwable t) {
              thrown.complete(t);
            }
          });
      assertThat(thrown.get(30, TimeUnit.SECONDS))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("event loop")
          .hasMessageContaining("executeBlocking");
      int version = vertx.executeBlocking(store::schemaVersion).await(30, TimeUnit.SECONDS);
      assertThat(version).as("fine on a worker").isPositive();
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }
}
