package io.hepaloop.cli;

import io.hepaloop.store.Store;
import io.hepaloop.store.StoreException;
import io.hepaloop.time.SystemClock;
import io.hepaloop.users.Users;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.Option;

/**
 * The {@code --data-dir} option of the commands that work on a data directory's database (a picocli
 * {@code @Mixin}): as the user wrote it, else {@code data/demo} under the HepaLoop root, where
 * {@code demo} keeps its data.
 */
final class DataDirOption {
  /** The first 16 bytes of every SQLite 3 database file. */
  private static final byte[] SQLITE_HEADER =
      "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);

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
    return open();
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
    return open();
  }

  /**
   * Opens the database, refusing in one line naming the file what is not one: a directory, a file
   * that is not SQLite (a text file put there, a mistyped directory), a damaged database.
   */
  private Store open() {
    Path file = path().resolve(Store.FILE_NAME);
    checkIsDatabase(file);
    try {
      return Store.open(path());
    } catch (StoreException e) {
      throw new IllegalArgumentException(
          oneLine(e.getMessage()) + "; check --data-dir (is this a HepaLoop data directory?)", e);
    }
  }

  /**
   * Refuses {@code file} unless it is missing, empty (SQLite writes it at the first change) or
   * starts with SQLite's header, before SQLite opens it: opening would also narrow its mode to the
   * owner.
   *
   * @throws IllegalArgumentException naming the file and what it is
   */
  static void checkIsDatabase(Path file) {
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException(
          file + " is a directory, not a database file; check --data-dir");
    }
    if (!Files.exists(file)) {
      return;
    }
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(SQLITE_HEADER.length);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read the database file: " + e, e);
    }
    if (head.length > 0 && !Arrays.equals(head, SQLITE_HEADER)) {
      throw new IllegalArgumentException(
          file
              + " is not an SQLite database: it starts with "
              + (printable(head) ? "text" : "other bytes")
              + ", not SQLite's header; check --data-dir, or move the file away");
    }
  }

  private static boolean printable(byte[] head) {
    for (byte b : head) {
      if (b < 0x20 && b != '\n' && b != '\r' && b != '\t' || b == 0x7f) {
        return false;
      }
    }
    return true;
  }

  private static String oneLine(String message) {
    return message == null ? "database error" : message.replaceAll("\\s*\\R\\s*", "; ").strip();
  }

  static Users users(Store store) {
    return new Users(store, SystemClock.INSTANCE);
  }
}
