/**
 * handBackStage — graceful shutdown: a run that did not finish before the deadline goes back
 * to `pending` without counting the attempt (it did not fail; we stopped it).
 *
 * Params: { id, owner, attempts }
 * Returns: nothing (check `changes`).
 * 0 rows: it completed or was reaped meanwhile; nothing to hand back.
 */
export const handBackStageSql = `
UPDATE item_stages
   SET status = 'pending', attempts = max(attempts - 1, 0), lease_owner = NULL,
       lease_until = NULL, started_at = NULL
 WHERE id = @id AND status = 'running' AND lease_owner = @owner AND attempts = @attempts`;
