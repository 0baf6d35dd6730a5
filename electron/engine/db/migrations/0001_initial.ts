/**
 * Migration 1: the normalized schema of DESIGN.md §3.
 *
 * Why these indexes:
 * - item_stages_claim (job_id, stage, status, priority): the claim reads pending rows in
 *   (priority, id) order; rowid is implicitly the last index column, so ORDER BY priority, id
 *   is served without a sort even with a million pending rows.
 * - item_stages_retry_due: partial, so promoting due retries touches only retry rows.
 * - item_stages_running: partial, so the reaper and the heartbeat scan only running rows.
 */
export const migration0001 = `
CREATE TABLE jobs_state (
  job_id        TEXT PRIMARY KEY,
  paused        INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
  pause_reason  TEXT,
  paused_at     INTEGER,
  paused_until  INTEGER,
  updated_at    INTEGER NOT NULL
);

-- The pipeline shape last applied per job: lets a restart add rows for new stages without
-- scanning every item, and lets a reload tell which stages changed.
CREATE TABLE job_stages (
  job_id    TEXT NOT NULL,
  stage     TEXT NOT NULL,
  position  INTEGER NOT NULL,
  deps      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(deps)),
  version   TEXT NOT NULL,
  PRIMARY KEY (job_id, stage)
) WITHOUT ROWID;

CREATE TABLE items (
  id             INTEGER PRIMARY KEY,
  job_id         TEXT NOT NULL,
  item_key       TEXT NOT NULL,
  data           TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
  priority       REAL NOT NULL DEFAULT 0,
  source_item_id INTEGER REFERENCES items (id) ON DELETE SET NULL,
  discovered_at  INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  UNIQUE (job_id, item_key)
);

CREATE TABLE item_stages (
  id           INTEGER PRIMARY KEY,
  item_id      INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  job_id       TEXT NOT NULL,
  stage        TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN
                 ('waiting', 'pending', 'running', 'retry', 'done', 'failed', 'dead', 'skipped')),
  priority     REAL NOT NULL DEFAULT 0,
  attempts     INTEGER NOT NULL DEFAULT 0,
  ready_at     INTEGER NOT NULL DEFAULT 0,
  lease_owner  TEXT,
  lease_until  INTEGER,
  started_at   INTEGER,
  ended_at     INTEGER,
  elapsed_ms   INTEGER,
  error        TEXT,
  error_class  TEXT,
  version      TEXT,
  UNIQUE (item_id, stage)
);
CREATE INDEX item_stages_claim ON item_stages (job_id, stage, status, priority);
CREATE INDEX item_stages_retry_due ON item_stages (job_id, stage, ready_at) WHERE status = 'retry';
CREATE INDEX item_stages_running ON item_stages (lease_until) WHERE status = 'running';

CREATE TABLE results (
  item_id     INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  stage       TEXT NOT NULL,
  version     TEXT,
  output      TEXT NOT NULL CHECK (json_valid(output)),
  artifacts   TEXT CHECK (artifacts IS NULL OR json_valid(artifacts)),
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (item_id, stage)
) WITHOUT ROWID;

CREATE TABLE events (
  id       INTEGER PRIMARY KEY,
  ts       INTEGER NOT NULL,
  job_id   TEXT,
  item_id  INTEGER,
  stage    TEXT,
  kind     TEXT NOT NULL,
  data     TEXT CHECK (data IS NULL OR json_valid(data))
);
CREATE INDEX events_ts ON events (ts);
CREATE INDEX events_job ON events (job_id, id);
CREATE INDEX events_item ON events (item_id) WHERE item_id IS NOT NULL;

CREATE TABLE costs (
  id          INTEGER PRIMARY KEY,
  ts          INTEGER NOT NULL,
  job_id      TEXT NOT NULL,
  item_id     INTEGER,
  stage       TEXT,
  usd         REAL,
  model       TEXT,
  tokens_in   INTEGER,
  tokens_out  INTEGER
);
CREATE INDEX costs_job_ts ON costs (job_id, ts);

CREATE TABLE doctor_cache (
  signature   TEXT PRIMARY KEY,
  class       TEXT NOT NULL,
  action      TEXT NOT NULL,
  confidence  REAL,
  source      TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);

-- One row: the host that owns this database, and its heartbeat. Cleared on every exit path.
CREATE TABLE host (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  owner         TEXT NOT NULL,
  pid           INTEGER NOT NULL,
  hostname      TEXT NOT NULL,
  started_at    INTEGER NOT NULL,
  heartbeat_at  INTEGER NOT NULL,
  stopped_at    INTEGER,
  control_url   TEXT
);
`;
