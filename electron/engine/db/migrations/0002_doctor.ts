/**
 * Migration 2: the doctor's memory.
 *
 * - doctor_decisions: every verdict (append-only), so an item shows why it was retried,
 *   failed or paused its job, and `jobctl failures` groups errors by class and signature.
 *   Indexed for both readers: per job by signature, per item.
 * - doctor_breakers: per job and class, the current streak of errors since the last success.
 *   In the database (not memory) so `jobctl clear-errors` works without a running host and a
 *   restart does not forget a streak that was about to pause the job.
 * - doctor_cache gains the LLM's one-line explanation and a hit counter.
 */
export const migration0002 = `
CREATE TABLE doctor_decisions (
  id          INTEGER PRIMARY KEY,
  ts          INTEGER NOT NULL,
  job_id      TEXT NOT NULL,
  item_id     INTEGER,
  stage       TEXT,
  attempt     INTEGER,
  signature   TEXT NOT NULL,
  class       TEXT NOT NULL,
  action      TEXT NOT NULL,
  source      TEXT NOT NULL CHECK (source IN ('signal', 'rule', 'cache', 'llm', 'fallback')),
  confidence  REAL,
  rule        TEXT,
  message     TEXT,
  paused      INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1))
);
CREATE INDEX doctor_decisions_job ON doctor_decisions (job_id, class, signature);
CREATE INDEX doctor_decisions_item ON doctor_decisions (item_id) WHERE item_id IS NOT NULL;

CREATE TABLE doctor_breakers (
  job_id    TEXT NOT NULL,
  class     TEXT NOT NULL,
  count     INTEGER NOT NULL,
  first_at  INTEGER NOT NULL,
  last_at   INTEGER NOT NULL,
  PRIMARY KEY (job_id, class)
) WITHOUT ROWID;

ALTER TABLE doctor_cache ADD COLUMN explanation TEXT;
ALTER TABLE doctor_cache ADD COLUMN hits INTEGER NOT NULL DEFAULT 0;
`;
