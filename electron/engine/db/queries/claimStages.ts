/**
 * claimStages — take up to `limit` pending rows of one job's stage, best priority first.
 *
 * Params: { owner, now, leaseUntil, jobId, stage, limit }
 * Returns: one row per claimed stage, with the item's key, data and priority (subqueries in
 *   RETURNING read the items table, so no second round trip is needed).
 * 0 rows: nothing is pending for this stage right now (the worker goes idle).
 *
 * One statement, so two workers (or two hosts, were the lock ever bypassed) can never take
 * the same row: SQLite runs the UPDATE under the write lock. attempts is bumped here, so an
 * attempt counts even when the host dies mid-run, and the completion guards on it.
 */
export const claimStagesSql = `
UPDATE item_stages
   SET status = 'running', lease_owner = @owner, lease_until = @leaseUntil,
       started_at = @now, ended_at = NULL, elapsed_ms = NULL, attempts = attempts + 1
 WHERE id IN (SELECT id FROM item_stages
               WHERE job_id = @jobId AND stage = @stage AND status = 'pending'
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
