package io.hepaloop.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The run a data directory records into, kept in {@code <dataDir>/run.json} so that a restarted
 * controller continues the culture's run instead of splitting its record. Blocking file I/O: call
 * it from a command's main thread or a worker, never from an event loop.
 *
 * <p>The file is replaced atomically (written to a temporary file in the same directory, flushed to
 * disk, then moved over the old one), so a crash leaves either the old run or the new one, never
 * half of each; it is readable by its owner only. A file that exists but cannot be read as a run is
 * an error naming it: starting a new run instead would silently split the record.
 */
public final class RunStore {
  public static final String FILE_NAME = "run.json";

  /** A run file is a few lines; anything much larger is not one. */
  static final long MAX_FILE_BYTES = 64 * 1024;

  static final int FORMAT_VERSION = 1;
  private static final String TEMP_PREFIX = FILE_NAME + ".";
  private static final String TEMP_SUFFIX = ".tmp";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final Path file;

  public RunStore(Path dataDir) {
    this.dir = dataDir.toAbsolutePath().normalize();
    this.file = dir.resolve(FILE_NAME);
  }

  public Path file() {
    return file;
  }

  /** The persisted run; empty when the data directory has none yet. */
  public Optional<RunIdentity> load() {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw corrupt("larger than " + MAX_FILE_BYTES + " bytes, not a run file", null);
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new RunFileException(file, "cannot be read (" + e + ")", e);
    }
    JsonNode root;
    try {
      root = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw corrupt(
          "not valid JSON (line "
              + e.getLocation().getLineNr()
              + ": "
              + e.getOriginalMessage()
              + ")",
          e);
    }
    if (root == null || !root.isObject()) {
      throw corrupt("not a JSON object with runId and startedAt", null);
    }
    JsonNode version = root.get("version");
    if (version != null && (!version.canConvertToInt() || version.asInt() > FORMAT_VERSION)) {
      throw corrupt(
          "version " + version + " is not one this HepaLoop reads (" + FORMAT_VERSION + ")", null);
    }
    String id = text(root, "runId");
    String started = text(root, "startedAt");
    try {
      return Optional.of(new RunIdentity(id, Instant.parse(started)));
    } catch (DateTimeParseException e) {
      throw corrupt(
          "startedAt '" + started + "' is not an ISO-8601 instant such as 2026-12-02T00:41:30Z", e);
    } catch (IllegalArgumentException e) {
      throw corrupt(e.getMessage(), e);
    }
  }

  private String text(JsonNode root, String field) {
    JsonNode n = root.get(field);
    if (n == null || !n.isTextual()) {
      throw corrupt("field '" + field + "' is missing or not a string", null);
    }
    return n.asText();
  }

  private RunFileException corrupt(String problem, Throwable cause) {
    return new RunFileException(
        file,
        problem
            + ". It holds the run this data directory continues: repair it, or"
            + " start a new run with --new-run (the file is then replaced).",
        cause);
  }

  /**
   * Makes {@code run} the data directory's run: atomic replace, owner-only, creating the directory
   * if needed.
   */
  public void save(RunIdentity run) {
    ObjectNode o = JSON.createObjectNode();
    o.put("version", FORMAT_VERSION);
    o.put("runId", run.id());
    o.put("startedAt", run.startedAt().toString());
    Path tmp = null;
    try {
      byte[] bytes =
          (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n")
              .getBytes(StandardCharsets.UTF_8);
      Files.createDirectories(dir);
      removeStaleTemps();
      tmp = Files.createTempFile(dir, TEMP_PREFIX, TEMP_SUFFIX, ownerOnly());
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true); // the contents are on disk before the name points at them
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
      syncDirectory();
    } catch (IOException e) {
      throw new RunFileException(
          file, "cannot be written (" + e + "); the run " + run.id() + " was not recorded", e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // removed by the next save
        }
      }
    }
  }

  /**
   * Decides the run of a starting controller and records it: continues the data directory's run
   * unless a new one is asked for, with {@code --new-run} or with a {@code --run} id other than the
   * persisted one.
   *
   * @param requestedId the {@code --run} id, or null
   * @param newRun {@code --new-run}
   * @param idPrefix for a generated id ({@code demo}, {@code serve})
   * @param now the start time of a new run
   */
  public RunStart open(String requestedId, boolean newRun, String idPrefix, Instant now) {
    return open(requestedId, newRun, idPrefix, now, ZoneId.systemDefault());
  }

  RunStart open(String requestedId, boolean newRun, String idPrefix, Instant now, ZoneId zone) {
    if (requestedId != null) {
      RunIdentity.checkId(requestedId);
    }
    RunIdentity previous;
    String note = null;
    try {
      previous = load().orElse(null);
    } catch (RunFileException e) {
      if (!newRun) {
        throw e;
      }
      previous = null; // asked for a new run: the unreadable file is replaced, and said so
      note = "replaced the unreadable " + file;
    }
    if (!newRun && previous != null && (requestedId == null || requestedId.equals(previous.id()))) {
      return new RunStart(previous, true, null, null);
    }
    if (newRun && previous != null && previous.id().equals(requestedId)) {
      throw new IllegalArgumentException(
          "--new-run with --run "
              + requestedId
              + ": that is the run "
              + file
              + " continues; give the new run another id, or leave out --new-run to continue it");
    }
    if (!newRun && previous != null) {
      note = "--run " + requestedId + " differs from the run this data directory had";
    }
    String id =
        requestedId != null
            ? requestedId
            : distinctId(RunIdentity.generatedId(idPrefix, now, zone), previous);
    RunIdentity run = new RunIdentity(id, now.truncatedTo(ChronoUnit.MILLIS));
    save(run);
    return new RunStart(run, false, previous, note);
  }

  /**
   * A generated id never repeats the previous run's, even for starts within one second: {@code
   * demo-…-2}, {@code -3}, … follow it.
   */
  static String distinctId(String id, RunIdentity previous) {
    if (previous == null) {
      return id;
    }
    String p = previous.id();
    if (p.equals(id)) {
      return id + "-2";
    }
    if (p.startsWith(id + "-")) {
      try {
        return id + "-" + (Integer.parseInt(p.substring(id.length() + 1)) + 1);
      } catch (NumberFormatException e) {
        return id; // another id that merely starts alike
      }
    }
    return id;
  }

  /** Temporary files of a save interrupted by a crash. */
  private void removeStaleTemps() throws IOException {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, TEMP_PREFIX + "*" + TEMP_SUFFIX)) {
      for (Path p : s) {
        Files.deleteIfExists(p);
      }
    }
  }

  private void syncDirectory() {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true); // the rename itself survives a power cut
    } catch (IOException | UnsupportedOperationException e) {
      // not every platform can open a directory; the rename is still atomic
    }
  }

  private FileAttribute<?>[] ownerOnly() {
    if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[] {
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
      };
    }
    return new FileAttribute<?>[0];
  }
}
