/**
 * reclaimExpired — the reaper's one statement: running rows whose lease ran out go back to
 * `pending`, or to `dead` when they have already used every attempt (an item that kills its
 * host each time must not kill it forever).
 *
 * Params: { now, maxAttempts (JSON object stageKey→max, keys "job/stage"), defaultMax,
 *   notOwner (reclaim every running row not held by this owner when set: host start) }
 * Returns: { id, itemId, jobId, stage, status } per reclaimed row.
 * 0 rows: no lease expired.
 *
 * Trade-off: a run that outlives its lease without heartbeating (a hung event loop) is run
 * twice. It is worse to lose an item than to run it twice.
 */
export const reclaimExpiredSql = `
UPDATE item_stages
   SET status = CASE WHEN attempts >= coalesce(json_extract(@maxAttempts, '$."' || job_id || '/' || stage || '"'), @defaultMax)
                     THEN 'dead' ELSE 'pending' END,
       error = 'lease expired: the run did not finish or heartbeat in time (host crashed or hung)',
       error_class = 'transient', lease_owner = NULL, lease_until = NULL,
       ended_at = CASE WHEN attempts >= coalesce(json_extract(@maxAttempts, '$."' || job_id || '/' || stage || '"'), @defaultMax)
                       THEN @now ELSE NULL END
 WHERE status = 'running'
   AND (lease_until < @now OR (@notOwner IS NOT NULL AND lease_owner IS NOT @notOwner))
RETURNING id, item_id AS itemId, job_id AS jobId, stage, status`;
