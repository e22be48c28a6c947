-- The tamper-evident audit trail of human actions (io.hepaloop.audit, docs/audit.md).
-- Append-only: the code only ever INSERTs, and the triggers below refuse UPDATE and DELETE, so a
-- record is never changed in place. Each record holds the SHA-256 of the one before it
-- (previous_hash) and its own (hash, over previous_hash and its canonical fields), so an edit,
-- deletion, insertion or reordering done behind the triggers' back is found by
-- `hepaloop audit verify`. Times are UTC, fixed width ('2026-01-01T00:00:00.000000Z'), so text
-- order is time order.
CREATE TABLE audit_records (
  seq INTEGER PRIMARY KEY NOT NULL CHECK (seq >= 1),
  recorded_at TEXT NOT NULL,
  user_name TEXT NOT NULL,
  role TEXT,
  action TEXT NOT NULL,
  target TEXT,
  old_value TEXT,
  new_value TEXT,
  reason TEXT,
  run_id TEXT,
  signed_by TEXT,
  signature_meaning TEXT,
  signed_at TEXT,
  previous_hash TEXT NOT NULL CHECK (length(previous_hash) = 64),
  hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),
  CHECK ((signed_by IS NULL) = (signature_meaning IS NULL)
    AND (signed_by IS NULL) = (signed_at IS NULL))
);

CREATE INDEX audit_records_by_time ON audit_records (recorded_at);

CREATE INDEX audit_records_by_run ON audit_records (run_id) WHERE run_id IS NOT NULL;

CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON audit_records
BEGIN
  SELECT RAISE(ABORT, 'audit_records is append-only: UPDATE refused');
END;

CREATE TRIGGER audit_records_no_delete BEFORE DELETE ON audit_records
BEGIN
  SELECT RAISE(ABORT, 'audit_records is append-only: DELETE refused');
END;

-- Appends continue the chain: the next sequence number, linked to the last record's hash.
CREATE TRIGGER audit_records_append_only_at_the_end BEFORE INSERT ON audit_records
WHEN NEW.seq <> (SELECT coalesce(max(seq), 0) + 1 FROM audit_records)
  OR NEW.previous_hash <> coalesce(
    (SELECT hash FROM audit_records ORDER BY seq DESC LIMIT 1),
    '0000000000000000000000000000000000000000000000000000000000000000')
BEGIN
  SELECT RAISE(ABORT, 'audit_records: an insert must continue the chain (next seq, last hash)');
END;
