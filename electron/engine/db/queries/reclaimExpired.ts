/**
 * reclaimExpired — the reaper's one statement: running rows whose host died (or froze past its
 * lease) go back to `pending` without using up an attempt, and a row that was running at
 * `quarantineAfter` consecutive host deaths is quarantined (`failed`, class `quarantined`).
 *
 * Params: { now, owner (this host), startup (1: every running row another owner holds, lease
 *   or not — its host is gone; 0: only those whose lease expired), quarantineAfter }
 * Returns: { id, itemId, jobId, stage, status ('pending' | 'failed'), crashes, error } per row.
 * 0 rows: no lease expired (and, at startup, the last host left nothing running).
 *
 * A crash is not the item's fault: the attempt counted at claim is refunded and `crashes` goes
 * up instead. Only a normal end of a run (or a person's retry/reset) sets it back to 0, so a
 * row reaches the threshold only when its own runs keep ending with the host — a likely poison
 * item, which must not kill every host after it. Even then it is quarantined only when it was
 * the one row running on the dead host (`runs.n = 1`, counted before this statement changes
 * anything): the claim runs a row one crash from quarantine alone on an otherwise idle host,
 * and only once the host has been up a while (claimCrashedStages.ts), so a host killed again
 * and again from outside cannot pin its deaths on a healthy row.
 *
 * This host's own rows are never reclaimed here: its heartbeat extends their leases, so one can
 * only have expired while this very process was frozen (a laptop asleep, a blocked event loop),
 * and that run is still in flight and will write its own outcome. Reclaiming it would run the
 * item twice, and since the refund returns `attempts` to its value before the claim, a re-claim
 * here would carry the same (owner, attempts) as the frozen run, which the completion guard
 * could not tell apart.
 *
 * Trade-off: a run on another host that outlives its lease without heartbeating (a hung event
 * loop) is run twice. It is worse to lose an item than to run it twice. (With two hosts on one
 * database — not possible past the host lock today — a thawed host could re-claim a row taken
 * from it while its old run is still in flight, at the same attempt number; a per-claim token
 * in the guard would close that for the many-host tracker.)
 */
export const reclaimExpiredSql = `
UPDATE item_stages
   SET status = CASE WHEN crashes + 1 >= @quarantineAfter AND runs.n = 1 THEN 'failed' ELSE 'pending' END,
       error = CASE WHEN crashes + 1 >= @quarantineAfter AND runs.n = 1
                    THEN 'quarantined: running alone at ' || (crashes + 1) || ' consecutive host crashes or lease expiries — a likely poison item; ' ||
                         '\`jobctl retry ' || job_id || ' --stage ' || stage || '\` to try again'
                    ELSE 'lease expired: the run did not finish or heartbeat in time (host crashed or hung)' END,
       error_class = CASE WHEN crashes + 1 >= @quarantineAfter AND runs.n = 1 THEN 'quarantined' ELSE 'transient' END,
       ended_at = CASE WHEN crashes + 1 >= @quarantineAfter AND runs.n = 1 THEN @now END,
       attempts = max(attempts - 1, 0), crashes = crashes + 1,
       lease_owner = NULL, lease_until = NULL
  FROM (SELECT lease_owner AS owner, count(*) AS n FROM item_stages
         WHERE status = 'running' GROUP BY lease_owner) AS runs
 WHERE item_stages.status = 'running' AND runs.owner = item_stages.lease_owner
   AND item_stages.lease_owner IS NOT @owner AND (@startup OR item_stages.lease_until < @now)
RETURNING id, item_id AS itemId, job_id AS jobId, stage, status, crashes, error`;

export interface ReclaimedRow {
  id: number;
  itemId: number;
  jobId: string;
  stage: string;
  status: 'pending' | 'failed';
  crashes: number;
  error: string;
}
