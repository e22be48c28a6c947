package io.hepaloop.audit;

import io.hepaloop.audit.Finding.Kind;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Recomputes a data directory's audit chain and checks it against the anchor file, naming what was
 * done to which record: edited (fields no longer match the hash, or a hash recomputed that the next
 * record still contradicts), deleted (a gap, or a record referred to that is gone), inserted (a
 * record no one refers to), reordered (a record whose hash matches another sequence number),
 * truncated (an anchor beyond the table's end) and rewritten (a consistent chain that an anchor
 * contradicts).
 *
 * <p>Reads only: the database through a read-only connection in one read transaction, so a plant
 * writing at the same time is neither blocked nor seen half way; the anchor file is read first, so
 * every anchor it holds refers to a committed record. Blocks; run it off any event loop.
 */
public final class AuditVerifier {
  /** How far from its place a moved record is looked for, beyond what its link tells. */
  private static final int NEAR = 3;

  private AuditVerifier() {}

  /**
   * Verifies the trail of {@code dataDir}.
   *
   * @throws IllegalArgumentException when there is no database or no audit trail there
   */
  public static AuditVerification verify(Path dataDir) {
    long started = System.nanoTime();
    AnchorFile.Contents anchors = AnchorFile.read(AnchorFile.of(dataDir));
    try (Connection c = AuditDatabase.openReadOnly(dataDir)) {
      c.setAutoCommit(false); // one read snapshot for both passes
      try {
        Check check = new Check();
        check.index(c);
        check.walk(c);
        check.anchors(anchors);
        check.findings.sort(Comparator.comparingLong(Finding::sequence));
        return new AuditVerification(
            check.count,
            check.lastSeq,
            anchors.anchors().size(),
            anchors.anchors().stream().mapToLong(AnchorFile.Anchor::seq).max().orElse(0),
            check.findings,
            Duration.ofNanos(System.nanoTime() - started));
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw new AuditException(dataDir + ": cannot read the audit trail: " + e.getMessage(), e);
    }
  }

  /** The state of one verification. */
  private static final class Check {
    final List<Finding> findings = new ArrayList<>();
    final Map<String, Long> seqOfHash = new HashMap<>();
    final Map<Long, String> hashOfSeq = new HashMap<>();
    final Map<Long, String> previousOfSeq = new HashMap<>();
    final Set<String> referenced = new HashSet<>();
    final Set<Long> flagged = new HashSet<>();
    final List<long[]> deletedRanges = new ArrayList<>();
    long count;
    long lastSeq;

    // The run of moved records being collected: [runFrom..runTo] moved by runOffset.
    long runFrom = -1;
    long runTo;
    long runOffset;

    /** Pass 1: which hash sits where, and which hashes are referred to. */
    void index(Connection c) throws SQLException {
      try (PreparedStatement p =
              c.prepareStatement(
                  "SELECT seq, hash, previous_hash FROM audit_records ORDER BY seq");
          ResultSet r = p.executeQuery()) {
        while (r.next()) {
          seqOfHash.put(r.getString(2), r.getLong(1));
          hashOfSeq.put(r.getLong(1), r.getString(2));
          previousOfSeq.put(r.getLong(1), r.getString(3));
          referenced.add(r.getString(3));
        }
      }
    }

    /** Pass 2: each record against its hash and its predecessor. */
    void walk(Connection c) throws SQLException {
      StoredRecord before = null;
      boolean beforeSound = true;
      try (PreparedStatement p =
              c.prepareStatement(
                  "SELECT " + StoredRecord.COLUMNS + " FROM audit_records ORDER BY seq");
          ResultSet r = p.executeQuery()) {
        while (r.next()) {
          StoredRecord row = StoredRecord.read(r);
          count++;
          long expected = before == null ? 1 : before.seq() + 1;
          boolean gap = row.seq() > expected;
          if (gap) {
            deleted(
                expected,
                row.seq() - 1,
                "the sequence jumps from " + (expected - 1) + " to " + row.seq());
          }
          long original = row.seq();
          boolean sound = Objects.equals(row.hash(), row.recomputedHash());
          if (!sound) {
            original = originalSeq(row);
            if (original != row.seq()) {
              moved(row.seq(), original);
            } else {
              endRun();
              flag(
                  Kind.EDITED,
                  row.seq(),
                  "record "
                      + row.seq()
                      + ": its fields no longer match its hash (edited after it was written)");
            }
          } else {
            endRun();
          }
          checkLink(row, original, before, beforeSound && sound, gap);
          before = row;
          beforeSound = sound;
        }
      }
      endRun();
      lastSeq = before == null ? 0 : before.seq();
      // A record that nothing refers to, inside the chain, was put there afterwards; unless the
      // record after it refers to one that is gone (then that one was deleted, found above).
      for (Map.Entry<Long, String> e : hashOfSeq.entrySet()) {
        String nextPrevious = previousOfSeq.get(e.getKey() + 1);
        if (nextPrevious != null
            && !referenced.contains(e.getValue())
            && !flagged.contains(e.getKey())
            && (AuditHash.GENESIS.equals(nextPrevious) || seqOfHash.containsKey(nextPrevious))) {
          flag(
              Kind.INSERTED,
              e.getKey(),
              "record "
                  + e.getKey()
                  + " was inserted: it is sound on its own, but no later record refers to it");
        }
      }
    }

    /** What the previous hash of {@code row} (found at {@code original}) says about its past. */
    private void checkLink(
        StoredRecord row, long original, StoredRecord before, boolean bothSound, boolean gap) {
      String expected = before == null ? AuditHash.GENESIS : before.hash();
      if (Objects.equals(row.previousHash(), expected)) {
        return;
      }
      boolean refersToSomething =
          AuditHash.GENESIS.equals(row.previousHash()) || seqOfHash.containsKey(row.previousHash());
      if (!refersToSomething) {
        long lost = original - 1;
        if (before != null && before.seq() == lost && bothSound && !gap) {
          flag(
              Kind.EDITED,
              lost,
              "record "
                  + lost
                  + " was changed and its hash recomputed:"
                  + " record "
                  + row.seq()
                  + " still refers to its original hash "
                  + abbreviated(String.valueOf(row.previousHash())));
        } else if (!gap) {
          deleted(
              lost,
              lost,
              "record "
                  + row.seq()
                  + " (written as "
                  + original
                  + ") refers to a record that is no longer there");
        }
        return;
      }
      if (bothSound && !gap) {
        flag(
            Kind.BROKEN_LINK,
            row.seq(),
            "record "
                + row.seq()
                + " does not follow record "
                + before.seq()
                + ": its previous hash is that of record "
                + seqOfHash.getOrDefault(row.previousHash(), 0L));
      }
    }

    /**
     * The sequence number {@code row} was written with: the one after the record its previous hash
     * names, or one near its place, whichever its hash matches; its own when none does.
     */
    private long originalSeq(StoredRecord row) {
      List<Long> candidates = new ArrayList<>();
      if (AuditHash.GENESIS.equals(row.previousHash())) {
        candidates.add(1L);
      } else if (seqOfHash.containsKey(row.previousHash())) {
        candidates.add(seqOfHash.get(row.previousHash()) + 1);
      }
      for (int d = 1; d <= NEAR; d++) {
        candidates.add(row.seq() + d);
        candidates.add(row.seq() - d);
      }
      for (long c : candidates) {
        if (c >= 1 && c != row.seq() && Objects.equals(row.hash(), row.at(c).recomputedHash())) {
          return c;
        }
      }
      return row.seq();
    }

    private void moved(long seq, long original) {
      long offset = original - seq;
      if (runFrom >= 0 && seq == runTo + 1 && offset == runOffset) {
        runTo = seq;
        return;
      }
      endRun();
      runFrom = seq;
      runTo = seq;
      runOffset = offset;
    }

    private void endRun() {
      if (runFrom < 0) {
        return;
      }
      for (long s = runFrom; s <= runTo; s++) {
        flagged.add(s);
      }
      String message =
          runFrom == runTo
              ? "record "
                  + runFrom
                  + " was written as record "
                  + (runFrom + runOffset)
                  + " (moved: the records were reordered)"
              : "records "
                  + runFrom
                  + ".."
                  + runTo
                  + " were written as "
                  + (runFrom + runOffset)
                  + ".."
                  + (runTo + runOffset)
                  + " (renumbered by "
                  + (-runOffset)
                  + ", around an inserted or deleted record)";
      findings.add(new Finding(Kind.REORDERED, runFrom, message));
      runFrom = -1;
    }

    private void deleted(long from, long to, String why) {
      for (long[] range : deletedRanges) {
        if (range[0] <= from && to <= range[1]) {
          return;
        }
      }
      deletedRanges.add(new long[] {from, to});
      String which = from == to ? "record " + from + " is" : "records " + from + ".." + to + " are";
      findings.add(new Finding(Kind.DELETED, from, which + " missing (deleted): " + why));
    }

    private void flag(Kind kind, long seq, String message) {
      flagged.add(seq);
      findings.add(new Finding(kind, seq, message));
    }

    /** Anchors: each must match its record, and none may lie beyond the table's end. */
    void anchors(AnchorFile.Contents contents) {
      for (AnchorFile.BadLine bad : contents.badLines()) {
        findings.add(
            new Finding(
                Kind.ANCHOR_FILE_DAMAGED,
                0,
                AnchorFile.FILE_NAME
                    + " line "
                    + bad.line()
                    + " is not an anchor (sequence, hash, time): '"
                    + bad.text()
                    + "'"));
      }
      if (!contents.exists()) {
        if (count > 0) {
          findings.add(
              new Finding(
                  Kind.ANCHORS_MISSING,
                  0,
                  "there are "
                      + count
                      + " records but no "
                      + AnchorFile.FILE_NAME
                      + " (deleted?): the tail and a"
                      + " rewritten chain cannot be checked"));
        }
        return;
      }
      AnchorFile.Anchor beyond = null;
      AnchorFile.Anchor firstMismatch = null;
      AnchorFile.Anchor lastMatchBefore = null;
      int mismatches = 0;
      List<AnchorFile.Anchor> bySeq = new ArrayList<>(contents.anchors());
      bySeq.sort(Comparator.comparingLong(AnchorFile.Anchor::seq));
      for (AnchorFile.Anchor a : bySeq) {
        String hash = hashOfSeq.get(a.seq());
        if (a.seq() > lastSeq) {
          if (beyond == null || a.seq() > beyond.seq()) {
            beyond = a;
          }
        } else if (hash != null && !hash.equals(a.hash())) {
          mismatches++;
          if (firstMismatch == null) {
            firstMismatch = a;
          }
        } else if (hash != null && firstMismatch == null) {
          lastMatchBefore = a;
        }
      }
      if (beyond != null) {
        findings.add(
            new Finding(
                Kind.TRUNCATED,
                lastSeq + 1,
                "the table ends at record "
                    + lastSeq
                    + " but the anchor of "
                    + AnchorFile.FILE_NAME
                    + " line "
                    + beyond.line()
                    + " (written "
                    + beyond.writtenAt()
                    + ") covers record "
                    + beyond.seq()
                    + ": records "
                    + (lastSeq + 1)
                    + ".."
                    + beyond.seq()
                    + " were removed (tail"
                    + " truncated)"));
      }
      if (firstMismatch != null) {
        String after =
            lastMatchBefore == null
                ? "from the start"
                : "after record " + lastMatchBefore.seq() + " (the last anchor that matches)";
        findings.add(
            new Finding(
                Kind.REWRITTEN,
                firstMismatch.seq(),
                "record "
                    + firstMismatch.seq()
                    + " does not match the anchor of "
                    + AnchorFile.FILE_NAME
                    + " line "
                    + firstMismatch.line()
                    + " (written "
                    + firstMismatch.writtenAt()
                    + "): the chain was rewritten "
                    + after
                    + (mismatches > 1
                        ? "; " + (mismatches - 1) + " later anchors do not match either"
                        : "")));
      }
    }
  }

  private static String abbreviated(String hash) {
    return hash.length() > 12 ? hash.substring(0, 12) + "…" : hash;
  }
}
