package io.hepaloop.telemetry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The one-writer rule of a private InfluxDB's data directory: an exclusive lock on {@code influxd.lock}
 * in it, held while that {@link LocalInfluxd} wants its influxd running (crashes and restarts of
 * influxd included). Two influxd on the same meta/data/wal corrupt each other (both had the same WAL
 * file open after a {@code kill -9} of HepaLoop), so a second HepaLoop on the same data is refused with
 * the first one's pid and command line.
 *
 * <p>Why a kernel lock ({@link FileChannel#tryLock}, fcntl on Linux) and not only a pid file: the kernel
 * drops it when its process dies, however it dies, so a {@code kill -9} never leaves a stale lock. The
 * lock file holds the owner's pid only so the refusal can name it.
 */
final class InfluxdDirLock implements AutoCloseable {
  static final String FILE_NAME = "influxd.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private InfluxdDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code dir} (created if missing).
   *
   * @throws DataDirInUseException when another process, or another instance in this one, holds it
   */
  static InfluxdDirLock acquire(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    FileChannel channel = null;
    try {
      Files.createDirectories(dir);
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
        channel.close();
        throw new DataDirInUseException(dir, "this process (pid " + ProcessHandle.current().pid()
            + ") already runs a private influxd on it");
      }
      if (lock == null) {
        String holder = describeHolder(channel);
        channel.close();
        throw new DataDirInUseException(dir, "another HepaLoop process runs a private influxd on it (" + holder + ")");
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
      channel.force(false);
      return new InfluxdDirLock(channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UncheckedIOException("cannot lock " + file, e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // the channel's close below releases it as well
    }
    closeQuietly(channel);
  }

  /** "pid 1234: java ... demo --data-dir ..." from the pid the holder wrote, or what is known. */
  private static String describeHolder(FileChannel channel) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(64);
    channel.read(buf, 0);
    String text = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).trim();
    if (!text.matches("\\d{1,19}")) {
      return "its pid is not written yet";
    }
    long pid = Long.parseLong(text);
    String command = InfluxdProcesses.commandLine(pid).map(c -> String.join(" ", c)).orElse("");
    if (command.length() > 300) {
      command = command.substring(0, 300) + "…";
    }
    return "pid " + pid + (command.isEmpty() ? "" : ": " + command);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // nothing more to release
      }
    }
  }
}
