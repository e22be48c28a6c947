package io.hepaloop.cli;

import io.hepaloop.store.Store;
import io.hepaloop.time.SystemClock;
import io.hepaloop.users.Users;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --data-dir} option of the commands that work on a data directory's database (a picocli
 * {@code @Mixin}): as the user wrote it, else {@code data/demo} under the HepaLoop root, where
 * {@code demo} keeps its data.
 */
final class DataDirOption {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Data directory whose database holds the users (default: data/demo).")
  Path given;

  Path path() {
    return (given != null ? given : Paths.root().resolve("data/demo")).toAbsolutePath();
  }

  /**
   * The data directory's database, created and migrated if needed. SQLite's own locking lets this
   * run while {@code demo} or {@code serve} uses the same directory.
   */
  Store openStore() {
    return Store.open(path());
  }

  /**
   * The database of a data directory that has one: listing or changing users in a mistyped
   * directory would otherwise create an empty database there and report "no users".
   *
   * @throws IllegalArgumentException naming the directory when it has no database
   */
  Store openExistingStore() {
    Path file = path().resolve(Store.FILE_NAME);
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(
          "no database in "
              + path()
              + " ("
              + Store.FILE_NAME
              + "); check --data-dir, or add a user first with: hepaloop user add");
    }
    return Store.open(path());
  }

  static Users users(Store store) {
    return new Users(store, SystemClock.INSTANCE);
  }
}
