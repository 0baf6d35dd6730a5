/**
 * Migration 8: the doctor learns from the operator and stops trusting unsure guesses.
 *
 * - doctor_corrections: a person's verdict for one error signature (`jobctl doctor teach`,
 *   the dashboard's "correct" button). It wins over rules and the cache from then on, so it
 *   lives in the database: it must survive restarts and reach the CLI with no host running.
 * - doctor_cache.asked_at: when the LLM was last asked about the signature. An unsure answer
 *   is kept (the doctor must not pay twice a minute) but re-asked at most once a day.
 * - doctor_decisions is rebuilt because its CHECK on `source` must admit 'correction' and
 *   'model' (the shipped error model); SQLite cannot alter a CHECK in place.
 */
export const migration0008 = `
CREATE TABLE doctor_corrections (
  signature    TEXT PRIMARY KEY,
  class        TEXT NOT NULL CHECK (class IN
                 ('transient', 'rate_limited', 'item_specific', 'temporal', 'systemic', 'code_bug')),
  action       TEXT CHECK (action IS NULL OR action IN
                 ('retry', 'fail_item', 'skip', 'pause_job', 'pause_until')),
  note         TEXT,
  created_at   INTEGER NOT NULL,
  hits         INTEGER NOT NULL DEFAULT 0,
  last_hit_at  INTEGER
) WITHOUT ROWID;

ALTER TABLE doctor_cache ADD COLUMN asked_at INTEGER;
UPDATE doctor_cache SET asked_at = created_at;

CREATE TABLE doctor_decisions_v8 (
  id          INTEGER PRIMARY KEY,
  ts          INTEGER NOT NULL,
  job_id      TEXT NOT NULL,
  item_id     INTEGER,
  stage       TEXT,
  attempt     INTEGER,
  signature   TEXT NOT NULL,
  class       TEXT NOT NULL,
  action      TEXT NOT NULL,
  source      TEXT NOT NULL CHECK (source IN ('signal', 'correction', 'rule', 'cache', 'model', 'llm', 'fallback')),
  confidence  REAL,
  rule        TEXT,
  message     TEXT,
  paused      INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1))
);
INSERT INTO doctor_decisions_v8 SELECT id, ts, job_id, item_id, stage, attempt, signature, class,
  action, source, confidence, rule, message, paused FROM doctor_decisions;
DROP TABLE doctor_decisions;
ALTER TABLE doctor_decisions_v8 RENAME TO doctor_decisions;
CREATE INDEX doctor_decisions_job ON doctor_decisions (job_id, class, signature);
CREATE INDEX doctor_decisions_item ON doctor_decisions (item_id) WHERE item_id IS NOT NULL;
`;
