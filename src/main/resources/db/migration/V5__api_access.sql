-- How callers of the command API stay logged in (io.hepaloop.users.Sessions, ApiTokens).
-- Only SHA-256 hashes of the secrets are stored: a copy of the database logs nobody in.
-- Times are UTC, ISO-8601 text ('2026-01-01T00:00:00Z').
CREATE TABLE api_sessions (
  id_hash TEXT PRIMARY KEY NOT NULL,
  user_name TEXT NOT NULL REFERENCES users (name),
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL
);
CREATE INDEX api_sessions_user ON api_sessions (user_name);

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_name TEXT NOT NULL REFERENCES users (name),
  label TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  last_used_at TEXT,
  revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_name);
