import type { Db } from '../db/openDatabase.ts';

export interface ResetFilter {
  jobId: string;
  stage: string;
  /** The stage's dependencies: a row whose deps are not all done goes back to waiting. */
  deps: string[];
  /** Every stage downstream of it (they wait again for the fresh result). */
  downstream: string[];
  /** Only rows in these statuses (null: every row that is not waiting). */
  statuses: string[] | null;
  /** Only done rows whose stamped version differs from this one (reprocess --stale-only). */
  staleAgainst?: string;
  /** Chunking: rows after this id, at most `limit` of them (in id order). */
  afterRowId?: number;
  limit?: number;
  now: number;
}

/**
 * Puts matching rows of one stage back to the start (pending, or waiting on their deps) with a
 * fresh attempt budget and no crashes counted, and every downstream stage of those items back
 * to waiting. Shared by `reset` and `reprocess`; the caller runs it inside its transaction.
 * Results are kept until overwritten, so upstream artifacts stay referenced and are reused,
 * never re-fetched.
 *
 * Returns the item ids that were reset and the last stage row id (the next chunk's cursor).
 */
export function resetStageRows(
  db: Db,
  f: ResetFilter,
): { ids: number[]; lastRowId: number | null } {
  const rows = db
    .prepare(
      `UPDATE item_stages SET status = CASE WHEN EXISTS (SELECT 1 FROM item_stages d WHERE d.item_id = item_stages.item_id
             AND d.stage IN (SELECT value FROM json_each(@deps)) AND d.status <> 'done') THEN 'waiting' ELSE 'pending' END,
           attempts = 0, crashes = 0, ready_at = @now, lease_owner = NULL, lease_until = NULL
       WHERE id IN (SELECT id FROM item_stages WHERE ${MATCH} AND id > @afterRowId ORDER BY id LIMIT @limit)
       RETURNING id, item_id AS itemId`,
    )
    .all(bind(f)) as { id: number; itemId: number }[];
  const ids = rows.map((r) => r.itemId);
  // reduce, not Math.max(...): a million-row reset would overflow the call stack.
  const lastRowId = rows.reduce<number | null>((m, r) => (m === null || r.id > m ? r.id : m), null);
  if (f.downstream.length > 0 && ids.length > 0) {
    db.prepare(
      `UPDATE item_stages SET status = 'waiting', attempts = 0, crashes = 0, lease_owner = NULL, lease_until = NULL
        WHERE item_id IN (SELECT value FROM json_each(@ids)) AND stage IN (SELECT value FROM json_each(@stages))`,
    ).run({ ids: JSON.stringify(ids), stages: JSON.stringify(f.downstream) });
  }
  return { ids, lastRowId };
}

/** How many rows `resetStageRows` would reset (reprocess --dry-run). */
export function countStageRows(db: Db, f: Omit<ResetFilter, 'downstream' | 'now'>): number {
  const {
    deps: _deps,
    afterRowId: _after,
    limit: _limit,
    ...params
  } = bind({ ...f, downstream: [], now: 0 });
  return (
    db.prepare(`SELECT count(*) AS n FROM item_stages WHERE ${MATCH}`).get(params) as { n: number }
  ).n;
}

const MATCH = `job_id = @jobId AND stage = @stage AND status <> 'waiting'
           AND (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))
           AND (@stale IS NULL OR (status = 'done' AND version IS NOT @stale))`;

function bind(f: ResetFilter) {
  return {
    jobId: f.jobId,
    stage: f.stage,
    deps: JSON.stringify(f.deps),
    statuses: f.statuses ? JSON.stringify(f.statuses) : null,
    stale: f.staleAgainst ?? null,
    afterRowId: f.afterRowId ?? 0,
    // SQLite reads a negative LIMIT as "no limit".
    limit: f.limit ?? -1,
    now: f.now,
  };
}
