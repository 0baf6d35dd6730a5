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
 * - A claim (pending → running) moves no counter: claimed rows count under 'pending', and the
 *   read model splits the running ones out on the claim index (at most each stage's
 *   concurrency). The UPDATE trigger is attached only to SETs naming status or version (lease
 *   heartbeats and priority changes never touch it) and its WHEN skips updates that keep a row
 *   under the same key; one multi-row UPSERT moves the unit from the old key to the new one.
 * - What it costs the engine (bench/engine.bench.ts, 100,000 items, this 2-core machine):
 *   18,500–19,000 → 16,000 stage runs/s. SQLite enters the trigger program for every updated
 *   row, even when WHEN is false, so a claim of 10 rows goes from 83 to 101 µs; a completion
 *   and a promotion add ≈ 2.4 µs each. Other shapes measured the same within noise (one upsert
 *   into a transition table, keying claims and promotions out, an append-only log folded every
 *   2,048 rows): the per-row trigger entry is the floor. Only batching the counter writes in
 *   the tracker (one UPSERT per key per batch) would remove it, at the price of exactness no
 *   longer following from the schema alone.
 * - What it buys (bench/dashboard.bench.ts, 1,000,000 items): overview API 1,152 → 6 ms,
 *   first render 1,839 → 176 ms, items at offset 500k 2,230 → 16 ms, items by status
 *   1,420 → 71 ms.
 * - Rows that fall to n = 0 are kept: the key space is tiny and re-used.
 * - job_counts(job_id, items): items per job, for the job summary and the items list total.
 * - items_job_priority: the items list is ordered by (priority, id) per job; without it every
 *   page sorted 1M rows (2.5 s at offset 500k). rowid is the implicit last column, so keyset
 *   paging `(priority, id) > (?, ?)` is one seek.
 * - No index for "oldest pending": a partial index on ready_at (pending rows) made it one seek
 *   but cost every claim and promotion another index write (≈ 4 µs per stage run); the read
 *   model approximates it along the claim index instead (readModel.oldestPending).
 *
 * The backfill counts existing rows once: 1.6 s on a database of 1M items / 2M stage rows.
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
