/**
 * retryStage — a running stage failed in a way worth another try: park it until `readyAt`.
 *
 * Params: { id, owner, attempts, now, readyAt, error, errorClass }
 * Returns: nothing (check `changes`).
 * 0 rows: the lease was lost; see completeStage.
 */
export const retryStageSql = `
UPDATE item_stages
   SET status = 'retry', ready_at = @readyAt, ended_at = @now, elapsed_ms = @now - started_at,
       error = @error, error_class = @errorClass, lease_owner = NULL, lease_until = NULL
 WHERE id = @id AND status = 'running' AND lease_owner = @owner AND attempts = @attempts`;
