/**
 * extendLeases — the host's heartbeat for long runs: push out the lease of every row this
 * host is running.
 *
 * Params: { owner, leaseUntil }
 * Returns: nothing (`changes` = rows still running here).
 * 0 rows: nothing is running.
 */
export const extendLeasesSql = `
UPDATE item_stages SET lease_until = @leaseUntil
 WHERE status = 'running' AND lease_owner = @owner`;
