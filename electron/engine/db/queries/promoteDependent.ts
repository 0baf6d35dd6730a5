/**
 * promoteDependent — a stage of an item finished; make one dependent stage pending if every
 * one of its dependencies is now done.
 *
 * Params: { itemId, stage (the dependent), deps (JSON array of its dependencies), now }
 * Returns: nothing (check `changes`: 1 = promoted, the stage worker should be woken).
 * 0 rows: another dependency is not done yet (fan-in), or the dependent is not waiting.
 *
 * Runs in the same transaction as the completion, so a dependent can never be left waiting
 * on dependencies that are all done.
 */
export const promoteDependentSql = `
UPDATE item_stages
   SET status = 'pending', ready_at = @now
 WHERE item_id = @itemId AND stage = @stage AND status = 'waiting'
   AND NOT EXISTS (SELECT 1 FROM item_stages d
                    WHERE d.item_id = @itemId
                      AND d.stage IN (SELECT value FROM json_each(@deps))
                      AND d.status <> 'done')`;

/**
 * promoteSoleDependent — the fast path of promoteDependent for a dependent whose only
 * dependency is the stage that just finished (every linear pipeline): no fan-in check needed.
 *
 * Params: { itemId, stage (the dependent), now }
 * Returns: nothing (check `changes`: 1 = promoted).
 * 0 rows: the dependent is not waiting (reset, cancelled, skipped).
 */
export const promoteSoleDependentSql = `
UPDATE item_stages SET status = 'pending', ready_at = @now
 WHERE item_id = @itemId AND stage = @stage AND status = 'waiting'`;
