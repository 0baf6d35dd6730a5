/**
 * Migration 5: counters for the dashboard, kept exact by triggers.
 *
 * Why: with 1,000,000 items (2,000,000 stage rows) the overview took ~920 ms, because every
 * figure was a scan: staleCount 932 ms (reads every done row for its `version`), stageCounts
 * 450 ms (GROUP BY over 2M index entries), `count(*) FROM items` 112 ms, oldestPending 187 ms
 * (reads every pending row). Goal: < 300 ms for the whole overview.
 *
 * - stage_counts(job_id, stage, status, version, n): how many stage rows are in each status.
 *   `version` is part of the key for `done` rows only ('' for every other status, and for a
 *   done row without a stamp), so the table holds (statuses + versions in use) rows per stage,
 *   and "stale" (done with a version other than the current one) is a sum over a few rows.
 *   Item status stays derived (DESIGN.md §3): these are counters of stage rows, not a second
 *   copy of any row's state, and the triggers make them move in the same transaction as the
 *   row, on every path (claim, complete, retry, reaper, reset, cancel, reload, cascade delete)
 *   without any caller having to remember them.
 * - The UPDATE trigger fires only when a SET names status or version (claims, completions,
 *   outcomes), and its WHEN skips updates that do not move a row between keys; lease
 *   heartbeats and priority changes never touch the counters. Measured cost on the engine
 *   bench: see bench/dashboard.bench.ts and the commit message (≈ +1 µs per transition).
 * - Rows that fall to n = 0 are kept: the key space is tiny and re-used.
 * - job_counts(job_id, items): items per job, for the job summary and the items list total.
 * - items_job_priority: the items list is ordered by (priority, id) per job; without it every
 *   page sorted 1M rows (2.5 s at offset 500k). rowid is the implicit last column, so keyset
 *   paging `(priority, id) > (?, ?)` is one seek.
 * - item_stages_pending_ready: partial index (pending rows only) so "oldest pending" is one
 *   seek instead of reading every pending row (187 ms).
 *
 * The backfill counts existing rows once (a few seconds on a 1M-item database, once).
 */
/** The counter a row counts under: claimed rows stay under 'pending' (see above). */
const statusKey = (row: string) =>
  `CASE WHEN ${row}.status = 'running' THEN 'pending' ELSE ${row}.status END`;
/** Done rows are counted per stamped version, every other status under ''. */
const versionKey = (row: string) =>
  `CASE WHEN ${row}.status = 'done' THEN coalesce(${row}.version, '') ELSE '' END`;

export const migration0005 = `
CREATE TABLE stage_counts (
  job_id   TEXT NOT NULL,
  stage    TEXT NOT NULL,
  status   TEXT NOT NULL,
  version  TEXT NOT NULL DEFAULT '',
  n        INTEGER NOT NULL,
  PRIMARY KEY (job_id, stage, status, version)
) WITHOUT ROWID;

CREATE TABLE job_counts (
  job_id  TEXT PRIMARY KEY,
  items   INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO stage_counts (job_id, stage, status, version, n)
SELECT job_id, stage, ${statusKey('item_stages')}, ${versionKey('item_stages')}, count(*)
  FROM item_stages GROUP BY 1, 2, 3, 4;

INSERT INTO job_counts (job_id, items) SELECT job_id, count(*) FROM items GROUP BY job_id;

CREATE TRIGGER item_stages_count_insert AFTER INSERT ON item_stages
BEGIN
  INSERT INTO stage_counts (job_id, stage, status, version, n)
  VALUES (new.job_id, new.stage, ${statusKey('new')}, ${versionKey('new')}, 1)
  ON CONFLICT (job_id, stage, status, version) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER item_stages_count_delete AFTER DELETE ON item_stages
BEGIN
  UPDATE stage_counts SET n = n - 1
   WHERE job_id = old.job_id AND stage = old.stage AND status = ${statusKey('old')}
     AND version = ${versionKey('old')};
END;

-- One statement moves a row's unit from its old key to its new one (two counter rows).
CREATE TRIGGER item_stages_count_update AFTER UPDATE OF status, version, job_id, stage ON item_stages
WHEN ${statusKey('old')} IS NOT ${statusKey('new')} OR old.job_id IS NOT new.job_id OR old.stage IS NOT new.stage
  OR (new.status = 'done' AND old.version IS NOT new.version)
BEGIN
  INSERT INTO stage_counts (job_id, stage, status, version, n)
  VALUES (old.job_id, old.stage, ${statusKey('old')}, ${versionKey('old')}, -1),
         (new.job_id, new.stage, ${statusKey('new')}, ${versionKey('new')}, 1)
  ON CONFLICT (job_id, stage, status, version) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER items_count_insert AFTER INSERT ON items
BEGIN
  INSERT INTO job_counts (job_id, items) VALUES (new.job_id, 1)
  ON CONFLICT (job_id) DO UPDATE SET items = items + 1;
END;

CREATE TRIGGER items_count_delete AFTER DELETE ON items
BEGIN
  UPDATE job_counts SET items = items - 1 WHERE job_id = old.job_id;
END;

CREATE INDEX items_job_priority ON items (job_id, priority);
`;
