-- Offline lab results of samples drawn from a run's construct or medium (io.hepaloop.lab,
-- docs/lab-samples.md). A sample keeps every revision: a correction inserts revision n+1 with its
-- reason and never changes the old one (the triggers refuse UPDATE and DELETE). The value is in
-- the unit it was entered in (checked against the analyte's unit with a units library); value_si
-- is the same in the analyte's canonical unit, for trends and reports.
CREATE TABLE lab_samples (
  sample_id TEXT NOT NULL,
  revision INTEGER NOT NULL CHECK (revision >= 1),
  run_id TEXT NOT NULL REFERENCES runs (run_id),
  reactor_id TEXT NOT NULL,
  analyte TEXT NOT NULL,
  value REAL NOT NULL,
  unit TEXT NOT NULL,
  value_canonical REAL NOT NULL,
  canonical_unit TEXT NOT NULL,
  -- 1: the result was below the detection limit (value then holds the limit)
  below_detection_limit INTEGER NOT NULL DEFAULT 0 CHECK (below_detection_limit IN (0, 1)),
  detection_limit REAL,
  method TEXT,
  sampled_at TEXT NOT NULL,
  measured_at TEXT NOT NULL,
  entered_at TEXT NOT NULL,
  entered_by TEXT NOT NULL,
  -- required from revision 2 on: why the value was corrected
  reason TEXT,
  PRIMARY KEY (sample_id, revision),
  CHECK (measured_at >= sampled_at),
  CHECK (revision = 1 OR reason IS NOT NULL)
);

CREATE INDEX lab_samples_by_run ON lab_samples (run_id, sampled_at);

CREATE TRIGGER lab_samples_no_update BEFORE UPDATE ON lab_samples
BEGIN
  SELECT RAISE(ABORT, 'lab_samples is append-only: UPDATE refused');
END;

CREATE TRIGGER lab_samples_no_delete BEFORE DELETE ON lab_samples
BEGIN
  SELECT RAISE(ABORT, 'lab_samples is append-only: DELETE refused');
END;
