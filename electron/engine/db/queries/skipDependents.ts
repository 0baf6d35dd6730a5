/**
 * skipDependents — a stage was skipped: every stage that (transitively) depends on it is
 * skipped too, since it can never run.
 *
 * Params: { itemId, stages (JSON array of the transitive dependents), now }
 * Returns: nothing (check `changes` for how many were skipped).
 * 0 rows: no dependents, or they were already terminal.
 */
export const skipDependentsSql = `
UPDATE item_stages
   SET status = 'skipped', ended_at = @now, error = 'an upstream stage was skipped'
 WHERE item_id = @itemId AND status IN ('waiting', 'pending', 'retry')
   AND stage IN (SELECT value FROM json_each(@stages))`;
