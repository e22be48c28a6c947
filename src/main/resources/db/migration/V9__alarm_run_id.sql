-- The run each alarm transition belongs to (io.hepaloop.plantstate.AlarmJournal): the run open on
-- the alarm's reactor when it happened (core.ActiveRuns), NULL for none (and for rows written before
-- runs existed). Lets the history and the run report select one run's alarms.
ALTER TABLE alarm_history ADD COLUMN run_id TEXT;
CREATE INDEX alarm_history_by_run ON alarm_history (run_id, id);
