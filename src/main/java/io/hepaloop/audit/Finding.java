package io.hepaloop.audit;

/**
 * One thing {@link AuditVerifier} found wrong.
 *
 * @param kind what is wrong
 * @param sequence the record it concerns (for a range, its first record; 0 for the anchor file)
 * @param message what is wrong with which record, for a person
 */
public record Finding(Kind kind, long sequence, String message) {
  /** What kind of tampering (or damage) a finding shows. */
  public enum Kind {
    /** A record's fields no longer match its hash, or it was changed and its hash recomputed. */
    EDITED,
    /** Records are missing from the chain. */
    DELETED,
    /** A record no other record refers to sits inside the chain. */
    INSERTED,
    /** A record sits at another sequence number than the one it was written with. */
    REORDERED,
    /** A record's previous hash is not its predecessor's, for a reason not named otherwise. */
    BROKEN_LINK,
    /** The table ends before the last anchored record. */
    TRUNCATED,
    /** The chain is consistent but differs from an anchor: it was rewritten. */
    REWRITTEN,
    /** There are records but no anchor file. */
    ANCHORS_MISSING,
    /** A line of the anchor file is not an anchor. */
    ANCHOR_FILE_DAMAGED
  }

  @Override
  public String toString() {
    return kind + ": " + message;
  }
}
