package io.hepaloop.telemetry;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and directories readable by their owner only (POSIX 600 / 700) where the file system has
 * POSIX permissions: the spool holds a culture's whole record, which is nobody else's to read. On a
 * file system without them (e.g. FAT on a USB stick) files are created with its defaults.
 */
final class OwnerOnly {
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIRECTORY =
      PosixFilePermissions.fromString("rwx------");

  private OwnerOnly() {}

  static boolean posix(Path p) {
    FileSystem fs = p.getFileSystem();
    return fs.supportedFileAttributeViews().contains("posix");
  }

  /** Attributes for creating a file: 600 where supported. */
  static FileAttribute<?>[] fileAttributes(Path p) {
    return posix(p)
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
        : new FileAttribute<?>[0];
  }

  /** Creates the directory (and parents) if needed and makes it 700. */
  static void directory(Path dir) throws IOException {
    Files.createDirectories(dir);
    if (posix(dir)) {
      Files.setPosixFilePermissions(dir, DIRECTORY);
    }
  }

  /** Makes an existing file 600 (files written by earlier versions had the umask's permissions). */
  static void restrict(Path file) throws IOException {
    if (posix(file) && Files.isRegularFile(file)) {
      Files.setPosixFilePermissions(file, FILE);
    }
  }

  /** Appends bytes to a file, creating it 600. */
  static void append(Path file, byte[] bytes) throws IOException {
    if (!Files.exists(file)) {
      try {
        Files.createFile(file, fileAttributes(file));
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // created meanwhile: append to it
      }
    }
    Files.write(file, bytes, StandardOpenOption.APPEND);
  }
}
