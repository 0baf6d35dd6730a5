/**
 * Migration 3: content stages (artifacts, audits, LLM discrepancy checks, cost queries).
 *
 * - artifacts: one row per stored blob (the bytes live on disk under artifacts/sha256/…);
 *   `gc` deletes rows and files that no result references any more.
 * - artifact_refs: which item/stage produced which content. It answers "was this exact body
 *   already fetched for another item?" (`possible_duplicate`) with one indexed lookup instead
 *   of scanning every result's JSON.
 * - audit_checks: one row per (item, audit stage, check), so pass rates per check are a
 *   GROUP BY, and a re-run of the audit overwrites its own rows.
 * - check_results: per (item, llm `check` stage, field) whether the parser's value agrees with
 *   the source; a disagreement is a discrepancy (parser value vs. what the source says). Both
 *   sides are kept so discrepancy rates per field have a denominator. A re-run overwrites.
 * - costs_ts: the daily limit sums today's spend across jobs by time.
 */
export const migration0003 = `
CREATE TABLE artifacts (
  sha256        TEXT PRIMARY KEY,
  size          INTEGER NOT NULL,
  content_type  TEXT,
  created_at    INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE artifact_refs (
  sha256   TEXT NOT NULL,
  item_id  INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  job_id   TEXT NOT NULL,
  stage    TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (sha256, item_id, stage)
) WITHOUT ROWID;
CREATE INDEX artifact_refs_item ON artifact_refs (item_id, stage);

CREATE TABLE audit_checks (
  item_id     INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  job_id      TEXT NOT NULL,
  stage       TEXT NOT NULL,
  check_name  TEXT NOT NULL,
  passed      INTEGER NOT NULL CHECK (passed IN (0, 1)),
  reason      TEXT,
  value       REAL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (item_id, stage, check_name)
) WITHOUT ROWID;
CREATE INDEX audit_checks_job ON audit_checks (job_id, stage, check_name);

CREATE TABLE check_results (
  item_id     INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  job_id      TEXT NOT NULL,
  stage       TEXT NOT NULL,
  field       TEXT NOT NULL,
  agrees      INTEGER NOT NULL CHECK (agrees IN (0, 1)),
  parser_value TEXT,
  source_value TEXT,
  note        TEXT,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (item_id, stage, field)
) WITHOUT ROWID;
CREATE INDEX check_results_job ON check_results (job_id, stage, field);

CREATE INDEX costs_ts ON costs (ts);
`;
