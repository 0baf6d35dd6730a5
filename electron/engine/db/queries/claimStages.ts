/**
 * claimStages — take up to `limit` pending rows of one job's stage, best priority first.
 *
 * Params: { owner, now, leaseUntil, jobId, stage, limit }
 * Returns: one row per claimed stage, with the item's key, data and priority (subqueries in
 *   RETURNING read the items table, so no second round trip is needed).
 * 0 rows: no fresh row is pending for this stage right now (the caller may then take rows a
 *   crash interrupted; else the worker goes idle).
 *
 * One statement, so two workers (or two hosts, were the lock ever bypassed) can never take
 * the same row: SQLite runs the UPDATE under the write lock. attempts is bumped here and the
 * completion guards on it; if the host dies mid-run, the reaper refunds it (reclaimExpired).
 *
 * Only fresh rows (crashes = 0): rows a host crash interrupted come after them, by their own
 * rules (claimCrashedStages). `crashes` is not in the claim index, so each candidate costs a
 * table lookup: +6 µs for a claim of 10 from 200,000 pending rows (~191 → ~197 µs with its
 * completions, measured on this 2-core machine), where a partial-index NOT IN cost +20 µs.
 */
export const claimStagesSql = `
UPDATE item_stages
   SET status = 'running', lease_owner = @owner, lease_until = @leaseUntil,
       started_at = @now, ended_at = NULL, elapsed_ms = NULL, attempts = attempts + 1
 WHERE id IN (SELECT id FROM item_stages
               WHERE job_id = @jobId AND stage = @stage AND status = 'pending' AND crashes = 0
               ORDER BY priority, id
               LIMIT @limit)
RETURNING id, item_id AS itemId, attempts, priority,
          (SELECT item_key FROM items WHERE items.id = item_stages.item_id) AS itemKey,
          (SELECT data FROM items WHERE items.id = item_stages.item_id) AS data`;

export interface ClaimedRow {
  id: number;
  itemId: number;
  attempts: number;
  priority: number;
  itemKey: string;
  data: string;
}
