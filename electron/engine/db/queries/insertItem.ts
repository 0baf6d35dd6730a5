/**
 * insertItem — a newly discovered item.
 *
 * Params: { jobId, itemKey, data (JSON text), priority, sourceItemId, now }
 * Returns: { id }.
 * 0 rows: the key already exists (a concurrent insert); the caller re-reads it.
 */
export const insertItemSql = `
INSERT INTO items (job_id, item_key, data, priority, source_item_id, discovered_at, updated_at)
VALUES (@jobId, @itemKey, @data, @priority, @sourceItemId, @now, @now)
ON CONFLICT (job_id, item_key) DO NOTHING
RETURNING id`;

/**
 * insertItemStage — create one stage row for an item (pending when it has no dependencies,
 * waiting otherwise). Ignored when the row exists: re-discovery never resets progress.
 *
 * Params: { itemId, jobId, stage, status, priority, now }
 * 0 rows: the row existed.
 */
export const insertItemStageSql = `
INSERT INTO item_stages (item_id, job_id, stage, status, priority, ready_at)
VALUES (@itemId, @jobId, @stage, @status, @priority, @now)
ON CONFLICT (item_id, stage) DO NOTHING`;
