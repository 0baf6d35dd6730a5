/**
 * retryStage — a running stage failed in a way worth another try: park it until `readyAt`.
 *
 * Params: { id, owner, attempts, now, readyAt, error, errorClass, refund (1: give back the
 *   attempt counted at claim — a rate limit or an outage is not the item's failure; else 0) }
 * Returns: nothing (check `changes`).
 * 0 rows: the lease was lost; see completeStage.
 *
 * The run ended normally, so any streak of host crashes is over (crashes = 0). The guard reads
 * the row as it was before the SET. After a refund the next claim reuses the same attempt
 * number, which the guard tolerates: the run that wrote this retry is over, and no other run of
 * this row can hold the same owner (the reaper never takes a host's own rows back).
 */
export const retryStageSql = `
UPDATE item_stages
   SET status = 'retry', ready_at = @readyAt, ended_at = @now, elapsed_ms = @now - started_at,
       error = @error, error_class = @errorClass, lease_owner = NULL, lease_until = NULL,
       attempts = attempts - @refund, crashes = 0
 WHERE id = @id AND status = 'running' AND lease_owner = @owner AND attempts = @attempts`;
