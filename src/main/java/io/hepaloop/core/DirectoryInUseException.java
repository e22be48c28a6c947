package io.hepaloop.core;

import java.nio.file.Path;

/**
 * A second HepaLoop (or a second holder in this JVM) on a directory that only one may use at a
 * time: the user's to fix, so the CLI prints the message (which names the other process) without a
 * stack trace.
 */
public final class DirectoryInUseException extends IllegalStateException {
  DirectoryInUseException(Path dir, String what, String why) {
    super(
        what
            + " in "
            + dir.toAbsolutePath()
            + " is in use: "
            + why
            + ". Only one process may use it at a time: stop that one first, or use another data directory.");
  }
}
