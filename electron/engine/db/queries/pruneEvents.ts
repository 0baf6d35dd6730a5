/**
 * pruneEvents — deletes up to `limit` events older than `before` (oldest first).
 *
 * Params: { before (ms timestamp), limit }
 * Returns: nothing (`changes` = rows deleted; the caller loops while it equals `limit`).
 * 0 rows: nothing is that old.
 *
 * In chunks, so pruning a month of a busy job never holds the writer for long.
 */
export const pruneEventsSql = `
DELETE FROM events WHERE id IN (SELECT id FROM events WHERE ts < @before ORDER BY ts LIMIT @limit)`;
