/**
 * promoteDueRetries — retries whose backoff has passed become claimable again.
 *
 * Params: { jobId, stage, now }
 * Returns: nothing (`changes` = rows made pending).
 * 0 rows: no retry is due yet.
 */
export const promoteDueRetriesSql = `
UPDATE item_stages SET status = 'pending'
 WHERE job_id = @jobId AND stage = @stage AND status = 'retry' AND ready_at <= @now`;

/** nextRetryDue — earliest ready_at of this stage's retries (null when none). */
export const nextRetryDueSql = `
SELECT min(ready_at) AS due FROM item_stages
 WHERE job_id = @jobId AND stage = @stage AND status = 'retry'`;
