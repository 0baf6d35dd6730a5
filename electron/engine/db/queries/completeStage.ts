/**
 * completeStage — a running stage finished well: mark it done.
 *
 * Params: { id, owner, attempts, now, version }
 * Returns: nothing (check `changes`).
 * 0 rows: the lease was lost (reaped and re-claimed, cancelled, or reset); the caller maps it
 *   with `explainZeroRows` and the outcome is dropped — the newer run owns the row.
 *
 * The error columns are left as they are on purpose: a stage's last error stays visible next to
 * the success that followed it until the row is reset. A normal end closes any streak of host
 * crashes (crashes = 0): quarantine counts consecutive ones only.
 */
export const completeStageSql = `
UPDATE item_stages
   SET status = 'done', ended_at = @now, elapsed_ms = @now - started_at, version = @version,
       lease_owner = NULL, lease_until = NULL, crashes = 0
 WHERE id = @id AND status = 'running' AND lease_owner = @owner AND attempts = @attempts`;
