import type { Db } from '../db/openDatabase.ts';
import { STAGE_STATUSES, type ItemStatus, type StageStatus } from '../tracker/StageStatus.ts';
import type { StatusCounts } from './types.ts';

export type { StatusCounts };

export function emptyCounts(): StatusCounts {
  return Object.fromEntries(STAGE_STATUSES.map((s) => [s, 0])) as StatusCounts;
}

/**
 * Per stage, how many rows are in each status: read from the trigger-maintained stage_counts
 * table (migration 5), so it costs O(stages × statuses), not a scan of every stage row.
 * Claimed rows are counted under 'pending' there (a claim moves no counter, see the
 * migration); they are split out here by counting the running rows on the claim index,
 * which holds at most each stage's concurrency. Both reads share one snapshot.
 */
export function stageCounts(db: Db, jobId: string): Map<string, StatusCounts> {
  return db.transaction(() => {
    const rows = db
      .prepare(
        `SELECT stage, status, sum(n) AS n FROM stage_counts WHERE job_id = ? GROUP BY stage, status`,
      )
      .all(jobId) as { stage: string; status: StageStatus; n: number }[];
    const running = db.prepare(
      `SELECT count(*) AS n FROM item_stages WHERE job_id = ? AND stage = ? AND status = 'running'`,
    );
    const out = new Map<string, StatusCounts>();
    for (const r of rows) {
      let c = out.get(r.stage);
      if (!c) out.set(r.stage, (c = emptyCounts()));
      c[r.status] = r.n;
    }
    for (const [stage, c] of out) {
      if (c.pending === 0) continue;
      const n = (running.get(jobId, stage) as { n: number }).n;
      c.running = n;
      c.pending -= n;
    }
    return out;
  })();
}

/**
 * Done rows whose stamped version differs from the stage's current version (a done row
 * without a stamp counts as stale, as `version IS NOT ?` did). stage_counts keys done rows
 * by version, so this sums a handful of counter rows.
 */
export function staleCount(db: Db, jobId: string, stage: string, version: string): number {
  return (
    db
      .prepare(
        `SELECT coalesce(sum(n), 0) AS n FROM stage_counts WHERE job_id = ? AND stage = ? AND status = 'done' AND version <> ?`,
      )
      .get(jobId, stage, version) as { n: number }
  ).n;
}

/** Items of a job, from the trigger-maintained job_counts table (one key lookup). */
export function jobItemCount(db: Db, jobId: string): number {
  const row = db.prepare(`SELECT items AS n FROM job_counts WHERE job_id = ?`).get(jobId) as
    { n: number } | undefined;
  return row?.n ?? 0;
}

/** Stage rows of a job in `status`, per stage (stages with none are left out). */
export function statusCountsByStage(
  db: Db,
  jobId: string,
  status: StageStatus,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const [stage, c] of stageCounts(db, jobId)) if (c[status] > 0) out.set(stage, c[status]);
  return out;
}

/** Stage rows of one stage of a job (any status): the items that have this stage. */
export function stageRowCount(db: Db, jobId: string, stage: string): number {
  return (
    db
      .prepare(`SELECT coalesce(sum(n), 0) AS n FROM stage_counts WHERE job_id = ? AND stage = ?`)
      .get(jobId, stage) as { n: number }
  ).n;
}

/**
 * Median run time of a stage over a sample of up to 1,000 done runs (read along the claim
 * index, so it costs the same with a million items).
 */
export function p50Ms(db: Db, jobId: string, stage: string): number | null {
  const rows = db
    .prepare(
      `SELECT elapsed_ms AS ms FROM item_stages WHERE job_id = ? AND stage = ? AND status = 'done' AND elapsed_ms IS NOT NULL LIMIT 1000`,
    )
    .all(jobId, stage) as { ms: number }[];
  if (rows.length === 0) return null;
  const sorted = rows.map((r) => r.ms).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/**
 * When the longest-waiting pending row of a stage became ready — approximately: the earliest
 * `ready_at` among the next 1,000 rows the claim would take (read along the claim index).
 * Exact would mean reading every pending row (187 ms with 300,000 pending) or a partial index
 * on ready_at that every claim and promotion must also write (≈ 4 µs per stage run on the
 * engine bench). The rows next in line are, in a FIFO queue, the ones that waited longest.
 */
export function oldestPending(db: Db, jobId: string, stage: string): number | null {
  return (
    db
      .prepare(
        `SELECT min(ready_at) AS t FROM (SELECT ready_at FROM item_stages
           WHERE job_id = ? AND stage = ? AND status = 'pending' ORDER BY priority, id LIMIT 1000)`,
      )
      .get(jobId, stage) as { t: number | null }
  ).t;
}

/**
 * An item's status, derived from its stages (never stored): anything failed or dead wins, then
 * activity (running, retry, pending/waiting), then done (skipped counts as done unless all are).
 */
export function deriveItemStatus(statuses: StageStatus[]): ItemStatus {
  if (statuses.includes('dead')) return 'dead';
  if (statuses.includes('failed')) return 'failed';
  if (statuses.includes('running')) return 'running';
  if (statuses.includes('retry')) return 'retry';
  if (statuses.includes('pending') || statuses.includes('waiting')) return 'pending';
  if (statuses.length > 0 && statuses.every((s) => s === 'skipped')) return 'skipped';
  return 'done';
}

/** The same derivation in SQL, for filtering item lists without storing status twice. */
export const ITEM_STATUS_SQL = `(SELECT CASE
    WHEN sum(s.status = 'dead') > 0 THEN 'dead'
    WHEN sum(s.status = 'failed') > 0 THEN 'failed'
    WHEN sum(s.status = 'running') > 0 THEN 'running'
    WHEN sum(s.status = 'retry') > 0 THEN 'retry'
    WHEN sum(s.status IN ('pending', 'waiting')) > 0 THEN 'pending'
    WHEN sum(s.status = 'skipped') = count(*) THEN 'skipped'
    ELSE 'done' END FROM item_stages s WHERE s.item_id = items.id)`;
