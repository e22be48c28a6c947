package io.hepaloop.plantstate;

import java.time.Instant;

/**
 * One row of {@code run_notes}: an operator's note on a run.
 *
 * @param notedAt the moment the note is about
 * @param writtenAt when it was entered
 */
public record RunNoteRecord(
    long noteId, String runId, Instant notedAt, Instant writtenAt, String user, String text) {
  /** Longest note in characters (the table's check). */
  public static final int MAX_TEXT = 4000;
}
