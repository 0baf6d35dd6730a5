import type { Db } from '../db/openDatabase.ts';
import { STAGE_STATUSES, type ItemStatus, type StageStatus } from '../tracker/StageStatus.ts';
import type { StatusCounts } from './types.ts';

export type { StatusCounts };

export function emptyCounts(): StatusCounts {
  return Object.fromEntries(STAGE_STATUSES.map((s) => [s, 0])) as StatusCounts;
}

/** Per stage, how many rows are in each status (one indexed GROUP BY). */
export function stageCounts(db: Db, jobId: string): Map<string, StatusCounts> {
  const rows = db
    .prepare(
      `SELECT stage, status, count(*) AS n FROM item_stages WHERE job_id = ? GROUP BY stage, status`,
    )
    .all(jobId) as { stage: string; status: StageStatus; n: number }[];
  const out = new Map<string, StatusCounts>();
  for (const r of rows) {
    let c = out.get(r.stage);
    if (!c) out.set(r.stage, (c = emptyCounts()));
    c[r.status] = r.n;
  }
  return out;
}

/** Done rows whose stamped version differs from the stage's current version. */
export function staleCount(db: Db, jobId: string, stage: string, version: string): number {
  return (
    db
      .prepare(
        `SELECT count(*) AS n FROM item_stages WHERE job_id = ? AND stage = ? AND status = 'done' AND version IS NOT ?`,
      )
      .get(jobId, stage, version) as { n: number }
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

/** When the longest-waiting pending row of a stage became ready. */
export function oldestPending(db: Db, jobId: string, stage: string): number | null {
  return (
    db
      .prepare(
        `SELECT min(ready_at) AS t FROM item_stages WHERE job_id = ? AND stage = ? AND status = 'pending'`,
      )
      .get(jobId, stage) as {
      t: number | null;
    }
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
