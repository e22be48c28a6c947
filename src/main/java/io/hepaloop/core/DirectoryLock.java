package io.hepaloop.core;

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
 * The one-writer rule of a directory: an exclusive lock on a lock file in it, held for as long as
 * its owner uses the directory. Two influxd on the same meta/data/wal corrupt each other (both had
 * the same WAL file open after a {@code kill -9} of HepaLoop), and two controllers on one data
 * directory would share a spool and a run, so a second holder is refused with the first one's pid
 * and command line.
 *
 * <p>Why a kernel lock ({@link FileChannel#tryLock}, fcntl on Linux) and not only a pid file: the
 * kernel drops it when its process dies, however it dies, so a {@code kill -9} never leaves a stale
 * lock. The lock file holds the owner's pid only so the refusal can name it.
 */
public final class DirectoryLock implements AutoCloseable {

  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code dir} (created if missing) on its file {@code lockFileName}.
   *
   * @param what what the directory holds, for the refusal ("the private InfluxDB data")
   * @throws DirectoryInUseException when another process, or another holder in this one, holds it
   */
  public static DirectoryLock acquire(Path dir, String lockFileName, String what) {
    Path file = dir.resolve(lockFileName);
    FileChannel channel = null;
    try {
      Files.createDirectories(dir);
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
        channel.close();
        throw new DirectoryInUseException(
            dir, what, "this process (pid " + ProcessHandle.current().pid() + ") already holds it");
      }
      if (lock == null) {
        String holder = describeHolder(channel);
        channel.close();
        throw new DirectoryInUseException(
            dir, what, "another HepaLoop process holds it (" + holder + ")");
      }
      channel.truncate(0);
      channel.write(
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
          0);
      channel.force(false);
      return new DirectoryLock(channel, lock);
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
    String command = ProcessHandle.of(pid).flatMap(p -> p.info().commandLine()).orElse("");
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
