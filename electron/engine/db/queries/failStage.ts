/**
 * failStage — a running stage ends without a result: `failed` (this item is bad; terminal
 * until a person retries it), `dead` (attempts exhausted: the dead-letter bin) or `skipped`
 * (the handler chose to skip the item).
 *
 * Params: { id, owner, attempts, now, status, error, errorClass }
 * Returns: nothing (check `changes`).
 * 0 rows: the lease was lost; see completeStage.
 *
 * Dependents of a failed/dead stage stay `waiting`: they are blocked, not skipped, so that a
 * retry of this stage lets the item continue. The run ended normally (the handler answered), so
 * any streak of host crashes is over (crashes = 0).
 */
export const failStageSql = `
UPDATE item_stages
   SET status = @status, ended_at = @now, elapsed_ms = @now - started_at,
       error = @error, error_class = @errorClass, lease_owner = NULL, lease_until = NULL,
       crashes = 0
 WHERE id = @id AND status = 'running' AND lease_owner = @owner AND attempts = @attempts
   AND @status IN ('failed', 'dead', 'skipped')`;
