-- Runs of a culture on one reactor (io.hepaloop.run, docs/runs.md): the construct it grows, who
-- runs it, and the recipe version it follows. The recipe's text is kept with the run, so editing
-- or deleting the file in recipes/ never changes a run that uses it. Times are UTC ISO-8601 text,
-- fixed width ('2026-01-01T00:00:00.000000Z'), so text order is time order.
CREATE TABLE runs (
  run_id TEXT PRIMARY KEY NOT NULL,
  reactor_id TEXT NOT NULL,
  recipe_name TEXT NOT NULL,
  recipe_version TEXT NOT NULL,
  recipe_sha256 TEXT NOT NULL CHECK (length(recipe_sha256) = 64),
  recipe_text TEXT NOT NULL,
  -- primary_hepatocytes, heparg, ipsc_hlc (iPSC-derived hepatocyte-like cells), msc_coculture, other
  cell_source TEXT NOT NULL
    CHECK (cell_source IN ('primary_hepatocytes', 'heparg', 'ipsc_hlc', 'msc_coculture', 'other')),
  cell_source_detail TEXT,
  cells_seeded REAL NOT NULL CHECK (cells_seeded > 0),
  scaffold TEXT NOT NULL,
  medium TEXT NOT NULL,
  operator TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  started_at TEXT,
  ended_at TEXT,
  -- io.hepaloop.run.ProcedureState name: IDLE until started, then the ISA-88 states
  state TEXT NOT NULL,
  -- io.hepaloop.run.RecipeProgress as JSON, replaced at every change of phase, state or prompt
  progress_json TEXT,
  updated_at TEXT NOT NULL
);

-- At most one run not yet ended per reactor.
CREATE UNIQUE INDEX runs_one_open_per_reactor ON runs (reactor_id)
  WHERE state NOT IN ('COMPLETE', 'STOPPED', 'ABORTED');

CREATE INDEX runs_by_reactor ON runs (reactor_id, created_at);

-- What the recipe executor did (io.hepaloop.run.RecipeEvent): the run's phase timeline.
-- Append-only.
CREATE TABLE run_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL REFERENCES runs (run_id),
  at TEXT NOT NULL,
  kind TEXT NOT NULL,
  phase_index INTEGER NOT NULL,
  phase_id TEXT,
  state TEXT NOT NULL,
  subject TEXT,
  message TEXT NOT NULL
);

CREATE INDEX run_events_by_run ON run_events (run_id, seq);

CREATE TRIGGER run_events_no_update BEFORE UPDATE ON run_events
BEGIN
  SELECT RAISE(ABORT, 'run_events is append-only: UPDATE refused');
END;

CREATE TRIGGER run_events_no_delete BEFORE DELETE ON run_events
BEGIN
  SELECT RAISE(ABORT, 'run_events is append-only: DELETE refused');
END;

-- Operator notes attached to a run at a time (noted_at: the moment the note is about; written_at:
-- when it was entered). Append-only: a correction is a new note.
CREATE TABLE run_notes (
  note_id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL REFERENCES runs (run_id),
  noted_at TEXT NOT NULL,
  written_at TEXT NOT NULL,
  user_name TEXT NOT NULL,
  text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 4000)
);

CREATE INDEX run_notes_by_run ON run_notes (run_id, noted_at);

CREATE TRIGGER run_notes_no_update BEFORE UPDATE ON run_notes
BEGIN
  SELECT RAISE(ABORT, 'run_notes is append-only: UPDATE refused');
END;

CREATE TRIGGER run_notes_no_delete BEFORE DELETE ON run_notes
BEGIN
  SELECT RAISE(ABORT, 'run_notes is append-only: DELETE refused');
END;
