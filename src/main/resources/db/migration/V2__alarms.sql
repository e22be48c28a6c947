-- Alarm history and current alarm state (io.hepaloop.plantstate.AlarmJournal).
-- Times are epoch nanoseconds (INTEGER, so they compare and prune correctly) with the ISO-8601 UTC
-- text beside them in history for people reading the file. A NULL value or limit stands for NaN.

-- Every transition of every alarm, newest has the highest id. AUTOINCREMENT: ids are never reused
-- after retention prunes old rows, so a paging cursor (an id) stays valid.
CREATE TABLE alarm_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  time_ns INTEGER NOT NULL,
  time TEXT NOT NULL,
  reactor_id TEXT NOT NULL,
  alarm_id TEXT NOT NULL,
  priority TEXT CHECK (priority IN ('CRITICAL', 'HIGH', 'MEDIUM', 'LOW')),
  from_state TEXT NOT NULL CHECK (from_state IN ('NORMAL', 'UNACK_ACTIVE', 'ACK_ACTIVE',
    'RTN_UNACK', 'SHELVED', 'SUPPRESSED_BY_DESIGN', 'OUT_OF_SERVICE')),
  to_state TEXT NOT NULL CHECK (to_state IN ('NORMAL', 'UNACK_ACTIVE', 'ACK_ACTIVE',
    'RTN_UNACK', 'SHELVED', 'SUPPRESSED_BY_DESIGN', 'OUT_OF_SERVICE')),
  value REAL,
  limit_value REAL,
  actor_name TEXT,
  actor_role TEXT CHECK (actor_role IN ('VIEWER', 'OPERATOR', 'ENGINEER', 'ADMIN')),
  comment TEXT,
  message TEXT NOT NULL
);
CREATE INDEX alarm_history_by_time ON alarm_history (time_ns);
CREATE INDEX alarm_history_by_alarm ON alarm_history (reactor_id, alarm_id, id);

-- The lifecycle state of each (reactor, alarm) now, with the last transition that led to it (for
-- AlarmEngine.restore). Never pruned: an alarm shelved or out of service for years keeps its state.
CREATE TABLE alarm_state (
  reactor_id TEXT NOT NULL,
  alarm_id TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('NORMAL', 'UNACK_ACTIVE', 'ACK_ACTIVE', 'RTN_UNACK',
    'SHELVED', 'SUPPRESSED_BY_DESIGN', 'OUT_OF_SERVICE')),
  since_ns INTEGER NOT NULL,
  priority TEXT CHECK (priority IN ('CRITICAL', 'HIGH', 'MEDIUM', 'LOW')),
  acked_by TEXT,
  acked_at_ns INTEGER,
  ack_comment TEXT,
  shelved_until_ns INTEGER,
  shelved_by TEXT,
  out_of_service INTEGER NOT NULL DEFAULT 0 CHECK (out_of_service IN (0, 1)),
  latched INTEGER NOT NULL DEFAULT 0 CHECK (latched IN (0, 1)),
  last_from_state TEXT NOT NULL,
  last_value REAL,
  last_limit REAL,
  last_actor_name TEXT,
  last_actor_role TEXT,
  last_comment TEXT,
  last_message TEXT NOT NULL,
  PRIMARY KEY (reactor_id, alarm_id)
);

-- Transitions whose history row was lost because the journal's queue was full (their current
-- state was still kept): how many, between which times. An auditor sees the gap, not silence.
CREATE TABLE alarm_history_gaps (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  from_ns INTEGER NOT NULL,
  to_ns INTEGER NOT NULL,
  lost INTEGER NOT NULL CHECK (lost > 0)
);
