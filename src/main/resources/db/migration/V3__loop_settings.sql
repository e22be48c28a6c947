-- Loop settings changed at run time, per (reactor, loop) (io.hepaloop.plantstate.LoopSettingsStore).
-- A NULL setting was never changed at run time: the loop keeps the device profile's value.
-- changed_at_ns is epoch nanoseconds; changed_at the same as ISO-8601 UTC text for people.
CREATE TABLE loop_settings (
  reactor_id TEXT NOT NULL,
  loop_id TEXT NOT NULL,
  mode TEXT CHECK (mode IN ('OFF', 'MANUAL', 'AUTO', 'CASCADE')),
  setpoint REAL,
  cascade_setpoint REAL,
  manual_output REAL,
  changed_by TEXT NOT NULL,
  changed_at_ns INTEGER NOT NULL,
  changed_at TEXT NOT NULL,
  PRIMARY KEY (reactor_id, loop_id)
);

-- Tuning per controller of a loop: main, override or cascade (outer). Plain numbers of the ISA
-- standard form PID (gain, Ti, Td, setpoint weights b and c, derivative filter N, tracking time
-- Tt, output rate limit).
CREATE TABLE loop_tunings (
  reactor_id TEXT NOT NULL,
  loop_id TEXT NOT NULL,
  controller TEXT NOT NULL CHECK (controller IN ('main', 'override', 'cascade')),
  gain REAL NOT NULL,
  integral_time_s REAL NOT NULL,
  derivative_time_s REAL NOT NULL,
  setpoint_weight_p REAL NOT NULL,
  setpoint_weight_d REAL NOT NULL,
  derivative_filter_n REAL NOT NULL,
  tracking_time_s REAL NOT NULL,
  output_rate_limit_per_s REAL NOT NULL,
  PRIMARY KEY (reactor_id, loop_id, controller),
  FOREIGN KEY (reactor_id, loop_id) REFERENCES loop_settings (reactor_id, loop_id)
    ON DELETE CASCADE
);
