/**
 * claimCrashedStages — take rows of one job's stage that a host crash interrupted (crashes > 0),
 * once the fresh work of the stage (claimStages) left slots free.
 *
 * Params: { owner, now, leaseUntil, jobId, stage, limit, aloneFrom (crash count from which a
 *   row runs alone: crashPolicy.runsAloneFrom) }
 * Returns: claimed rows, as claimStages.
 * 0 rows: none is pending, or the only ones must run alone and one already runs.
 *
 * Why after fresh work: right after a restart these rows sit at the head of the queue, so a
 *   host killed again and again right after start would be running the same rows at every
 *   death and blame them. Fresh rows go first; these fill the slots fresh work leaves free.
 * Why alone: a poison item kills its host together with every row running beside it. A row one
 *   crash from quarantine runs only when nothing else runs on this host and no less suspect
 *   row of its stage waits (that one is claimed first, by the other half of this statement),
 *   and nothing else is claimed while it runs (Tracker.claim's gate), so the crash that
 *   quarantines it is its own.
 * Rows with crashes > 0 are few and sit in the partial index item_stages_crashed, so this costs
 *   nothing on a healthy database; the caller runs it only when claimStages left slots free and
 *   selectCrashedPending found such a row (an empty UPDATE costs ~40 µs, the probe ~2 µs).
 * Every subquery repeats `crashes > 0` so SQLite may use the partial index.
 */
export const claimCrashedStagesSql = `
UPDATE item_stages
   SET status = 'running', lease_owner = @owner, lease_until = @leaseUntil,
       started_at = @now, ended_at = NULL, elapsed_ms = NULL, attempts = attempts + 1
 WHERE id IN (SELECT id FROM (
                SELECT id, priority FROM (
                  SELECT id, priority FROM item_stages
                   WHERE job_id = @jobId AND stage = @stage AND status = 'pending'
                     AND crashes > 0 AND crashes < @aloneFrom
                   ORDER BY priority, id LIMIT @limit)
                UNION ALL
                SELECT id, priority FROM (
                  SELECT id, priority FROM item_stages
                   WHERE job_id = @jobId AND stage = @stage AND status = 'pending'
                     AND crashes > 0 AND crashes >= @aloneFrom
                     AND NOT EXISTS (SELECT 1 FROM item_stages
                                      WHERE status = 'running' AND lease_owner = @owner)
                     AND NOT EXISTS (SELECT 1 FROM item_stages
                                      WHERE job_id = @jobId AND stage = @stage AND status = 'pending'
                                        AND crashes > 0 AND crashes < @aloneFrom)
                   ORDER BY priority, id LIMIT 1))
               ORDER BY priority, id LIMIT @limit)
RETURNING id, item_id AS itemId, attempts, priority,
          (SELECT item_key FROM items WHERE items.id = item_stages.item_id) AS itemKey,
          (SELECT data FROM items WHERE items.id = item_stages.item_id) AS data`;

/**
 * selectCrashedPending — does this stage have a pending row a host crash interrupted?
 *
 * Params: { jobId, stage }
 * Returns: one row when it does.
 * 0 rows: it does not (the healthy case: one seek in an empty partial index).
 */
export const selectCrashedPendingSql = `
SELECT 1 FROM item_stages
 WHERE job_id = @jobId AND stage = @stage AND status = 'pending' AND crashes > 0 LIMIT 1`;

/**
 * selectLoneRunning — is a row one crash from quarantine running? While it is, nothing else
 * is claimed on this host (its death must be its own).
 *
 * Params: { aloneFrom }
 * Returns: one row when such a run is under way.
 * 0 rows: none (the healthy case: one seek in the empty partial index item_stages_crashed).
 */
export const selectLoneRunningSql = `
SELECT 1 FROM item_stages WHERE status = 'running' AND crashes > 0 AND crashes >= @aloneFrom LIMIT 1`;
