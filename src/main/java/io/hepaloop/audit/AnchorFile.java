package io.hepaloop.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The anchors of a data directory, {@code <dataDir>/audit-anchors.txt}, outside the database: one
 * line per anchor, {@code <sequence> <hash> <written at>}, only ever appended and forced to disk
 * before the trail goes on. An anchor pins the chain up to its record: cutting the table's tail
 * below it, or rewriting the chain consistently, no longer matches it.
 */
final class AnchorFile {
  /** The file's name in the data directory. */
  static final String FILE_NAME = "audit-anchors.txt";

  /** One line of the file. */
  record Anchor(long seq, String hash, Instant writtenAt, int line) {}

  /** A line that is not an anchor (a torn write, an edit), by number. */
  record BadLine(int line, String text) {}

  /** What the file holds. */
  record Contents(boolean exists, List<Anchor> anchors, List<BadLine> badLines) {}

  private AnchorFile() {}

  static Path of(Path dataDir) {
    return dataDir.resolve(FILE_NAME);
  }

  /** Appends an anchor and forces it (and, for a new file, its directory entry) to disk. */
  static void append(Path file, long seq, String hash, Instant writtenAt) {
    byte[] line =
        (seq + " " + hash + " " + AuditHash.time(writtenAt) + "\n")
            .getBytes(StandardCharsets.US_ASCII);
    try {
      boolean created = false;
      if (!Files.exists(file)) {
        createOwnerOnly(file);
        created = true;
      }
      try (FileChannel channel =
          FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
        ByteBuffer buf = ByteBuffer.wrap(line);
        while (buf.hasRemaining()) {
          channel.write(buf);
        }
        channel.force(true);
      }
      if (created) {
        forceDirectory(file.toAbsolutePath().getParent());
      }
    } catch (IOException e) {
      throw new AuditException(file + ": cannot write the audit anchor: " + e.getMessage(), e);
    }
  }

  static Contents read(Path file) {
    List<String> lines;
    try {
      String text = Files.readString(file, StandardCharsets.ISO_8859_1);
      // A last line without its newline is being written now (or was torn by a crash): not yet an
      // anchor, rather than a damaged one.
      int end = text.lastIndexOf('\n') + 1;
      lines = text.substring(0, end).lines().toList();
    } catch (NoSuchFileException e) {
      return new Contents(false, List.of(), List.of());
    } catch (IOException e) {
      throw new AuditException(file + ": cannot read the audit anchors: " + e.getMessage(), e);
    }
    List<Anchor> anchors = new ArrayList<>();
    List<BadLine> bad = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i);
      String[] parts = text.strip().split(" ");
      try {
        if (parts.length != 3 || !AuditHash.isHash(parts[1])) {
          throw new IllegalArgumentException(text);
        }
        long seq = Long.parseLong(parts[0]);
        if (seq < 1) {
          throw new IllegalArgumentException(text);
        }
        anchors.add(new Anchor(seq, parts[1], AuditHash.parseTime(parts[2]), i + 1));
      } catch (RuntimeException e) {
        bad.add(new BadLine(i + 1, text));
      }
    }
    return new Contents(true, anchors, bad);
  }

  private static void createOwnerOnly(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(file);
    }
  }

  /**
   * Makes a new file's name durable (Linux; elsewhere opening a directory fails and is skipped).
   */
  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // not supported on this platform; the file's contents are forced already
    }
  }
}
