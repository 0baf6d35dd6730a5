/**
 * selectDiscoveryState — one job's discovery bookkeeping (migration 4).
 *
 * Params: { jobId }
 * Returns: the row, columns as named in DiscoveryStateRow (discovery/DiscoveryStateStore.ts).
 * 0 rows: the job never had a discovery round.
 */
export const selectDiscoveryStateSql = `
SELECT job_id AS jobId, state, last_round_at AS lastRoundAt, last_ok_at AS lastOkAt,
       last_new_at AS lastNewAt, last_error AS lastError, failures, backoff_until AS backoffUntil,
       skipped_reason AS skippedReason, skipped_at AS skippedAt, exhausted_at AS exhaustedAt,
       quiet_alerted_at AS quietAlertedAt, next_round_at AS nextRoundAt
  FROM discovery_state WHERE job_id = @jobId`;

/**
 * saveDiscoveryState — write the whole row (the scheduler is its only writer, on the
 * engine's one connection, so read-modify-write needs no transaction).
 *
 * Params: every column of DiscoveryStateRow plus { now }.
 * 0 rows: impossible (an upsert).
 */
export const saveDiscoveryStateSql = `
INSERT INTO discovery_state (job_id, state, last_round_at, last_ok_at, last_new_at, last_error, failures,
  backoff_until, skipped_reason, skipped_at, exhausted_at, quiet_alerted_at, next_round_at, updated_at)
VALUES (@jobId, @state, @lastRoundAt, @lastOkAt, @lastNewAt, @lastError, @failures,
  @backoffUntil, @skippedReason, @skippedAt, @exhaustedAt, @quietAlertedAt, @nextRoundAt, @now)
ON CONFLICT (job_id) DO UPDATE SET state = excluded.state, last_round_at = excluded.last_round_at,
  last_ok_at = excluded.last_ok_at, last_new_at = excluded.last_new_at, last_error = excluded.last_error,
  failures = excluded.failures, backoff_until = excluded.backoff_until,
  skipped_reason = excluded.skipped_reason, skipped_at = excluded.skipped_at,
  exhausted_at = excluded.exhausted_at, quiet_alerted_at = excluded.quiet_alerted_at,
  next_round_at = excluded.next_round_at, updated_at = excluded.updated_at`;

/**
 * countUnfinishedItems — how many of a job's items still have work queued or running,
 * counted only up to a limit (the max_pending guard needs "at the limit?", not the total,
 * so a million-item backlog costs `limit` index steps).
 *
 * Params: { jobId, limit }
 * Returns: { n } (at most `limit`).
 */
export const countUnfinishedItemsSql = `
SELECT count(*) AS n FROM (
  SELECT DISTINCT item_id FROM item_stages
   WHERE job_id = @jobId AND status IN ('pending', 'running', 'retry', 'waiting')
   LIMIT @limit)`;
